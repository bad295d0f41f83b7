package io.kickdrift.server.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * For tests: serve in this JVM on 127.0.0.1, free TFTP and HTTP ports, no DHCP, no DNS sync; an
 * inventory in which a client on loopback can be web01; what its database costs on disk.
 */
final class ServeOnLoopback {
  static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  /** web01's address in {@link #exampleWithWeb01At127002}, from which its installer may ask. */
  static final String WEB01_IP = "127.0.0.2";

  private ServeOnLoopback() {}

  /**
   * The example inventory, written to {@code file}, with web01 at {@link #WEB01_IP} in a subnet
   * 127.0.0.0/24: kickstarts and callbacks from that address pass the address rule, from 127.0.0.1
   * they do not.
   */
  static Path exampleWithWeb01At127002(Path file) throws IOException {
    String text = Files.readString(EXAMPLE);
    if (!text.contains("ip: 192.0.2.21\n") || !text.contains("subnets:\n")) {
      throw new IllegalStateException(EXAMPLE + ": web01's ip 192.0.2.21 or subnets: not found");
    }
    return Files.writeString(
        file,
        text.replace("ip: 192.0.2.21\n", "ip: " + WEB01_IP + "\n")
            .replace("subnets:\n", "subnets:\n  - network: 127.0.0.0/24\n"));
  }

  /** The state database and its write-ahead log, in bytes. */
  static long databaseBytes(Path state) throws IOException {
    long total = 0;
    for (String name : List.of("kickdrift.db", "kickdrift.db-wal")) {
      Path f = state.resolve(name);
      total += Files.exists(f) ? Files.size(f) : 0;
    }
    return total;
  }

  static Serve start(Path inventory, Path state, Path root, Consumer<String> log) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Serve.Options options =
        new Serve.Options(
            inventory,
            state,
            Files.createDirectories(root),
            null,
            loopback,
            0,
            0,
            null,
            null,
            null,
            false);
    return Serve.start(options, log);
  }
}
