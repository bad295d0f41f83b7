package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariablesTest {
  private static Profile profile(String name, String parent, Map<String, String> variables) {
    return new Profile(
        name, parent == null ? "d" : null, parent, null, null, null, null, variables);
  }

  private static final Inventory INVENTORY =
      new Inventory(
          null,
          new Defaults(Map.of("a", "default", "b", "default", "c", "default", "d", "default")),
          List.of(),
          List.of(
              profile("leaf", "mid", Map.of("c", "leaf")),
              profile("root", null, Map.of("b", "root", "c", "root", "d", "root")),
              profile("mid", "root", Map.of("c", "mid", "d", "mid"))),
          List.of(
              new Host("h", List.of(), "leaf", false, Map.of("d", "host"), null),
              new Host("g", List.of(), "root", false, null, null)),
          List.of());

  @Test
  void hostOverridesProfileChainWhichOverridesDefaults() {
    Map<String, String> vars = INVENTORY.variables(INVENTORY.host("h").orElseThrow());

    assertThat(vars)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", "default", "b", "root", "c", "leaf", "d", "host"));
    assertThatThrownBy(() -> vars.put("e", "x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void chainStartsAtTheRootParent() {
    assertThat(INVENTORY.chain(INVENTORY.profile("leaf").orElseThrow()))
        .extracting(Profile::name)
        .containsExactly("root", "mid", "leaf");
    assertThat(INVENTORY.variables(INVENTORY.host("g").orElseThrow()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", "default", "b", "root", "c", "root", "d", "root"));
  }

  @Test
  void exampleInventoryResolvesAsDocumented() throws Exception {
    Inventory example = InventoryLoader.load(InventoryLoaderTest.EXAMPLE);

    assertThat(example.variables(example.host("web01.lab.example.com").orElseThrow()))
        .containsExactly(
            Map.entry("timezone", "UTC"),
            Map.entry("lang", "en_US.UTF-8"),
            Map.entry("keyboard", "us"),
            Map.entry("ntp-server", "192.0.2.1"),
            Map.entry("selinux", "enforcing"),
            Map.entry("role", "frontend"));
  }
}
