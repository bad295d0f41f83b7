package io.kickdrift.server.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One BOOTP/DHCP message (RFC 2131, options per RFC 2132): a pure codec, bytes in and a record out.
 *
 * <pre>{@code
 * DhcpPacket p = DhcpPacket.decode(ByteBuffer.wrap(datagram)); // or DhcpCodecException
 * ByteBuffer wire = p.encode();
 * }</pre>
 *
 * <p>{@code sname} and {@code file} are read up to their first NUL as Latin-1. Option overload
 * (option 52) is not followed: options carried in {@code sname}/{@code file} are ignored, as no PXE
 * client this server answers sends them. PAD options are skipped, decoding stops at END (a missing
 * END is tolerated at the end of the datagram), and options keep their order; a code that appears
 * twice is concatenated by {@link #option(int)} (RFC 3396). {@link #encode()} writes END and pads
 * the message to the 300 bytes of a BOOTP message, which some boot ROMs require.
 */
record DhcpPacket(
    int op,
    int htype,
    int hlen,
    int hops,
    int xid,
    int secs,
    int flags,
    Inet4Address ciaddr,
    Inet4Address yiaddr,
    Inet4Address siaddr,
    Inet4Address giaddr,
    byte[] chaddr,
    String sname,
    String file,
    List<Option> options) {
  public static final int BOOTREQUEST = 1;
  public static final int BOOTREPLY = 2;

  /** The broadcast bit of {@code flags}. */
  public static final int BROADCAST = 0x8000;

  public static final int SUBNET_MASK = 1;
  public static final int ROUTER = 3;
  public static final int DNS = 6;
  public static final int HOST_NAME = 12;
  public static final int DOMAIN_NAME = 15;
  public static final int VENDOR_SPECIFIC = 43;
  public static final int REQUESTED_IP = 50;
  public static final int LEASE_TIME = 51;
  public static final int OVERLOAD = 52;
  public static final int MESSAGE_TYPE = 53;
  public static final int SERVER_ID = 54;
  public static final int PARAMETER_LIST = 55;
  public static final int MESSAGE = 56;
  public static final int VENDOR_CLASS = 60;
  public static final int CLIENT_ID = 61;
  public static final int TFTP_SERVER = 66;
  public static final int BOOTFILE = 67;
  public static final int USER_CLASS = 77;
  public static final int CLIENT_ARCH = 93;
  public static final int CLIENT_NDI = 94;
  public static final int CLIENT_MACHINE_ID = 97;

  static final int HEADER = 236;
  static final int MIN_LENGTH = HEADER + 4;
  static final int BOOTP_LENGTH = 300;
  private static final int MAGIC = 0x63825363;
  private static final int SNAME = 64;
  private static final int FILE = 128;

  /** DHCP message types (option 53). */
  public enum MessageType {
    DISCOVER(1),
    OFFER(2),
    REQUEST(3),
    DECLINE(4),
    ACK(5),
    NAK(6),
    RELEASE(7),
    INFORM(8);

    final int code;

    MessageType(int code) {
      this.code = code;
    }

    static Optional<MessageType> of(int code) {
      for (MessageType t : values()) {
        if (t.code == code) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  /** One option: {@code code} 1..254 and up to 255 bytes of data. */
  public record Option(int code, byte[] data) {
    public Option {
      if (code < 1 || code > 254) {
        throw new IllegalArgumentException("option code " + code + " not in 1..254");
      }
      if (data.length > 255) {
        throw new IllegalArgumentException(
            "option " + code + " has " + data.length + " bytes; at most 255 fit");
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Option p && p.code == code && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * code + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return code + "=" + HexFormat.of().formatHex(data);
    }
  }

  public DhcpPacket {
    requireByte(op, "op");
    requireByte(htype, "htype");
    requireByte(hlen, "hlen");
    requireByte(hops, "hops");
    if (secs < 0 || secs > 0xffff) {
      throw new IllegalArgumentException("secs " + secs + " not in 0..65535");
    }
    if (flags < 0 || flags > 0xffff) {
      throw new IllegalArgumentException("flags " + flags + " not in 0..65535");
    }
    Objects.requireNonNull(ciaddr, "ciaddr");
    Objects.requireNonNull(yiaddr, "yiaddr");
    Objects.requireNonNull(siaddr, "siaddr");
    Objects.requireNonNull(giaddr, "giaddr");
    if (chaddr.length != 16) {
      throw new IllegalArgumentException("chaddr has " + chaddr.length + " bytes; expected 16");
    }
    chaddr = chaddr.clone();
    sname = requireField(sname, SNAME, "sname");
    file = requireField(file, FILE, "file");
    options = List.copyOf(options);
  }

  /** Reads one message from {@code in}'s remaining bytes. */
  public static DhcpPacket decode(ByteBuffer in) throws DhcpCodecException {
    int start = in.position();
    int length = in.remaining();
    if (length < MIN_LENGTH) {
      throw new DhcpCodecException(
          "truncated header: " + length + " bytes, expected at least " + MIN_LENGTH);
    }
    ByteBuffer b = in.slice().order(java.nio.ByteOrder.BIG_ENDIAN);
    int op = u8(b, 0);
    int htype = u8(b, 1);
    int hlen = u8(b, 2);
    int hops = u8(b, 3);
    int xid = b.getInt(4);
    int secs = b.getShort(8) & 0xffff;
    int flags = b.getShort(10) & 0xffff;
    Inet4Address ciaddr = address(b, 12);
    Inet4Address yiaddr = address(b, 16);
    Inet4Address siaddr = address(b, 20);
    Inet4Address giaddr = address(b, 24);
    byte[] chaddr = new byte[16];
    b.get(28, chaddr);
    String sname = cString(b, 44, SNAME);
    String file = cString(b, 108, FILE);
    if (b.getInt(HEADER) != MAGIC) {
      throw new DhcpCodecException(
          "wrong magic cookie " + String.format("%08x", b.getInt(HEADER)) + ", expected 63825363");
    }
    List<Option> options = new ArrayList<>();
    int at = MIN_LENGTH;
    while (at < length) {
      int code = u8(b, at);
      if (code == 0) {
        at++;
        continue;
      }
      if (code == 255) {
        break;
      }
      if (at + 1 >= length) {
        throw new DhcpCodecException("option " + code + " at offset " + at + " has no length byte");
      }
      int len = u8(b, at + 1);
      if (at + 2 + len > length) {
        throw new DhcpCodecException(
            "option "
                + code
                + " overruns the packet at offset "
                + at
                + ": length "
                + len
                + ", "
                + (length - at - 2)
                + " bytes left");
      }
      byte[] data = new byte[len];
      b.get(at + 2, data);
      options.add(new Option(code, data));
      at += 2 + len;
    }
    in.position(start + length);
    return new DhcpPacket(
        op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname,
        file, options);
  }

  /** The message on the wire: header, magic cookie, options, END, padded to 300 bytes. */
  public ByteBuffer encode() {
    int size = MIN_LENGTH + 1;
    for (Option o : options) {
      size += 2 + o.data.length;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.max(size, BOOTP_LENGTH));
    b.put((byte) op).put((byte) htype).put((byte) hlen).put((byte) hops);
    b.putInt(xid).putShort((short) secs).putShort((short) flags);
    b.put(ciaddr.getAddress()).put(yiaddr.getAddress()).put(siaddr.getAddress());
    b.put(giaddr.getAddress()).put(chaddr);
    b.put(Arrays.copyOf(sname.getBytes(StandardCharsets.ISO_8859_1), SNAME));
    b.put(Arrays.copyOf(file.getBytes(StandardCharsets.ISO_8859_1), FILE));
    b.putInt(MAGIC);
    for (Option o : options) {
      b.put((byte) o.code).put((byte) o.data.length).put(o.data);
    }
    b.put((byte) 255);
    return b.position(0);
  }

  /** The data of option {@code code}, every occurrence concatenated (RFC 3396). */
  public Optional<byte[]> option(int code) {
    byte[] out = null;
    for (Option o : options) {
      if (o.code == code) {
        out = out == null ? o.data.clone() : concat(out, o.data);
      }
    }
    return Optional.ofNullable(out);
  }

  /** Option 53, when present and known. */
  public Optional<MessageType> messageType() {
    return option(MESSAGE_TYPE).filter(d -> d.length == 1).flatMap(d -> MessageType.of(d[0]));
  }

  /** Option 50. */
  public Optional<Inet4Address> requestedIp() {
    return addressOption(REQUESTED_IP);
  }

  /** Option 54. */
  public Optional<Inet4Address> serverId() {
    return addressOption(SERVER_ID);
  }

  /** Option 55: the codes the client asks for, empty when absent. */
  public byte[] parameterList() {
    return option(PARAMETER_LIST).orElse(new byte[0]);
  }

  /** Option 60 as Latin-1 text, such as {@code PXEClient:Arch:00000:UNDI:002001}. */
  public Optional<String> vendorClass() {
    return option(VENDOR_CLASS).map(d -> new String(d, StandardCharsets.ISO_8859_1));
  }

  /**
   * Option 77 as Latin-1 text. iPXE sends plain {@code iPXE}; RFC 3004 clients send length-prefixed
   * entries, which are returned as they are (a {@code contains} check still works).
   */
  public Optional<String> userClass() {
    return option(USER_CLASS).map(d -> new String(d, StandardCharsets.ISO_8859_1));
  }

  /** Option 93: the first architecture type the client lists (0 BIOS, 7/9 UEFI x64, 11 arm64). */
  public Optional<Integer> clientArch() {
    return option(CLIENT_ARCH)
        .filter(d -> d.length >= 2)
        .map(d -> (d[0] & 0xff) << 8 | d[1] & 0xff);
  }

  /**
   * Option 97, the client machine identifier, for echoing back: only as RFC 4578 defines it, a type
   * byte and a 16-byte GUID. A longer one (it may come in several parts) fits no reply.
   */
  public Optional<byte[]> clientMachineId() {
    return option(CLIENT_MACHINE_ID).filter(d -> d.length == 17);
  }

  /** Option 51 in seconds. */
  public Optional<Long> leaseTime() {
    return option(LEASE_TIME)
        .filter(d -> d.length == 4)
        .map(d -> ByteBuffer.wrap(d).getInt() & 0xffffffffL);
  }

  /** The hardware address as {@code 52:54:00:12:34:01} (the first {@code hlen} bytes, up to 16). */
  public String mac() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(hlen, 16); i++) {
      if (i > 0) {
        s.append(':');
      }
      s.append(String.format("%02x", chaddr[i] & 0xff));
    }
    return s.toString();
  }

  public boolean broadcast() {
    return (flags & BROADCAST) != 0;
  }

  /** A copy with {@code options} in place of these. */
  public DhcpPacket withOptions(List<Option> options) {
    return new DhcpPacket(
        op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname,
        file, options);
  }

  @Override
  public byte[] chaddr() {
    return chaddr.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhcpPacket p
        && p.op == op
        && p.htype == htype
        && p.hlen == hlen
        && p.hops == hops
        && p.xid == xid
        && p.secs == secs
        && p.flags == flags
        && p.ciaddr.equals(ciaddr)
        && p.yiaddr.equals(yiaddr)
        && p.siaddr.equals(siaddr)
        && p.giaddr.equals(giaddr)
        && Arrays.equals(p.chaddr, chaddr)
        && p.sname.equals(sname)
        && p.file.equals(file)
        && p.options.equals(options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(xid, yiaddr, Arrays.hashCode(chaddr), file, options);
  }

  @Override
  public String toString() {
    return "DhcpPacket[op="
        + op
        + ", xid="
        + Integer.toHexString(xid)
        + ", chaddr="
        + mac()
        + ", ciaddr="
        + ciaddr.getHostAddress()
        + ", yiaddr="
        + yiaddr.getHostAddress()
        + ", siaddr="
        + siaddr.getHostAddress()
        + ", giaddr="
        + giaddr.getHostAddress()
        + ", flags="
        + flags
        + ", sname="
        + sname
        + ", file="
        + file
        + ", options="
        + options
        + "]";
  }

  /** {@code 0.0.0.0}. */
  public static final Inet4Address ANY = ipv4(new byte[4]);

  /** The address in four bytes. */
  public static Inet4Address ipv4(byte[] four) {
    try {
      return (Inet4Address) InetAddress.getByAddress(four);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + Arrays.toString(four), e);
    }
  }

  /** A dotted quad such as {@code 192.0.2.21}; never a DNS lookup. */
  public static Inet4Address ipv4(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v;
      try {
        v = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
      }
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      b[i] = (byte) v;
    }
    return ipv4(b);
  }

  private Optional<Inet4Address> addressOption(int code) {
    return option(code).filter(d -> d.length == 4).map(DhcpPacket::ipv4);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xff;
  }

  private static Inet4Address address(ByteBuffer b, int at) {
    byte[] four = new byte[4];
    b.get(at, four);
    return ipv4(four);
  }

  private static String cString(ByteBuffer b, int at, int size) {
    int n = 0;
    while (n < size && b.get(at + n) != 0) {
      n++;
    }
    byte[] s = new byte[n];
    b.get(at, s);
    return new String(s, StandardCharsets.ISO_8859_1);
  }

  private static void requireByte(int v, String what) {
    if (v < 0 || v > 255) {
      throw new IllegalArgumentException(what + " " + v + " not in 0..255");
    }
  }

  private static String requireField(String s, int size, String what) {
    Objects.requireNonNull(s, what);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || c > 0xff) {
        throw new IllegalArgumentException(what + " has a character NUL or beyond Latin-1: " + s);
      }
    }
    if (s.length() > size) {
      throw new IllegalArgumentException(
          what + " has " + s.length() + " characters; at most " + size + " fit");
    }
    return s;
  }
}
