package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code dns:} section and interfaces' {@code ip6}: loaded, defaulted, and checked. */
class DnsInventoryTest {
  static final String BASE =
      """
      distros: [{name: d, family: rocky, version: "9", kernel: k, initrd: i, install-tree: "http://t/"}]
      profiles: [{name: p, distro: d}]
      subnets: [{network: 192.0.2.0/24, domain: lab.example.com}]
      hosts:
        - name: web01
          profile: p
          interfaces:
            - {name: eth0, mac: "52:54:00:00:00:01", ip: 192.0.2.21, ip6: "2001:db8::21"}
            - {name: eth1, mac: "52:54:00:00:00:02", ip: 192.0.2.121}
      """;

  @Test
  void aDnsSectionLoadsWithDefaults() throws Exception {
    Inventory inv =
        InventoryLoader.parseYaml(
            "inv.yaml",
            BASE
                + """
                dns:
                  key-file: k.key
                  zones:
                    - {name: lab.example.com, primary: "192.0.2.2:5353", nameservers: [ns1.example.com]}
                    - {name: 2.0.192.in-addr.arpa, primary: "[2001:db8::2]", nameservers: [ns1.example.com]}
                """);

    assertThat(inv.dns().ttl()).isEqualTo(3600);
    assertThat(inv.dns().owner()).isEqualTo("kickdrift");
    assertThat(inv.dns().zones())
        .extracting(DnsZone::primary)
        .containsExactly("192.0.2.2:5353", "[2001:db8::2]");
    assertThat(inv.hosts().get(0).interfaces().get(0).ip6()).isEqualTo("2001:db8::21");
  }

  @Test
  void everyDnsProblemIsReportedAtItsKey() {
    List<String> problems =
        InventoryLoaderTest.problems(
            BASE.replace("ip6: \"2001:db8::21\"", "ip6: \"2001:db8::zz\"")
                    .replace("name: eth1", "name: \"eth 1\"")
                + """
                dns:
                  ttl: -5
                  owner: "two words"
                  resolvers: [192.0.2.300]
                  zones:
                    - {name: "bad..zone", primary: "host.example.com", nameservers: []}
                    - {name: lab.example.com, nameservers: [ns1.example.com]}
                    - {name: LAB.example.com., nameservers: [ns1.example.com]}
                """);

    assertThat(problems)
        .anyMatch(p -> p.contains("interfaces[0].ip6: malformed IPv6 address '2001:db8::zz'"))
        .anyMatch(p -> p.contains("interfaces[1].name: 'eth 1' is not a DNS label"))
        .anyMatch(p -> p.contains("dns.ttl: -5; expected 1 to 2147483647 seconds"))
        .anyMatch(p -> p.contains("dns.owner: 'two words'"))
        .anyMatch(p -> p.contains("dns.resolvers[0]: '192.0.2.300'; expected address[:port]"))
        .anyMatch(p -> p.contains("dns.zones[0].name: malformed DNS name 'bad..zone'"))
        .anyMatch(
            p -> p.contains("dns.zones[0].primary: 'host.example.com'; expected address[:port]"))
        .anyMatch(p -> p.contains("dns.zones[0].nameservers: missing"))
        .anyMatch(p -> p.contains("dns.zones[2].name: duplicate zone LAB.example.com."));
    assertThat(problems).allMatch(p -> p.matches("inv\\.yaml:\\d+:\\d+: .*"));
  }
}
