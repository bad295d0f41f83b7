package io.kickdrift.server.serve;

import io.kickdrift.server.tftp.RawClient;
import io.kickdrift.server.tftp.TftpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A burst of TFTP read requests that are never acknowledged, from many sockets on many loopback
 * addresses (127.0.1.1 and up), as a flood or a boot storm gone wrong would send them; then a tally
 * of what came back. Shared by {@code TftpFloodIT} and {@code HostileSuiteIT}.
 */
final class TftpBurst implements AutoCloseable {
  /**
   * What the burst got back so far: transfers that sent DATA, the most of them to one address,
   * ERROR busy, and any other ERROR.
   */
  record Tally(int transfers, int mostPerAddress, int busy, List<String> otherErrors) {}

  private final List<DatagramChannel> sockets = new ArrayList<>();
  private final Map<InetAddress, Set<InetSocketAddress>> transfers = new HashMap<>();
  private final List<String> otherErrors = new ArrayList<>();
  private int busy;

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
    int sent = 0;
    for (int round = 0; round < perSocket; round++) {
      sent += sendFrom(0, sockets.size(), server, file);
    }
    return sent;
  }

  /** Sends one RRQ for {@code file} from each of {@code count} sockets from {@code first} on. */
  int sendFrom(int first, int count, InetSocketAddress server, String file) throws IOException {
    for (DatagramChannel c : sockets.subList(first, first + count)) {
      c.send(ByteBuffer.wrap(RawClient.readRequest(file)), server);
    }
    return count;
  }

  /**
   * Reads what has arrived since the last call and sums up everything so far: DATA from the
   * transfers admitted (then ERROR 0 "timed out" when they give up), ERROR 0 busy for the rest;
   * anything else is listed.
   */
  Tally tally() throws IOException {
    ByteBuffer in = ByteBuffer.allocate(65536);
    for (DatagramChannel c : sockets) {
      InetAddress local = ((InetSocketAddress) c.getLocalAddress()).getAddress();
      InetSocketAddress from;
      while ((from = (InetSocketAddress) c.receive(in.clear())) != null) {
        in.flip();
        short opcode = in.getShort();
        if (opcode == 3) {
          transfers.computeIfAbsent(local, k -> new HashSet<>()).add(from);
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
    return new Tally(
        transfers.values().stream().mapToInt(Set::size).sum(),
        transfers.values().stream().mapToInt(Set::size).max().orElse(0),
        busy,
        List.copyOf(otherErrors));
  }

  /** {@link #tally}, for suppliers that cannot throw. */
  Tally tallyNow() {
    try {
      return tally();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    for (DatagramChannel c : sockets) {
      c.close();
    }
  }
}
