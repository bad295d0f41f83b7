package io.kickdrift.server.serve;

import io.kickdrift.server.tftp.RawClient;
import io.kickdrift.server.tftp.TftpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A burst of TFTP read requests that are never acknowledged, from many sockets on many loopback
 * addresses (127.0.1.1 and up), as a flood or a boot storm gone wrong would send them; then a tally
 * of what came back. Shared by {@code TftpFloodIT} and {@code HostileSuiteIT}.
 */
final class TftpBurst implements AutoCloseable {
  /** What the burst got back: transfers that sent DATA, ERROR busy, and any other ERROR. */
  record Tally(int transfers, int busy, List<String> otherErrors) {}

  private final List<DatagramChannel> sockets = new ArrayList<>();

  /** Opens {@code perAddress} sockets on each of {@code addresses} loopback addresses. */
  TftpBurst(int addresses, int perAddress) throws IOException {
    try {
      for (int a = 1; a <= addresses; a++) {
        for (int s = 0; s < perAddress; s++) {
          DatagramChannel c = DatagramChannel.open();
          sockets.add(c);
          c.bind(new InetSocketAddress("127.0.1." + a, 0));
          c.configureBlocking(false);
        }
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** Sends {@code perSocket} RRQs for {@code file} from every socket, round by round. */
  int send(InetSocketAddress server, String file, int perSocket) throws IOException {
    for (int round = 0; round < perSocket; round++) {
      for (DatagramChannel c : sockets) {
        c.send(ByteBuffer.wrap(RawClient.readRequest(file)), server);
      }
    }
    return perSocket * sockets.size();
  }

  /**
   * Reads what has arrived: DATA from the transfers admitted (then ERROR 0 "timed out" when they
   * give up), ERROR 0 busy for the rest; anything else is listed.
   */
  Tally tally() throws IOException {
    int busy = 0;
    List<String> otherErrors = new ArrayList<>();
    Set<InetSocketAddress> transfers = new HashSet<>();
    ByteBuffer in = ByteBuffer.allocate(65536);
    for (DatagramChannel c : sockets) {
      InetSocketAddress from;
      while ((from = (InetSocketAddress) c.receive(in.clear())) != null) {
        in.flip();
        short opcode = in.getShort();
        if (opcode == 3) {
          transfers.add(from);
        } else if (opcode == 5) {
          short code = in.getShort();
          String message = new String(in.array(), 4, in.limit() - 5, StandardCharsets.UTF_8);
          if (code == 0 && message.equals(TftpServer.BUSY)) {
            busy++;
          } else if (!(code == 0 && message.equals("timed out"))) {
            otherErrors.add(code + " " + message);
          }
        }
      }
    }
    return new Tally(transfers.size(), busy, otherErrors);
  }

  @Override
  public void close() throws IOException {
    for (DatagramChannel c : sockets) {
      c.close();
    }
  }
}
