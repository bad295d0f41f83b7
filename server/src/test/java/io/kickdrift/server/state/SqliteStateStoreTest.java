package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest {
  private static final Instant T1 = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-24T11:00:00Z");

  @Test
  void anInstallTurnsNetbootOffAndSurvivesReopening(@TempDir Path dir) {
    try (StateStore store = SqliteStateStore.open(dir)) {
      assertThat(store.host("web01")).isEmpty();
      store.installed("web01", true, T1, "from 192.0.2.21");
    }
    try (StateStore store = SqliteStateStore.open(dir)) {
      assertThat(store.host("web01")).contains(new HostRecord("web01", false, true, T1, T1));
      assertThat(store.events("web01", 10))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.kind()).isEqualTo("installed");
                assertThat(e.detail()).isEqualTo("from 192.0.2.21");
                assertThat(e.at()).isEqualTo(T1);
              });
    }
  }

  @Test
  void reenablingKeepsTheInstallTimeAndLogsAnEvent(@TempDir Path dir) {
    try (StateStore store = SqliteStateStore.open(dir)) {
      store.installed("web01", true, T1, "");
      store.netboot("web01", true, true, T2, "by admin");
      assertThat(store.host("web01")).contains(new HostRecord("web01", true, true, T2, T1));
      assertThat(store.events(null, 10))
          .extracting(Event::kind)
          .containsExactly("netboot-enabled", "installed");
      assertThat(store.events("other", 10)).isEmpty();
      assertThat(store.hosts()).containsOnlyKeys("web01");
    }
  }

  @Test
  void theServersDecisionHoldsUntilTheInventoryChanges() {
    HostRecord installed = new HostRecord("h", false, true, T1, T1);
    assertThat(StateStore.netboot(true, Optional.empty())).isTrue();
    assertThat(StateStore.netboot(false, Optional.empty())).isFalse();
    assertThat(StateStore.netboot(true, Optional.of(installed))).isFalse();
    // the inventory was edited to false and back to true since: a new request to install
    HostRecord seenFalse = new HostRecord("h", false, false, T1, T1);
    assertThat(StateStore.netboot(true, Optional.of(seenFalse))).isTrue();
    HostRecord reenabled = new HostRecord("h", true, false, T2, T1);
    assertThat(StateStore.netboot(false, Optional.of(reenabled))).isTrue();
  }

  @Test
  void twoStoresOnOneDatabaseSeeEachOthersWrites(@TempDir Path dir) {
    try (StateStore server = SqliteStateStore.open(dir);
        StateStore cli = SqliteStateStore.open(dir)) {
      server.installed("web01", true, T1, "");
      cli.netboot("web01", true, true, T2, "kickdrift netboot enable");
      assertThat(server.host("web01").orElseThrow().netboot()).isTrue();
    }
  }

  @Test
  void aDatabaseOfAnotherSchemaIsRefusedByName(@TempDir Path dir) throws Exception {
    try (StateStore store = SqliteStateStore.open(dir)) {
      store.event(null, "started", "", T1);
    }
    try (var db =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kickdrift.db"));
        var s = db.createStatement()) {
      s.execute("UPDATE meta SET value = '99' WHERE key = 'schema'");
    }
    assertThatThrownBy(() -> SqliteStateStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("kickdrift.db: cannot open the state database: schema version 99");
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedByName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("kickdrift.db"), "not sqlite at all, just text ".repeat(100));
    assertThatThrownBy(() -> SqliteStateStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("kickdrift.db: cannot open the state database");
  }

  @Test
  void eventsArePagedNewestFirstByTheIdOfTheLastOneSeen(@TempDir Path dir) {
    try (StateStore store = SqliteStateStore.open(dir)) {
      for (int i = 1; i <= 5; i++) {
        store.event(i % 2 == 0 ? "web02" : "web01", "boot-menu", "menu " + i, T1);
      }
      java.util.List<Event> first = store.eventsBefore(null, Long.MAX_VALUE, 2);
      assertThat(first).extracting(Event::detail).containsExactly("menu 5", "menu 4");
      java.util.List<Event> second = store.eventsBefore(null, first.get(1).id(), 2);
      assertThat(second).extracting(Event::detail).containsExactly("menu 3", "menu 2");
      assertThat(store.eventsBefore(null, second.get(1).id(), 2))
          .extracting(Event::detail)
          .containsExactly("menu 1");
      assertThat(store.eventsBefore("web01", first.get(1).id(), 10))
          .extracting(Event::detail)
          .containsExactly("menu 3", "menu 1");
      assertThat(store.eventsBefore("web01", 1, 10)).isEmpty();
    }
  }
}
