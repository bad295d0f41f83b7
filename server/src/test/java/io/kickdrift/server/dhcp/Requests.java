package io.kickdrift.server.dhcp;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import io.kickdrift.server.dhcp.DhcpPacket.Option;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Client requests for tests, built one field at a time. */
final class Requests {
  private int xid = 0x1234;
  private int flags = DhcpPacket.BROADCAST;
  private String mac = "52:54:00:12:34:01";
  private Inet4Address ciaddr = DhcpPacket.ANY;
  private Inet4Address giaddr = DhcpPacket.ANY;
  private final List<Option> options = new ArrayList<>();

  static Requests of(MessageType type) {
    Requests r = new Requests();
    r.options.add(new Option(DhcpPacket.MESSAGE_TYPE, new byte[] {(byte) type.code}));
    return r;
  }

  /** A DISCOVER from {@code mac}. */
  static Requests discover(String mac) {
    return of(MessageType.DISCOVER).mac(mac);
  }

  /** A REQUEST from {@code mac} for the address {@code ip}. */
  static Requests request(String mac, String ip) {
    return of(MessageType.REQUEST).mac(mac).ip(DhcpPacket.REQUESTED_IP, ip);
  }

  /** A DISCOVER from a UEFI HTTP boot client of architecture {@code arch}, as firmware sends it. */
  static Requests httpClientDiscover(int arch) {
    return of(MessageType.DISCOVER)
        .text(DhcpPacket.VENDOR_CLASS, "HTTPClient:Arch:%05d:UNDI:003000".formatted(arch))
        .arch(arch);
  }

  Requests mac(String m) {
    mac = m;
    return this;
  }

  Requests xid(int x) {
    xid = x;
    return this;
  }

  Requests unicast() {
    flags = 0;
    return this;
  }

  Requests ciaddr(String a) {
    ciaddr = DhcpPacket.ipv4(a);
    return this;
  }

  Requests giaddr(String a) {
    giaddr = DhcpPacket.ipv4(a);
    return this;
  }

  Requests option(int code, byte[] data) {
    options.add(new Option(code, data));
    return this;
  }

  Requests text(int code, String s) {
    return option(code, s.getBytes(StandardCharsets.ISO_8859_1));
  }

  Requests ip(int code, String a) {
    return option(code, DhcpPacket.ipv4(a).getAddress());
  }

  Requests arch(int arch) {
    return option(DhcpPacket.CLIENT_ARCH, new byte[] {(byte) (arch >> 8), (byte) arch});
  }

  /** Option 60 as a PXE ROM of that architecture sends it. */
  Requests pxe(int arch) {
    return text(DhcpPacket.VENDOR_CLASS, String.format("PXEClient:Arch:%05d:UNDI:002001", arch))
        .arch(arch);
  }

  DhcpPacket build() {
    byte[] chaddr = new byte[16];
    byte[] m = HexFormat.ofDelimiter(":").parseHex(mac);
    System.arraycopy(m, 0, chaddr, 0, m.length);
    return new DhcpPacket(
        DhcpPacket.BOOTREQUEST,
        1,
        6,
        0,
        xid,
        0,
        flags,
        ciaddr,
        DhcpPacket.ANY,
        DhcpPacket.ANY,
        giaddr,
        chaddr,
        "",
        "",
        options);
  }
}
