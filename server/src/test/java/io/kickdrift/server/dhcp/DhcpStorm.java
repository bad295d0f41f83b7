package io.kickdrift.server.dhcp;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Many DHCP clients at once, for the tests with several servers, run inside a network namespace:
 * {@code DhcpStorm CLIENTS PER_SECOND SECONDS}. Client {@code i} has MAC {@code 52:54:00:5a:HI:LO}
 * and does what a PXE ROM does: DISCOVER (broadcast), REQUEST of the first OFFER to arrive, naming
 * its server; again from DISCOVER after a NAK or 2 s without an answer. Prints {@code offer MAC
 * SERVER} for each OFFER to a client not yet bound (every server's, not only the one taken), {@code
 * ack MAC IP SERVER} per bound client as it happens, {@code fail MAC} for each client still unbound
 * at the deadline, and {@code done ACKED FAILED}.
 */
public final class DhcpStorm {
  private DhcpStorm() {}

  /** One client's progress. */
  private static final class Client {
    final String mac;
    final int xid;
    long sentAt;
    boolean requesting;
    String acked;

    Client(int i) {
      mac = String.format("52:54:00:5a:%02x:%02x", i / 256, i % 256);
      xid = 0x5a000000 + i;
    }
  }

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    int perSecond = Integer.parseInt(args[1]);
    long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    InetSocketAddress servers = new InetSocketAddress("255.255.255.255", 67);
    Map<Integer, Client> byXid = new LinkedHashMap<>();
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      ch.bind(new InetSocketAddress("0.0.0.0", 68));
      ch.configureBlocking(false);
      long start = System.nanoTime();
      int started = 0;
      int acked = 0;
      ByteBuffer rx = ByteBuffer.allocate(2048);
      while (acked < count && System.nanoTime() < deadline) {
        long now = System.nanoTime();
        // start clients at the given rate
        while (started < count && (now - start) * perSecond / 1_000_000_000L >= started) {
          Client c = new Client(started++);
          byXid.put(c.xid, c);
          discover(ch, servers, c, now);
        }
        for (Client c : byXid.values()) {
          if (c.acked == null && now - c.sentAt > 2_000_000_000L) {
            discover(ch, servers, c, now); // no answer: start over, as a ROM does
          }
        }
        RawDhcpClient.Reply reply = RawDhcpClient.receive(ch, rx);
        if (reply == null) {
          Thread.sleep(2);
          continue;
        }
        DhcpPacket p = reply.packet();
        Client c = byXid.get(p.xid());
        if (c == null || c.acked != null) {
          continue;
        }
        MessageType type = p.messageType().orElse(null);
        String server = p.serverId().map(Inet4Address::getHostAddress).orElse("-");
        if (type == MessageType.OFFER) {
          System.out.println("offer " + c.mac + " " + server);
        }
        if (type == MessageType.OFFER && !c.requesting) {
          c.requesting = true;
          c.sentAt = System.nanoTime();
          byte[] request =
              Requests.request(c.mac, p.yiaddr().getHostAddress())
                  .xid(c.xid)
                  .ip(DhcpPacket.SERVER_ID, server)
                  .build()
                  .encode()
                  .array();
          ch.send(ByteBuffer.wrap(request), servers);
        } else if (type == MessageType.ACK && c.requesting) {
          c.acked = p.yiaddr().getHostAddress();
          acked++;
          System.out.println("ack " + c.mac + " " + c.acked + " " + server);
          System.out.flush();
        } else if (type == MessageType.NAK) {
          discover(ch, servers, c, System.nanoTime());
        }
      }
      int failed = 0;
      for (Client c : byXid.values()) {
        if (c.acked == null) {
          System.out.println("fail " + c.mac);
          failed++;
        }
      }
      System.out.println("done " + acked + " " + (failed + count - started));
    }
  }

  private static void discover(DatagramChannel ch, InetSocketAddress to, Client c, long now)
      throws java.io.IOException {
    c.requesting = false;
    c.sentAt = now;
    ch.send(ByteBuffer.wrap(Requests.discover(c.mac).xid(c.xid).build().encode().array()), to);
  }
}
