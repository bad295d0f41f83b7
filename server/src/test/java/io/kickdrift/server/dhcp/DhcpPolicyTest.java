package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import io.kickdrift.server.dhcp.DhcpPolicy.Reply;
import io.kickdrift.server.inventory.Server;
import io.kickdrift.server.render.SiteModel;
import io.kickdrift.server.render.SubnetModel;
import io.kickdrift.server.render.SubnetModel.Reservation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DhcpPolicyTest {
  static final SiteModel SITE =
      new SiteModel(
          new Server("192.0.2.10", 0, 0, null, null, null, null, null),
          "192.0.2.10",
          "http://192.0.2.10",
          "http://192.0.2.10/ipxe/boot.ipxe",
          "site.yaml",
          List.of(
              new SubnetModel(
                  1,
                  "s1",
                  "192.0.2.0/25",
                  "192.0.2.0",
                  "255.255.255.128",
                  25,
                  "192.0.2.1",
                  List.of("192.0.2.2", "192.0.2.3"),
                  "lab.example.com",
                  "192.0.2.10",
                  "192.0.2.100",
                  "192.0.2.102",
                  List.of(
                      new Reservation(
                          "web01.lab.example.com",
                          "web01",
                          "eth0",
                          "52:54:00:12:34:01",
                          "192.0.2.21"),
                      new Reservation(
                          "db01.lab.example.com",
                          "db01",
                          "eth0",
                          "52:54:00:12:34:02",
                          "192.0.2.101"))),
              new SubnetModel(
                  2,
                  "s2",
                  "192.0.2.128/25",
                  "192.0.2.128",
                  "255.255.255.128",
                  25,
                  "192.0.2.129",
                  List.of(),
                  null,
                  null,
                  null,
                  null,
                  List.of())),
          List.of());
  static final InetSocketAddress BROADCAST = new InetSocketAddress("255.255.255.255", 68);
  static final InetSocketAddress FROM = new InetSocketAddress("0.0.0.0", 68);

  private final MemoryLeaseStore leases = new MemoryLeaseStore();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final DhcpPolicy reservations =
      new DhcpPolicy(DhcpServer.Mode.RESERVATIONS, DhcpPacket.ipv4("192.0.2.10"), leases, clock);
  private final DhcpPolicy proxy =
      new DhcpPolicy(DhcpServer.Mode.PROXY, DhcpPacket.ipv4("192.0.2.10"), leases, clock);

  private Optional<Reply> ask(DhcpPolicy policy, Requests r) {
    return policy.answer(r.build(), FROM, false, SITE);
  }

  /** Checks that {@code policy} answers nothing to {@code r}. */
  private void assertIgnored(DhcpPolicy policy, Requests r) {
    assertThat(ask(policy, r)).isEmpty();
  }

  private Reply answered(DhcpPolicy policy, Requests r) {
    Optional<Reply> reply = ask(policy, r);
    assertThat(reply).as("a reply to %s", r.build()).isPresent();
    return reply.get();
  }

  private static String text(Reply r, int code) {
    return r.packet()
        .option(code)
        .map(b -> new String(b, StandardCharsets.ISO_8859_1))
        .orElse(null);
  }

  private static String hex(Reply r, int code) {
    return r.packet().option(code).map(HexFormat.of()::formatHex).orElse(null);
  }

  @Test
  void reservedMacIsOfferedItsAddressAndTheSubnetOptions() {
    Reply r = answered(reservations, Requests.of(MessageType.DISCOVER).pxe(0));
    DhcpPacket p = r.packet();
    assertThat(p.op()).isEqualTo(DhcpPacket.BOOTREPLY);
    assertThat(p.xid()).isEqualTo(0x1234);
    assertThat(p.messageType()).contains(MessageType.OFFER);
    assertThat(p.yiaddr().getHostAddress()).isEqualTo("192.0.2.21");
    assertThat(p.siaddr().getHostAddress()).isEqualTo("192.0.2.10");
    assertThat(p.file()).isEqualTo("pxelinux.0");
    assertThat(hex(r, DhcpPacket.SUBNET_MASK)).isEqualTo("ffffff80");
    assertThat(hex(r, DhcpPacket.ROUTER)).isEqualTo("c0000201");
    assertThat(hex(r, DhcpPacket.DNS)).isEqualTo("c0000202c0000203");
    assertThat(text(r, DhcpPacket.DOMAIN_NAME)).isEqualTo("lab.example.com");
    assertThat(text(r, DhcpPacket.HOST_NAME)).isEqualTo("web01");
    assertThat(hex(r, DhcpPacket.SERVER_ID)).isEqualTo("c000020a");
    assertThat(p.leaseTime()).contains(3600L);
    assertThat(text(r, DhcpPacket.TFTP_SERVER)).isEqualTo("192.0.2.10");
    assertThat(text(r, DhcpPacket.BOOTFILE)).isEqualTo("pxelinux.0");
    assertThat(text(r, DhcpPacket.VENDOR_CLASS)).isEqualTo("PXEClient");
    // boot file from DHCP, no discovery: else OVMF asks port 4011 and gives up (PXE-E16)
    assertThat(hex(r, DhcpPacket.VENDOR_SPECIFIC)).isEqualTo("060108ff");
    assertThat(r.to()).isEqualTo(BROADCAST);
    assertThat(r.log())
        .isEqualTo(
            "dhcp OFFER 192.0.2.21 to 52:54:00:12:34:01 (web01.lab.example.com, reservation)"
                + " boot pxelinux.0");
    assertThat(leases.active(now)).isEmpty();
  }

  @Test
  void requestForTheReservationIsAckedAndAnyOtherNaked() {
    Reply ack =
        answered(
            reservations,
            Requests.of(MessageType.REQUEST)
                .ip(DhcpPacket.REQUESTED_IP, "192.0.2.21")
                .ip(DhcpPacket.SERVER_ID, "192.0.2.10"));
    assertThat(ack.packet().messageType()).contains(MessageType.ACK);
    assertThat(ack.packet().yiaddr().getHostAddress()).isEqualTo("192.0.2.21");
    Reply nak =
        answered(
            reservations,
            Requests.of(MessageType.REQUEST).ip(DhcpPacket.REQUESTED_IP, "192.0.2.22"));
    assertThat(nak.packet().messageType()).contains(MessageType.NAK);
    assertThat(nak.packet().yiaddr()).isEqualTo(DhcpPacket.ANY);
    assertThat(nak.to()).isEqualTo(BROADCAST);
  }

  @Test
  void requestForAnotherServerIsIgnored() {
    assertIgnored(
        reservations,
        Requests.of(MessageType.REQUEST)
            .ip(DhcpPacket.REQUESTED_IP, "192.0.2.21")
            .ip(DhcpPacket.SERVER_ID, "192.0.2.11"));
  }

  @Test
  void otherMacsLeaseFromTheRangeSkippingReservedAndLeasedAddresses() {
    Reply first = answered(reservations, Requests.discover("52:54:00:aa:00:01"));
    assertThat(first.packet().yiaddr().getHostAddress()).isEqualTo("192.0.2.100");
    assertThat(first.log()).contains("(lease)");
    // .101 is db01's reservation, so the next client gets .102.
    Reply second = answered(reservations, Requests.discover("52:54:00:aa:00:02"));
    assertThat(second.packet().yiaddr().getHostAddress()).isEqualTo("192.0.2.102");
    // The range is used up: a third client gets nothing.
    assertIgnored(reservations, Requests.discover("52:54:00:aa:00:03"));
    // The first asks again and gets the same address.
    Reply again = answered(reservations, Requests.discover("52:54:00:aa:00:01"));
    assertThat(again.packet().yiaddr().getHostAddress()).isEqualTo("192.0.2.100");
    // Another MAC may not take .100 by asking for it, nor the reserved .101.
    for (String taken : List.of("192.0.2.100", "192.0.2.101")) {
      Reply nak = answered(reservations, Requests.request("52:54:00:aa:00:03", taken));
      assertThat(nak.packet().messageType()).as(taken).contains(MessageType.NAK);
    }
  }

  @Test
  void offersLapseAndAckedLeasesExpire() {
    answered(reservations, Requests.discover("52:54:00:aa:00:01"));
    Reply ack = answered(reservations, Requests.request("52:54:00:aa:00:01", "192.0.2.100"));
    assertThat(ack.packet().messageType()).contains(MessageType.ACK);
    assertThat(leases.byIp(DhcpPacket.ipv4("192.0.2.100")))
        .hasValueSatisfying(l -> assertThat(l.expires()).isEqualTo(now.plus(DhcpPolicy.LEASE)));
    now = now.plus(Duration.ofMinutes(30));
    assertThat(
            answered(reservations, Requests.discover("52:54:00:aa:00:02"))
                .packet()
                .yiaddr()
                .getHostAddress())
        .isEqualTo("192.0.2.102");
    now = now.plus(Duration.ofHours(1));
    assertThat(leases.expire(now)).isEqualTo(2);
    assertThat(
            answered(reservations, Requests.discover("52:54:00:aa:00:03"))
                .packet()
                .yiaddr()
                .getHostAddress())
        .isEqualTo("192.0.2.100");
  }

  @Test
  void releaseFreesAndDeclineHoldsTheAddress() {
    answered(reservations, Requests.request("52:54:00:aa:00:01", "192.0.2.100"));
    assertIgnored(
        reservations,
        Requests.of(MessageType.RELEASE).mac("52:54:00:aa:00:01").ciaddr("192.0.2.100"));
    assertThat(leases.active(now)).isEmpty();
    assertIgnored(
        reservations,
        Requests.of(MessageType.DECLINE)
            .mac("52:54:00:aa:00:01")
            .ip(DhcpPacket.REQUESTED_IP, "192.0.2.100"));
    assertThat(
            answered(reservations, Requests.discover("52:54:00:aa:00:01"))
                .packet()
                .yiaddr()
                .getHostAddress())
        .isEqualTo("192.0.2.102");
  }

  @Test
  void informIsAckedUnicastWithoutAnAddressOrLease() {
    Reply r =
        answered(
            reservations,
            Requests.of(MessageType.INFORM)
                .mac("52:54:00:aa:00:09")
                .unicast()
                .ciaddr("192.0.2.50"));
    assertThat(r.packet().messageType()).contains(MessageType.ACK);
    assertThat(r.packet().yiaddr()).isEqualTo(DhcpPacket.ANY);
    assertThat(r.packet().leaseTime()).isEmpty();
    assertThat(text(r, DhcpPacket.DOMAIN_NAME)).isEqualTo("lab.example.com");
    assertThat(r.to()).isEqualTo(new InetSocketAddress("192.0.2.50", 68));
  }

  @Test
  void relayedRequestsPickTheSubnetByGiaddrAndGoBackToTheRelay() {
    Reply r =
        answered(
            reservations,
            Requests.of(MessageType.DISCOVER).mac("52:54:00:aa:00:01").giaddr("192.0.2.1"));
    assertThat(r.to()).isEqualTo(new InetSocketAddress("192.0.2.1", 67));
    assertThat(r.packet().giaddr().getHostAddress()).isEqualTo("192.0.2.1");
    // The second subnet has no range and no reservations: nothing to give.
    assertIgnored(
        reservations,
        Requests.of(MessageType.DISCOVER).mac("52:54:00:aa:00:01").giaddr("192.0.2.129"));
    // A relay on a network the inventory does not know.
    assertIgnored(
        reservations,
        Requests.of(MessageType.DISCOVER).mac("52:54:00:aa:00:01").giaddr("198.51.100.1"));
  }

  @Test
  void renewingClientIsAnsweredUnicast() {
    Reply r =
        answered(reservations, Requests.of(MessageType.REQUEST).unicast().ciaddr("192.0.2.21"));
    assertThat(r.packet().messageType()).contains(MessageType.ACK);
    assertThat(r.to()).isEqualTo(new InetSocketAddress("192.0.2.21", 68));
  }

  @Test
  void bootFileFollowsTheClientArchitecture() {
    assertThat(bootOf(Requests.of(MessageType.DISCOVER).pxe(0))).isEqualTo("pxelinux.0");
    assertThat(bootOf(Requests.of(MessageType.DISCOVER))).isEqualTo("pxelinux.0");
    assertThat(bootOf(Requests.of(MessageType.DISCOVER).pxe(7))).isEqualTo("grubx64.efi");
    assertThat(bootOf(Requests.of(MessageType.DISCOVER).pxe(9))).isEqualTo("grubx64.efi");
    assertThat(bootOf(Requests.of(MessageType.DISCOVER).pxe(11))).isEqualTo("grubaa64.efi");
    assertThat(bootOf(Requests.of(MessageType.DISCOVER).pxe(7).text(DhcpPacket.USER_CLASS, "iPXE")))
        .isEqualTo("http://192.0.2.10/ipxe/boot.ipxe");
    assertThat(bootOf(Requests.of(MessageType.DISCOVER).pxe(0).text(DhcpPacket.USER_CLASS, "iPXE")))
        .isEqualTo("http://192.0.2.10/ipxe/boot.ipxe");
    Reply http = answered(reservations, Requests.httpClientDiscover(16));
    assertThat(http.packet().file()).isEqualTo("http://192.0.2.10/grubx64.efi");
    assertThat(text(http, DhcpPacket.VENDOR_CLASS)).isEqualTo("HTTPClient");
    assertThat(text(http, DhcpPacket.BOOTFILE)).isEqualTo("http://192.0.2.10/grubx64.efi");
  }

  @Test
  void withoutTheIpxeScriptIpxeClientsGetTheirArchitecturesLoader() {
    SiteModel site =
        new SiteModel(
            new Server("192.0.2.10", 0, 0, null, null, null, false, null),
            SITE.serverAddress(),
            SITE.baseUrl(),
            SITE.ipxeUrl(),
            SITE.source(),
            SITE.subnets(),
            SITE.hosts());
    DhcpPacket bios =
        Requests.of(MessageType.DISCOVER).pxe(0).text(DhcpPacket.USER_CLASS, "iPXE").build();
    DhcpPacket uefi =
        Requests.of(MessageType.DISCOVER).pxe(7).text(DhcpPacket.USER_CLASS, "iPXE").build();
    assertThat(reservations.answer(bios, FROM, false, site).map(r -> r.packet().file()))
        .contains("pxelinux.0");
    assertThat(reservations.answer(uefi, FROM, false, site).map(r -> r.packet().file()))
        .contains("grubx64.efi");
  }

  private String bootOf(Requests r) {
    Reply reply = answered(reservations, r);
    assertThat(text(reply, DhcpPacket.BOOTFILE)).isEqualTo(reply.packet().file());
    return reply.packet().file();
  }

  @Test
  void proxyModeIgnoresClientsThatAreNotPxe() {
    assertIgnored(proxy, Requests.of(MessageType.DISCOVER));
    assertIgnored(proxy, Requests.of(MessageType.DISCOVER).text(60, "udhcp 1.36.1"));
  }

  /**
   * Found while writing DhcpPacketFuzzTest: option 97 sent twice (RFC 3396 concatenates them) made
   * 300 bytes, which no reply option can hold; answer() threw and the client got no offer. Only an
   * RFC 4578 identifier (a type byte and a 16-byte GUID) is echoed.
   */
  @Test
  void aMachineIdLongerThanAnOptionIsNotEchoed() {
    for (DhcpPolicy policy : List.of(proxy, reservations)) {
      Reply r =
          answered(
              policy,
              Requests.of(MessageType.DISCOVER)
                  .pxe(0)
                  .option(DhcpPacket.CLIENT_MACHINE_ID, new byte[200])
                  .option(DhcpPacket.CLIENT_MACHINE_ID, new byte[100]));
      assertThat(r.packet().messageType()).contains(MessageType.OFFER);
      assertThat(r.packet().clientMachineId()).isEmpty();
    }
  }

  @Test
  void proxyOfferCarriesBootInformationButNoAddress() {
    byte[] uuid = HexFormat.of().parseHex("0000112233445566778899aabbccddeeff");
    Reply r =
        answered(
            proxy,
            Requests.of(MessageType.DISCOVER)
                .mac("52:54:00:aa:00:01")
                .pxe(7)
                .option(DhcpPacket.CLIENT_MACHINE_ID, uuid));
    DhcpPacket p = r.packet();
    assertThat(p.messageType()).contains(MessageType.OFFER);
    assertThat(p.yiaddr()).isEqualTo(DhcpPacket.ANY);
    assertThat(p.siaddr().getHostAddress()).isEqualTo("192.0.2.10");
    assertThat(p.file()).isEqualTo("grubx64.efi");
    assertThat(text(r, DhcpPacket.VENDOR_CLASS)).isEqualTo("PXEClient");
    assertThat(hex(r, DhcpPacket.VENDOR_SPECIFIC)).isEqualTo("060108ff");
    assertThat(hex(r, DhcpPacket.SERVER_ID)).isEqualTo("c000020a");
    assertThat(p.clientMachineId()).hasValueSatisfying(id -> assertThat(id).isEqualTo(uuid));
    assertThat(p.leaseTime()).isEmpty();
    assertThat(p.option(DhcpPacket.ROUTER)).isEmpty();
    assertThat(r.to()).isEqualTo(BROADCAST);
    assertThat(r.log())
        .isEqualTo("dhcp OFFER 0.0.0.0 to 52:54:00:aa:00:01 (proxy) boot grubx64.efi");
    assertThat(leases.active(now)).isEmpty();
  }

  @Test
  void proxyAnswersTheBootServerRequestOnPort4011() {
    InetSocketAddress client = new InetSocketAddress("192.0.2.120", 4011);
    DhcpPacket req =
        Requests.of(MessageType.REQUEST).pxe(11).unicast().ciaddr("192.0.2.120").build();
    Reply r = proxy.answer(req, client, true, SITE).orElseThrow();
    assertThat(r.packet().messageType()).contains(MessageType.ACK);
    assertThat(r.packet().file()).isEqualTo("grubaa64.efi");
    assertThat(r.to()).isEqualTo(client);
    // A REQUEST on 67 for the DHCP server's offer is not ours.
    assertIgnored(
        proxy,
        Requests.of(MessageType.REQUEST)
            .pxe(0)
            .ip(DhcpPacket.SERVER_ID, "192.0.2.11")
            .ip(DhcpPacket.REQUESTED_IP, "192.0.2.120"));
  }

  @Test
  void proxyHttpClientGetsAUrlAndTheHttpClientVendorClass() {
    Reply r = answered(proxy, Requests.httpClientDiscover(19));
    assertThat(r.packet().file()).isEqualTo("http://192.0.2.10/grubaa64.efi");
    assertThat(text(r, DhcpPacket.VENDOR_CLASS)).isEqualTo("HTTPClient");
    assertThat(r.packet().option(DhcpPacket.VENDOR_SPECIFIC)).isEmpty();
  }

  @Test
  void bootpWithoutMessageTypeAndNonEthernetAreIgnored() {
    DhcpPacket bootp = Requests.of(MessageType.DISCOVER).build().withOptions(List.of());
    assertThat(reservations.answer(bootp, FROM, false, SITE)).isEmpty();
  }
}
