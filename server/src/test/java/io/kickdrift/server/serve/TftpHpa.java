package io.kickdrift.server.serve;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** tftp-hpa, the TFTP client most Linux machines have, fetching one file in binary mode. */
final class TftpHpa {
  private TftpHpa() {}

  /**
   * {@code tftp -m binary HOST PORT -c get NAME OUT}; tftp-hpa prints the server's ERROR as {@code
   * Error code N: message} (and may still exit 0).
   */
  static Cmd.Result get(InetSocketAddress server, String name, Path out)
      throws IOException, InterruptedException {
    String host = server.getAddress().getHostAddress();
    String port = Integer.toString(server.getPort());
    return Cmd.run(List.of("tftp", "-m", "binary", host, port, "-c", "get", name, out.toString()));
  }
}
