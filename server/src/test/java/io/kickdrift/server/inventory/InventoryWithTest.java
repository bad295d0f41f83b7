package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each {@code with…} copy replaces its one part and keeps every other. */
class InventoryWithTest {
  final Inventory inv =
      InventoryLoader.parseYaml(
          "inv.yaml",
          DnsInventoryTest.BASE
              + """
              dns:
                key-file: k.key
                zones:
                  - {name: lab.example.com, primary: "192.0.2.2:5353", nameservers: [ns1.example.com]}
              """);

  InventoryWithTest() throws InventoryException {}

  @Test
  void withServerReplacesTheServerOnly() {
    Server other = inv.server().withListeners("192.0.2.9", 8080, 6969);
    Inventory copy = inv.withServer(other);

    assertThat(copy.server()).isEqualTo(other).isNotEqualTo(inv.server());
    assertThat(copy.withServer(inv.server())).isEqualTo(inv);
  }

  @Test
  void withHostsReplacesTheHostsOnly() {
    List<Host> none = List.of();
    Inventory copy = inv.withHosts(none);

    assertThat(copy.hosts()).isEmpty();
    assertThat(copy.withHosts(inv.hosts())).isEqualTo(inv);
  }

  @Test
  void withDnsReplacesTheDnsSectionOnly() {
    Inventory copy = inv.withDns(null);

    assertThat(inv.dns()).isNotNull();
    assertThat(copy.dns()).isNull();
    assertThat(copy.withDns(inv.dns())).isEqualTo(inv);
  }
}
