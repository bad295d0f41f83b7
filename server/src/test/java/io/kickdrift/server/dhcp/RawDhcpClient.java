package io.kickdrift.server.dhcp;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A scripted PXE client for the integration tests, run inside a network namespace: {@code
 * RawDhcpClient TO_ADDR:PORT WAIT_MS SPEC...} sends each spec from 0.0.0.0:68 and prints every
 * reply with the same xid, one line each. A spec is {@code discover|request} with comma-separated
 * {@code mac=}, {@code arch=}, {@code vendor=}, {@code user=}, {@code ciaddr=}, or one of the
 * hostile datagrams {@code truncated}, {@code badmagic}, {@code overrun}.
 */
public final class RawDhcpClient {
  private RawDhcpClient() {}

  public static void main(String[] args) throws Exception {
    String[] to = args[0].split(":");
    InetSocketAddress server = new InetSocketAddress(to[0], Integer.parseInt(to[1]));
    long waitMs = Long.parseLong(args[1]);
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(new InetSocketAddress("0.0.0.0", 68));
      ch.configureBlocking(false);
      for (int i = 2; i < args.length; i++) {
        int xid = 0x4b440000 + i;
        ch.send(ByteBuffer.wrap(datagram(args[i], xid)), server);
        System.out.println("sent " + (i - 2) + " " + args[i]);
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        ByteBuffer rx = ByteBuffer.allocate(2048);
        while (System.nanoTime() < deadline) {
          Reply reply = receive(ch, rx);
          if (reply == null) {
            Thread.sleep(10);
            continue;
          }
          InetSocketAddress from = reply.from();
          DhcpPacket p = reply.packet();
          if (p.xid() != xid) {
            continue;
          }
          System.out.println(
              "reply "
                  + (i - 2)
                  + " from="
                  + from.getAddress().getHostAddress()
                  + " type="
                  + p.messageType().map(Enum::name).orElse("-")
                  + " yiaddr="
                  + p.yiaddr().getHostAddress()
                  + " siaddr="
                  + p.siaddr().getHostAddress()
                  + " file="
                  + (p.file().isEmpty() ? "-" : p.file())
                  + " vendor="
                  + p.vendorClass().orElse("-")
                  + " opt43="
                  + p.option(DhcpPacket.VENDOR_SPECIFIC).map(HexFormat.of()::formatHex).orElse("-")
                  + " opt67="
                  + p.option(DhcpPacket.BOOTFILE).map(String::new).orElse("-"));
        }
      }
    }
  }

  /** A server's answer and where it came from. */
  record Reply(InetSocketAddress from, DhcpPacket packet) {}

  /**
   * The next BOOTREPLY waiting on {@code ch} (read into {@code rx}), skipping what does not decode
   * or is not a reply; null when nothing is waiting.
   */
  static Reply receive(DatagramChannel ch, ByteBuffer rx) throws java.io.IOException {
    while (true) {
      rx.clear();
      InetSocketAddress from = (InetSocketAddress) ch.receive(rx);
      if (from == null) {
        return null;
      }
      rx.flip();
      try {
        DhcpPacket p = DhcpPacket.decode(rx);
        if (p.op() == DhcpPacket.BOOTREPLY) {
          return new Reply(from, p);
        }
      } catch (DhcpCodecException e) {
        // not DHCP: the next one
      }
    }
  }

  static byte[] datagram(String spec, int xid) {
    byte[] discover = Requests.of(MessageType.DISCOVER).xid(xid).build().encode().array();
    switch (spec) {
      case "truncated" -> {
        return Arrays.copyOf(discover, 120);
      }
      case "badmagic" -> {
        discover[236] = 0x42;
        return discover;
      }
      case "overrun" -> {
        discover[243] = 60; // after option 53: option 60 claiming 200 bytes of a 300-byte datagram
        discover[244] = (byte) 200;
        return discover;
      }
      default -> {
        // handled below
      }
    }
    String[] parts = spec.split(",");
    Requests r = Requests.of(MessageType.valueOf(parts[0].toUpperCase(Locale.ROOT))).xid(xid);
    for (int j = 1; j < parts.length; j++) {
      String[] kv = parts[j].split("=", 2);
      switch (kv[0]) {
        case "mac" -> r.mac(kv[1]);
        case "arch" -> r.arch(Integer.parseInt(kv[1]));
        case "vendor" -> r.text(DhcpPacket.VENDOR_CLASS, kv[1]);
        case "user" -> r.text(DhcpPacket.USER_CLASS, kv[1]);
        case "ciaddr" -> r.unicast().ciaddr(kv[1]);
        default -> throw new IllegalArgumentException("unknown spec part " + parts[j]);
      }
    }
    return r.build().encode().array();
  }
}
