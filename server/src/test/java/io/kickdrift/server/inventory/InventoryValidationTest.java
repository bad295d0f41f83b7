package io.kickdrift.server.inventory;

import static io.kickdrift.server.inventory.InventoryLoaderTest.R9;
import static io.kickdrift.server.inventory.InventoryLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One literal inventory per consistency check, with the exact position of each message. */
class InventoryValidationTest {
  /** 13 lines: a distro, a subnet, a profile; hosts follow from line 14. */
  private static final String BASE =
      R9
          + """
      subnets:
        - network: 192.0.2.0/25
      profiles:
        - name: base
          distro: r9
      hosts:
      """;

  /**
   * A host of the profile {@code base}: 5 lines, the MAC on the fourth, the address on the last.
   */
  static String host(String name, String mac, String ip) {
    return "  - name: "
        + name
        + "\n    profile: base\n    interfaces:\n      - mac: "
        + mac
        + "\n        ip: "
        + ip
        + "\n";
  }

  @Test
  void baseAndHostsAreValid() throws Exception {
    Inventory inventory =
        InventoryLoader.parseYaml(
            "inv.yaml",
            BASE
                + host("a", "aa:bb:cc:dd:ee:01", "192.0.2.1")
                + host("b", "aabbccddee02", "192.0.2.2"));

    assertThat(inventory.hosts()).hasSize(2);
  }

  /** Two hosts that share a MAC (in another spelling), an IP, or a name (in another case). */
  static Stream<Arguments> duplicates() {
    return Stream.of(
        Arguments.of(
            host("a", "aa:bb:cc:dd:ee:01", "192.0.2.1"),
            host("b", "AA-BB-CC-DD-EE-01", "192.0.2.2"),
            "inv.yaml:22:9: hosts[1].interfaces[0].mac: duplicate MAC aa:bb:cc:dd:ee:01; first at"
                + " hosts[0].interfaces[0].mac (line 17)"),
        Arguments.of(
            host("a", "aa:bb:cc:dd:ee:01", "192.0.2.1"),
            host("b", "aa:bb:cc:dd:ee:02", "192.0.2.1"),
            "inv.yaml:23:9: hosts[1].interfaces[0].ip: duplicate IP 192.0.2.1; first at"
                + " hosts[0].interfaces[0].ip (line 18)"),
        Arguments.of(
            host("web.example.com", "aa:bb:cc:dd:ee:01", "192.0.2.1"),
            host("WEB.example.com", "aa:bb:cc:dd:ee:02", "192.0.2.2"),
            "inv.yaml:19:5: hosts[1].name: duplicate host name WEB.example.com; first at"
                + " hosts[0].name (line 14)"));
  }

  @ParameterizedTest
  @MethodSource("duplicates")
  void duplicateMacIpOrHostnameIgnoringCase(String first, String second, String problem) {
    assertThat(problems(BASE + first + second)).containsExactly(problem);
  }

  @Test
  void malformedMac() {
    assertThat(problems(BASE + host("a", "aa:bb:cc:dd:ee", "192.0.2.1")))
        .containsExactly(
            "inv.yaml:17:9: hosts[0].interfaces[0].mac: malformed MAC 'aa:bb:cc:dd:ee'; expected"
                + " aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff");
  }

  @Test
  void malformedIp() {
    assertThat(problems(BASE + host("a", "aa:bb:cc:dd:ee:01", "192.0.2.256")))
        .containsExactly(
            "inv.yaml:18:9: hosts[0].interfaces[0].ip: malformed IPv4 address '192.0.2.256';"
                + " expected a dotted quad such as 192.0.2.1");
  }

  @Test
  void ipOutsideEverySubnet() {
    assertThat(problems(BASE + host("a", "aa:bb:cc:dd:ee:01", "192.0.2.200")))
        .containsExactly(
            "inv.yaml:18:9: hosts[0].interfaces[0].ip: 192.0.2.200 is outside every subnet");
  }

  @Test
  void unknownProfile() {
    assertThat(problems(BASE + "  - name: a\n    profile: bsae\n"))
        .containsExactly("inv.yaml:15:5: hosts[0].profile: unknown profile 'bsae'");
  }

  @Test
  void unknownDistro() {
    assertThat(problems(BASE + "  - name: a\n    profile: other\n").subList(0, 1))
        .containsExactly("inv.yaml:15:5: hosts[0].profile: unknown profile 'other'");
    String text = BASE.replace("distro: r9", "distro: r8");
    assertThat(problems(text))
        .containsExactly("inv.yaml:12:5: profiles[0].distro: unknown distro 'r8'");
  }

  @Test
  void unknownParent() {
    String text = BASE.replace("hosts:\n", "  - name: web\n    parent: bsae\nhosts:\n");
    assertThat(problems(text))
        .containsExactly("inv.yaml:14:5: profiles[1].parent: unknown parent profile 'bsae'");
  }

  @Test
  void inheritanceCycleIsReportedAtEachMember() {
    String text =
        BASE.replace(
            "hosts:\n",
            "  - name: a\n    parent: b\n  - name: b\n    parent: a\n  - name: c\n    parent: a\n"
                + "hosts:\n");
    assertThat(problems(text))
        .containsExactly(
            "inv.yaml:14:5: profiles[1].parent: profile inheritance cycle: a -> b -> a",
            "inv.yaml:16:5: profiles[2].parent: profile inheritance cycle: b -> a -> b");
  }

  @Test
  void selfParentIsACycle() {
    String text = BASE.replace("distro: r9\n", "distro: r9\n    parent: base\n");
    assertThat(problems(text))
        .containsExactly(
            "inv.yaml:13:5: profiles[0].parent: profile inheritance cycle: base -> base");
  }

  @Test
  void missingRequiredFieldsAreAllReported() {
    String text =
        "distros:\n  - name: r9\n    family: rocky\nprofiles:\n  - name: p\nhosts:\n  - interfaces: []\n";
    assertThat(problems(text))
        .containsExactly(
            "inv.yaml:2:5: distros[0].version: missing; expected an OS version such as 9",
            "inv.yaml:2:5: distros[0].kernel: missing; expected the kernel's URL or TFTP path",
            "inv.yaml:2:5: distros[0].initrd: missing; expected the initrd's URL or TFTP path",
            "inv.yaml:2:5: distros[0].install-tree: missing; expected the install tree's URL",
            "inv.yaml:5:5: profiles[0].distro: missing; expected a distro name (or a parent to"
                + " take it from)",
            "inv.yaml:7:5: hosts[0].name: missing; expected a host name or FQDN",
            "inv.yaml:7:5: hosts[0].profile: missing; expected a profile name");
  }

  @Test
  void subnetChecks() {
    String text =
        """
        subnets:
          - network: 192.0.2.1/25
          - network: 192.0.2.128/25
            router: 192.0.2.300
            dns: [192.0.2.2, nameserver]
            range:
              start: 192.0.2.200
              end: 192.0.2.10
        """;
    assertThat(problems(text))
        .containsExactly(
            "inv.yaml:2:5: subnets[0].network: malformed network '192.0.2.1/25'; expected CIDR"
                + " such as 192.0.2.0/25",
            "inv.yaml:4:5: subnets[1].router: malformed IPv4 address '192.0.2.300'; expected a"
                + " dotted quad such as 192.0.2.1",
            "inv.yaml:5:22: subnets[1].dns[1]: malformed IPv4 address 'nameserver'; expected a"
                + " dotted quad such as 192.0.2.1",
            "inv.yaml:8:7: subnets[1].range.end: 192.0.2.10 is outside 192.0.2.128/25");
  }

  @Test
  void duplicateNamesOfDistrosAndProfiles() {
    String text =
        BASE.replace(
                "subnets:\n",
                "  - name: r9\n    family: fedora\n    version: '41'\n    kernel: k\n    initrd: i\n    install-tree: http://f/\nsubnets:\n")
            .replace("hosts:\n", "  - name: base\n    parent: base\nhosts:\n");
    assertThat(problems(text))
        .contains(
            "inv.yaml:8:5: distros[1].name: duplicate distro name r9; first at distros[0].name"
                + " (line 2)",
            "inv.yaml:19:5: profiles[1].name: duplicate profile name base; first at"
                + " profiles[0].name (line 17)");
  }

  @Test
  void problemsAreSortedByPosition() {
    String text =
        BASE.replace("distro: r9", "distro: r8")
            + host("a", "zz", "192.0.2.1")
            + host("a", "aa:bb:cc:dd:ee:02", "10.0.0.1");
    assertThat(problems(text))
        .extracting(p -> p.substring(0, p.indexOf(": ")))
        .containsExactly("inv.yaml:12:5", "inv.yaml:17:9", "inv.yaml:19:5", "inv.yaml:23:9");
  }

  /** Found by the property test: lookups by name must survive entries whose name is missing. */
  @Test
  void entriesWithoutNamesAreReportedNotFollowed() {
    String text =
        "distros:\n  - family: rocky\nprofiles:\n  - distro: r9\n    parent: x\n"
            + "hosts:\n  - profile: p\n";
    assertThat(problems(text))
        .contains(
            "inv.yaml:2:5: distros[0].name: missing; expected a distro name",
            "inv.yaml:4:5: profiles[0].name: missing; expected a profile name",
            "inv.yaml:4:5: profiles[0].distro: unknown distro 'r9'",
            "inv.yaml:5:5: profiles[0].parent: unknown parent profile 'x'",
            "inv.yaml:7:5: hosts[0].profile: unknown profile 'p'");
  }

  @Test
  void malformedHostName() {
    assertThat(problems(BASE + host("bad_name", "aa:bb:cc:dd:ee:01", "192.0.2.1")))
        .containsExactly(
            "inv.yaml:14:5: hosts[0].name: malformed host name 'bad_name'; expected a DNS name");
  }

  /** BASE with a router, a next-server and a dynamic range: 16 lines, hosts from line 17. */
  private static final String SERVED =
      BASE.replace(
          "  - network: 192.0.2.0/25\n",
          "  - network: 192.0.2.0/25\n    router: 192.0.2.1\n    next-server: 192.0.2.10\n"
              + "    range: {start: 192.0.2.100, end: 192.0.2.120}\n");

  /** Four hosts whose address no host may have, and the problem each one gets. */
  static Stream<Arguments> refusedAddresses() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "MACs no interface has",
                BASE
                    + hostsWithMacs(
                        "ff:ff:ff:ff:ff:ff",
                        "01-00-5E-00-00-01",
                        "00-00-00-00-00-00",
                        "33:33:00:00:00:01")),
            List.of(
                "inv.yaml:17:9: hosts[0].interfaces[0].mac: ff:ff:ff:ff:ff:ff is the broadcast"
                    + " MAC; expected a network interface's own (unicast) MAC",
                "inv.yaml:22:9: hosts[1].interfaces[0].mac: 01:00:5e:00:00:01 is a multicast MAC"
                    + " (the first octet is odd); expected a network interface's own (unicast)"
                    + " MAC",
                "inv.yaml:27:9: hosts[2].interfaces[0].mac: 00:00:00:00:00:00 is the all-zero"
                    + " MAC; expected a network interface's own (unicast) MAC",
                "inv.yaml:32:9: hosts[3].interfaces[0].mac: 33:33:00:00:00:01 is a multicast MAC"
                    + " (the first octet is odd); expected a network interface's own (unicast)"
                    + " MAC")),
        Arguments.of(
            Named.of(
                "addresses DHCP cannot hand to one host",
                SERVED + hostsWithIps("192.0.2.0", "192.0.2.127", "192.0.2.100", "192.0.2.120")),
            List.of(
                "inv.yaml:21:9: hosts[0].interfaces[0].ip: 192.0.2.0 is the network address of"
                    + " 192.0.2.0/25; expected a host address, 192.0.2.1 to 192.0.2.126",
                "inv.yaml:26:9: hosts[1].interfaces[0].ip: 192.0.2.127 is the broadcast address"
                    + " of 192.0.2.0/25; expected a host address, 192.0.2.1 to 192.0.2.126",
                "inv.yaml:31:9: hosts[2].interfaces[0].ip: 192.0.2.100 is inside the dynamic"
                    + " range of subnets[0] (192.0.2.100 to 192.0.2.120, line 12), which DHCP"
                    + " hands to any client; expected an address outside it",
                "inv.yaml:36:9: hosts[3].interfaces[0].ip: 192.0.2.120 is inside the dynamic"
                    + " range of subnets[0] (192.0.2.100 to 192.0.2.120, line 12), which DHCP"
                    + " hands to any client; expected an address outside it")));
  }

  @ParameterizedTest(name = "{0} are refused")
  @MethodSource("refusedAddresses")
  void addressesNoHostMayHaveAreRefused(String inventory, List<String> problems) {
    assertThat(problems(inventory)).containsExactlyElementsOf(problems);
  }

  /** Hosts a, b, c… with the given MACs and the addresses 192.0.2.1, 192.0.2.2… */
  private static String hostsWithMacs(String... macs) {
    StringBuilder hosts = new StringBuilder();
    for (int i = 0; i < macs.length; i++) {
      hosts.append(host(String.valueOf((char) ('a' + i)), macs[i], "192.0.2." + (i + 1)));
    }
    return hosts.toString();
  }

  /** Hosts a, b, c… with the given addresses and the MACs aa:bb:cc:dd:ee:01, …:02… */
  private static String hostsWithIps(String... ips) {
    StringBuilder hosts = new StringBuilder();
    for (int i = 0; i < ips.length; i++) {
      hosts.append(host(String.valueOf((char) ('a' + i)), "aa:bb:cc:dd:ee:0" + (i + 1), ips[i]));
    }
    return hosts.toString();
  }

  @Test
  void theRoutersOrTheServersAddressOnlyWarns() throws Exception {
    List<String> warnings = new ArrayList<>();
    String text =
        "server: {address: 192.0.2.10}\n"
            + SERVED
            + host("gw", "aa:bb:cc:dd:ee:01", "192.0.2.1")
            + host("kickdrift", "aa:bb:cc:dd:ee:02", "192.0.2.10");

    Inventory inventory =
        InventoryLoader.parse(
            "inv.yaml",
            text.getBytes(StandardCharsets.UTF_8),
            false,
            warnings::add,
            ReadLimits.DEFAULT);

    assertThat(inventory.hosts()).hasSize(2);
    assertThat(warnings)
        .containsExactly(
            "inv.yaml:22:9: warning: hosts[0].interfaces[0].ip: 192.0.2.1 is also"
                + " subnets[0].router (line 11); fine if this host is the router, otherwise DHCP"
                + " hands this host the router's address",
            "inv.yaml:27:9: warning: hosts[1].interfaces[0].ip: 192.0.2.10 is also"
                + " subnets[0].next-server (line 12); fine if this host is the next-server,"
                + " otherwise DHCP hands this host the next-server's address",
            "inv.yaml:27:9: warning: hosts[1].interfaces[0].ip: 192.0.2.10 is also server.address"
                + " (line 1); fine if this host is the kickdrift server, otherwise DHCP hands this"
                + " host the kickdrift server's address");
  }

  @Test
  void pointToPointSubnetsHaveNoNetworkOrBroadcastAddress() throws Exception {
    String text =
        BASE.replace("  - network: 192.0.2.0/25\n", "  - network: 198.51.100.0/31\n")
            + host("a", "aa:bb:cc:dd:ee:01", "198.51.100.0")
            + host("b", "aa:bb:cc:dd:ee:02", "198.51.100.1");

    assertThat(InventoryLoader.parseYaml("inv.yaml", text).hosts()).hasSize(2);
  }
}
