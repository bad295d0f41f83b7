package io.kickdrift.server.dhcp;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import io.kickdrift.server.dhcp.DhcpPacket.Option;
import io.kickdrift.server.dhcp.LeaseStore.Lease;
import io.kickdrift.server.render.SiteModel;
import io.kickdrift.server.render.SubnetModel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the answer to one request from the site model and the leases, without sockets: the reply
 * and where it goes, or nothing. See docs/dhcp.md for the rules.
 */
final class DhcpPolicy {
  /** How long an ACKed dynamic lease lasts, and how long an offered address is held. */
  static final Duration LEASE = Duration.ofHours(1);

  static final Duration OFFER_HOLD = Duration.ofMinutes(1);
  static final Duration DECLINE_HOLD = Duration.ofMinutes(10);
  static final int CLIENT_PORT = 68;
  static final int SERVER_PORT = 67;
  private static final Inet4Address BROADCAST = DhcpPacket.ipv4("255.255.255.255");

  /**
   * Option 43 for PXE clients: sub-option 6 (discovery control) = 8, boot file from DHCP, no
   * multicast/broadcast boot-server discovery (as dnsmasq).
   */
  private static final byte[] PXE_BOOT_FILE_FROM_DHCP = {6, 1, 8, (byte) 255};

  /** The reply, where to send it, and the line to log. */
  record Reply(DhcpPacket packet, InetSocketAddress to, String log) {}

  private final DhcpServer.Mode mode;
  private final Inet4Address server;
  private final LeaseStore leases;
  private final Clock clock;

  DhcpPolicy(DhcpServer.Mode mode, Inet4Address server, LeaseStore leases, Clock clock) {
    this.mode = mode;
    this.server = server;
    this.leases = leases;
    this.clock = clock;
  }

  /**
   * The answer to {@code req}, which came from {@code from}; {@code pxePort} when it arrived on the
   * PXE (4011) port rather than 67.
   */
  Optional<Reply> answer(DhcpPacket req, InetSocketAddress from, boolean pxePort, SiteModel site) {
    if (req.op() != DhcpPacket.BOOTREQUEST || req.htype() != 1 || req.hlen() != 6) {
      return Optional.empty();
    }
    Optional<MessageType> type = req.messageType();
    if (type.isEmpty()) {
      return Optional.empty(); // plain BOOTP is not served
    }
    return mode == DhcpServer.Mode.PROXY
        ? proxy(req, type.get(), from, pxePort, site)
        : reservations(req, type.get(), site);
  }

  private Optional<Reply> proxy(
      DhcpPacket req, MessageType type, InetSocketAddress from, boolean pxePort, SiteModel site) {
    String vendor = req.vendorClass().orElse("");
    boolean http = vendor.startsWith("HTTPClient");
    if (!vendor.startsWith("PXEClient") && !http) {
      return Optional.empty();
    }
    MessageType answer;
    if (pxePort && type == MessageType.REQUEST) {
      answer = MessageType.ACK;
    } else if (!pxePort && type == MessageType.DISCOVER) {
      answer = MessageType.OFFER;
    } else if (!pxePort
        && type == MessageType.REQUEST
        && req.serverId().filter(server::equals).isPresent()) {
      answer = MessageType.ACK;
    } else {
      return Optional.empty();
    }
    SubnetModel subnet = localSubnet(req, site).orElse(null);
    Boot boot = boot(req, site);
    List<Option> opts = new ArrayList<>();
    opts.add(new Option(DhcpPacket.MESSAGE_TYPE, new byte[] {(byte) answer.code}));
    opts.add(new Option(DhcpPacket.SERVER_ID, server.getAddress()));
    opts.add(new Option(DhcpPacket.VENDOR_CLASS, ascii(http ? "HTTPClient" : "PXEClient")));
    if (!http) {
      opts.add(new Option(DhcpPacket.VENDOR_SPECIFIC, PXE_BOOT_FILE_FROM_DHCP));
    }
    req.clientMachineId().ifPresent(id -> opts.add(new Option(DhcpPacket.CLIENT_MACHINE_ID, id)));
    Inet4Address next = nextServer(subnet, site);
    addBoot(opts, boot, next);
    DhcpPacket reply = reply(req, DhcpPacket.ANY, next, boot.file, opts);
    InetSocketAddress to = pxePort ? from : destination(req, answer);
    String who = reservationOf(req.mac(), site).map(r -> r.host() + ", proxy").orElse("proxy");
    return Optional.of(new Reply(reply, to, line(answer, "0.0.0.0", req.mac(), who, boot.file)));
  }

  private Optional<Reply> reservations(DhcpPacket req, MessageType type, SiteModel site) {
    Instant now = clock.instant();
    Optional<SubnetModel> found = localSubnet(req, site);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SubnetModel subnet = found.get();
    String mac = req.mac();
    Optional<SubnetModel.Reservation> reserved =
        subnet.reservations().stream().filter(r -> mac.equalsIgnoreCase(r.mac())).findFirst();
    switch (type) {
      case DISCOVER -> {
        Optional<Inet4Address> ip =
            reserved.isPresent()
                ? reserved.map(r -> DhcpPacket.ipv4(r.ip()))
                : offered(req, subnet, site, now);
        return ip.map(a -> full(req, MessageType.OFFER, a, subnet, reserved, site));
      }
      case REQUEST -> {
        Optional<Inet4Address> sid = req.serverId();
        if (sid.isPresent() && !sid.get().equals(server)) {
          return Optional.empty(); // the client took another server's offer
        }
        Inet4Address wanted =
            req.requestedIp().orElse(req.ciaddr().equals(DhcpPacket.ANY) ? null : req.ciaddr());
        if (wanted == null) {
          return Optional.empty();
        }
        boolean ok;
        if (reserved.isPresent()) {
          ok = wanted.equals(DhcpPacket.ipv4(reserved.get().ip()));
        } else if (subnet.rangeStart() == null) {
          return Optional.empty(); // not a client of ours
        } else {
          ok = inRange(wanted, subnet) && free(wanted, mac, site, now);
        }
        // the claim decides between servers sharing the leases: another may have just taken it
        if (!ok
            || (reserved.isEmpty()
                && !leases.claim(new Lease(mac, wanted, now.plus(LEASE)), now))) {
          return Optional.of(nak(req, wanted, mac));
        }
        return Optional.of(full(req, MessageType.ACK, wanted, subnet, reserved, site));
      }
      case INFORM -> {
        return Optional.of(full(req, MessageType.ACK, DhcpPacket.ANY, subnet, reserved, site));
      }
      case RELEASE -> {
        leases.release(mac, req.ciaddr());
        return Optional.empty();
      }
      case DECLINE -> {
        req.requestedIp()
            .filter(ip -> reserved.isEmpty() && inRange(ip, subnet))
            .ifPresent(ip -> leases.put(new Lease("", ip, now.plus(DECLINE_HOLD))));
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** The most addresses one DISCOVER tries to claim before it gives up on an answer. */
  private static final int CLAIM_TRIES = 16;

  /**
   * The address offered to a client without a reservation, held for it by a short lease: the {@link
   * #dynamic} choice, chosen again when another server claimed it first.
   */
  private Optional<Inet4Address> offered(
      DhcpPacket req, SubnetModel subnet, SiteModel site, Instant now) {
    for (int i = 0; i < CLAIM_TRIES; i++) {
      Optional<Inet4Address> ip = dynamic(req, subnet, site, now);
      if (ip.isEmpty() || leases.claim(new Lease(req.mac(), ip.get(), now.plus(OFFER_HOLD)), now)) {
        return ip;
      }
    }
    return Optional.empty();
  }

  /** The address for a client without a reservation: its lease, the one it asks for, the next. */
  private Optional<Inet4Address> dynamic(
      DhcpPacket req, SubnetModel subnet, SiteModel site, Instant now) {
    if (subnet.rangeStart() == null) {
      return Optional.empty();
    }
    String mac = req.mac();
    Optional<Lease> mine = leases.byMac(mac);
    if (mine.isPresent()
        && inRange(mine.get().ip(), subnet)
        && free(mine.get().ip(), mac, site, now)) {
      return Optional.of(mine.get().ip());
    }
    Optional<Inet4Address> asked = req.requestedIp();
    if (asked.isPresent() && inRange(asked.get(), subnet) && free(asked.get(), mac, site, now)) {
      return asked;
    }
    Set<Inet4Address> taken = leases.active(now);
    Set<Inet4Address> reserved = reservedAddresses(site);
    long end = toLong(DhcpPacket.ipv4(subnet.rangeEnd()));
    for (long a = toLong(DhcpPacket.ipv4(subnet.rangeStart())); a <= end; a++) {
      Inet4Address ip = fromLong(a);
      if (!taken.contains(ip) && !reserved.contains(ip)) {
        return Optional.of(ip);
      }
    }
    return Optional.empty();
  }

  /** Not reserved for anyone, and not leased (or offered) to another MAC, nor declined. */
  private boolean free(Inet4Address ip, String mac, SiteModel site, Instant now) {
    if (reservedAddresses(site).contains(ip) || ip.equals(server)) {
      return false;
    }
    Optional<Lease> l = leases.byIp(ip);
    return l.isEmpty() || !l.get().activeAt(now) || l.get().mac().equals(mac);
  }

  private Reply full(
      DhcpPacket req,
      MessageType answer,
      Inet4Address yiaddr,
      SubnetModel subnet,
      Optional<SubnetModel.Reservation> reserved,
      SiteModel site) {
    Boot boot = boot(req, site);
    Inet4Address next = nextServer(subnet, site);
    List<Option> opts = new ArrayList<>();
    opts.add(new Option(DhcpPacket.MESSAGE_TYPE, new byte[] {(byte) answer.code}));
    opts.add(new Option(DhcpPacket.SERVER_ID, server.getAddress()));
    if (answer != MessageType.ACK || !yiaddr.equals(DhcpPacket.ANY)) {
      opts.add(new Option(DhcpPacket.LEASE_TIME, u32(LEASE.toSeconds())));
    }
    opts.add(new Option(DhcpPacket.SUBNET_MASK, DhcpPacket.ipv4(subnet.netmask()).getAddress()));
    if (subnet.router() != null) {
      opts.add(new Option(DhcpPacket.ROUTER, DhcpPacket.ipv4(subnet.router()).getAddress()));
    }
    if (!subnet.dns().isEmpty()) {
      ByteBuffer dns = ByteBuffer.allocate(4 * Math.min(subnet.dns().size(), 63));
      subnet.dns().stream().limit(63).forEach(d -> dns.put(DhcpPacket.ipv4(d).getAddress()));
      opts.add(new Option(DhcpPacket.DNS, dns.array()));
    }
    if (subnet.domain() != null) {
      opts.add(new Option(DhcpPacket.DOMAIN_NAME, ascii(subnet.domain())));
    }
    reserved.ifPresent(r -> opts.add(new Option(DhcpPacket.HOST_NAME, ascii(r.shortName()))));
    String vendor = req.vendorClass().orElse("");
    if (vendor.startsWith("HTTPClient")) {
      opts.add(new Option(DhcpPacket.VENDOR_CLASS, ascii("HTTPClient")));
    } else if (vendor.startsWith("PXEClient")) {
      opts.add(new Option(DhcpPacket.VENDOR_CLASS, ascii("PXEClient")));
      // Without it, UEFI PXE (EDK2/OVMF) takes the offer for a BINL one and asks a boot server
      // on 4011 for the boot file instead of loading the one given here (PXE-E16).
      opts.add(new Option(DhcpPacket.VENDOR_SPECIFIC, PXE_BOOT_FILE_FROM_DHCP));
    }
    req.clientMachineId().ifPresent(id -> opts.add(new Option(DhcpPacket.CLIENT_MACHINE_ID, id)));
    addBoot(opts, boot, next);
    DhcpPacket reply = reply(req, yiaddr, next, boot.file, opts);
    String who = reserved.map(r -> r.host() + ", reservation").orElse("lease");
    return new Reply(
        reply,
        destination(req, answer),
        line(answer, yiaddr.getHostAddress(), req.mac(), who, boot.file));
  }

  private Reply nak(DhcpPacket req, Inet4Address wanted, String mac) {
    List<Option> opts =
        List.of(
            new Option(DhcpPacket.MESSAGE_TYPE, new byte[] {(byte) MessageType.NAK.code}),
            new Option(DhcpPacket.SERVER_ID, server.getAddress()),
            new Option(DhcpPacket.MESSAGE, ascii("address not available to this client")));
    DhcpPacket reply = reply(req, DhcpPacket.ANY, DhcpPacket.ANY, "", opts);
    return new Reply(
        reply,
        destination(req, MessageType.NAK),
        "dhcp NAK " + wanted.getHostAddress() + " to " + mac);
  }

  /** The boot file a client gets, by the rules in docs/dhcp.md; empty file when none fits. */
  record Boot(String file, String why) {}

  static Boot boot(DhcpPacket req, SiteModel site) {
    if (site.server().ipxeScript() && req.userClass().filter(u -> u.contains("iPXE")).isPresent()) {
      return new Boot(site.ipxeUrl(), "iPXE");
    }
    int arch = req.clientArch().orElse(0);
    String loader =
        switch (arch) {
          case 0 -> site.server().biosLoader();
          case 6, 7, 9, 15, 16 -> site.server().uefiLoader();
          case 11, 19 -> site.server().arm64Loader();
          default -> null;
        };
    if (loader == null) {
      return new Boot("", "arch " + arch);
    }
    if (req.vendorClass().filter(v -> v.startsWith("HTTPClient")).isPresent()) {
      return new Boot(site.baseUrl() + "/" + loader, "HTTP boot");
    }
    return new Boot(loader, "arch " + arch);
  }

  private static void addBoot(List<Option> opts, Boot boot, Inet4Address next) {
    opts.add(new Option(DhcpPacket.TFTP_SERVER, ascii(next.getHostAddress())));
    if (!boot.file.isEmpty()) {
      opts.add(new Option(DhcpPacket.BOOTFILE, ascii(boot.file)));
    }
  }

  private DhcpPacket reply(
      DhcpPacket req, Inet4Address yiaddr, Inet4Address siaddr, String file, List<Option> opts) {
    // A URL longer than the 128-byte field still travels in option 67.
    String field = file.length() <= 127 ? file : "";
    return new DhcpPacket(
        DhcpPacket.BOOTREPLY,
        req.htype(),
        req.hlen(),
        0,
        req.xid(),
        0,
        req.flags(),
        req.ciaddr(),
        yiaddr,
        siaddr,
        req.giaddr(),
        req.chaddr(),
        "",
        field,
        opts);
  }

  /**
   * Relayed: back to the relay on 67. A NAK, or a client without an address: broadcast (we cannot
   * add the ARP entry unicast to yiaddr needs). A client with an address: unicast to it.
   */
  static InetSocketAddress destination(DhcpPacket req, MessageType answer) {
    if (!req.giaddr().equals(DhcpPacket.ANY)) {
      return new InetSocketAddress(req.giaddr(), SERVER_PORT);
    }
    if (answer != MessageType.NAK && !req.ciaddr().equals(DhcpPacket.ANY)) {
      return new InetSocketAddress(req.ciaddr(), CLIENT_PORT);
    }
    return new InetSocketAddress(BROADCAST, CLIENT_PORT);
  }

  /** By relay address, else by client address, else the subnet the server is on. */
  private Optional<SubnetModel> localSubnet(DhcpPacket req, SiteModel site) {
    Inet4Address key =
        !req.giaddr().equals(DhcpPacket.ANY)
            ? req.giaddr()
            : !req.ciaddr().equals(DhcpPacket.ANY) ? req.ciaddr() : server;
    Optional<SubnetModel> s = site.subnets().stream().filter(n -> contains(n, key)).findFirst();
    if (s.isEmpty() && req.giaddr().equals(DhcpPacket.ANY) && site.subnets().size() == 1) {
      return Optional.of(site.subnets().get(0));
    }
    return s;
  }

  private static Optional<SubnetModel.Reservation> reservationOf(String mac, SiteModel site) {
    return site.subnets().stream()
        .flatMap(s -> s.reservations().stream())
        .filter(r -> mac.equalsIgnoreCase(r.mac()))
        .findFirst();
  }

  private static Set<Inet4Address> reservedAddresses(SiteModel site) {
    Set<Inet4Address> out = new java.util.HashSet<>();
    for (SubnetModel s : site.subnets()) {
      for (SubnetModel.Reservation r : s.reservations()) {
        out.add(DhcpPacket.ipv4(r.ip()));
      }
    }
    return out;
  }

  private Inet4Address nextServer(SubnetModel subnet, SiteModel site) {
    String next = subnet != null && subnet.nextServer() != null ? subnet.nextServer() : null;
    if (next == null) {
      next = site.serverAddress();
    }
    try {
      return DhcpPacket.ipv4(next);
    } catch (IllegalArgumentException e) {
      return server; // a host name in server.address: the DHCP server itself serves TFTP
    }
  }

  static boolean contains(SubnetModel s, Inet4Address ip) {
    long mask = s.prefix() == 0 ? 0 : (0xffffffffL << (32 - s.prefix())) & 0xffffffffL;
    return (toLong(ip) & mask) == (toLong(DhcpPacket.ipv4(s.address())) & mask);
  }

  private static boolean inRange(Inet4Address ip, SubnetModel s) {
    if (s.rangeStart() == null) {
      return false;
    }
    long a = toLong(ip);
    return a >= toLong(DhcpPacket.ipv4(s.rangeStart()))
        && a <= toLong(DhcpPacket.ipv4(s.rangeEnd()));
  }

  static long toLong(Inet4Address ip) {
    return ByteBuffer.wrap(ip.getAddress()).getInt() & 0xffffffffL;
  }

  static Inet4Address fromLong(long a) {
    return DhcpPacket.ipv4(ByteBuffer.allocate(4).putInt((int) a).array());
  }

  private static byte[] u32(long v) {
    return ByteBuffer.allocate(4).putInt((int) v).array();
  }

  private static byte[] ascii(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return b.length > 255 ? java.util.Arrays.copyOf(b, 255) : b;
  }

  private static String line(MessageType t, String ip, String mac, String who, String file) {
    return "dhcp "
        + t
        + " "
        + ip
        + " to "
        + mac
        + " ("
        + who
        + ")"
        + (file.isEmpty() ? " no boot file" : " boot " + file);
  }
}
