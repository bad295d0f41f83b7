package io.kickdrift.server.inventory;

import static io.kickdrift.server.inventory.InventoryLoaderTest.R9;
import static io.kickdrift.server.inventory.InventoryLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server keys of the install lifecycle: their defaults, and errors with file and line. */
class ServerLifecycleKeysTest {

  @Test
  void defaultsAndGivenValues() throws Exception {
    Server defaults = InventoryLoader.parseYaml("inv.yaml", R9).server();
    assertThat(defaults.tokenLifetime()).isEqualTo(Duration.ofHours(4));
    assertThat(defaults.kickstartFromAny()).isFalse();
    assertThat(defaults.eventsRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(defaults.eventsMaxCount()).isEqualTo(100_000);

    Server given =
        InventoryLoader.parseYaml(
                "inv.yaml",
                """
                server:
                  install-token-lifetime: 7d
                  kickstart-from: any
                  events-max-age: 12h
                  events-max-count: 5000
                """
                    + R9)
            .server();
    assertThat(given.tokenLifetime()).isEqualTo(Duration.ofDays(7));
    assertThat(given.kickstartFromAny()).isTrue();
    assertThat(given.eventsRetention()).isEqualTo(Duration.ofHours(12));
    assertThat(given.eventsMaxCount()).isEqualTo(5000);
    // serve's listener overrides keep them
    assertThat(given.withListeners("127.0.0.1", 8080, 6969).tokenLifetime())
        .isEqualTo(Duration.ofDays(7));
  }

  @Test
  void badValuesAreReportedAtTheirLine() {
    assertThat(
            problems(
                """
                server:
                  install-token-lifetime: 4 hours
                  kickstart-from: anywhere
                  events-max-age: 30s
                  events-max-count: 10
                """
                    + R9))
        .containsExactly(
            "inv.yaml:2:3: server.install-token-lifetime: '4 hours' is not a duration; expected"
                + " e.g. 30s, 5m, 4h, 7d or 500ms",
            "inv.yaml:3:3: server.kickstart-from: 'anywhere'; expected host (only the host's own"
                + " addresses) or any",
            "inv.yaml:4:3: server.events-max-age: '30s'; expected 1h to 3650d",
            "inv.yaml:5:3: server.events-max-count: 10; expected 1000 to 100000000 events");
    assertThat(problems("server:\n  install-token-lifetime: 400d\n" + R9))
        .containsExactly(
            "inv.yaml:2:3: server.install-token-lifetime: '400d'; expected 1m to 365d");
  }
}
