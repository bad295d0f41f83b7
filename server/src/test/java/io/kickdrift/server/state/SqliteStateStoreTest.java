package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest {
  private static final Instant T1 = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-24T11:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

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
      Install window = new Install("a".repeat(32), T2, T2.plusSeconds(3600));
      store.enable("web01", window, true, "by admin");
      assertThat(store.host("web01")).contains(new HostRecord("web01", true, true, T2, T1, window));
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
      cli.enable("web01", Install.start(T2, HOUR), true, "kickdrift netboot enable");
      assertThat(server.host("web01").orElseThrow().netboot()).isTrue();
    }
  }

  @Test
  void aDatabaseOfAnotherSchemaIsRefusedByName(@TempDir Path dir) throws Exception {
    // a database from before migrations, whose meta table names an unknown schema
    try (var db =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kickdrift.db"));
        var s = db.createStatement()) {
      s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("INSERT INTO meta VALUES ('schema', '99')");
    }
    assertThatThrownBy(() -> SqliteStateStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("kickdrift.db: cannot open the state database: schema version 99")
        .hasMessageContaining("a database of the release before migrations has 1 or 2");
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

  @Test
  void eachEnableStartsANewInstallWindowAndTheCallbackOrADisableClosesIt(@TempDir Path dir) {
    try (StateStore store = SqliteStateStore.open(dir)) {
      Install first = Install.start(T1, HOUR);
      Install second = Install.start(T2, HOUR);
      assertThat(first.id()).hasSize(32).isNotEqualTo(second.id());
      store.enable("web01", first, false, "kickdrift netboot enable");
      assertThat(InstallPhase.install(false, store.host("web01"))).contains(first);
      store.enable("web01", second, false, "API");
      assertThat(InstallPhase.install(false, store.host("web01"))).contains(second);
      assertThat(InstallPhase.of(false, store.host("web01"), T2.plusSeconds(60)))
          .isEqualTo(InstallPhase.PENDING);
      assertThat(InstallPhase.of(false, store.host("web01"), T2.plus(HOUR)))
          .isEqualTo(InstallPhase.EXPIRED);

      store.installed("web01", false, T2.plusSeconds(600), "callback");
      assertThat(store.host("web01").orElseThrow().install()).isNull();
      assertThat(InstallPhase.of(false, store.host("web01"), T2.plusSeconds(601)))
          .isEqualTo(InstallPhase.LOCAL);

      store.enable("web02", first, false, "");
      store.disable("web02", false, T2, "kickdrift netboot disable");
      assertThat(store.host("web02").orElseThrow())
          .isEqualTo(new HostRecord("web02", false, false, T2, null, null));
      assertThat(store.events("web01", 10))
          .extracting(Event::detail)
          .anyMatch(d -> d.endsWith("install " + second.shortId() + " until " + second.expires()));
    }
  }

  @Test
  void issuingGivesWindowsOnlyToHostsThatStillHaveNone(@TempDir Path dir) {
    try (StateStore store = SqliteStateStore.open(dir)) {
      Install open = Install.start(T1, HOUR);
      store.enable("pending", open, true, "");
      store.disable("disabled", true, T1, "kickdrift netboot disable");
      store.installed("installed", true, T1, "");
      store.enable("flipped", Install.start(T1, HOUR), false, ""); // decided when inventory false
      List<StateStore.NewInstall> wanted = new ArrayList<>();
      for (String h : List.of("new", "pending", "disabled", "installed", "flipped")) {
        wanted.add(StateStore.NewInstall.of(h, true, Optional.empty(), T2, HOUR));
      }
      assertThat(store.issue(wanted)).containsExactly("new", "flipped");
      assertThat(store.host("pending").orElseThrow().install()).isEqualTo(open);
      assertThat(store.host("new").orElseThrow().install()).isEqualTo(wanted.get(0).install());
      assertThat(store.host("flipped").orElseThrow().inventoryNetboot()).isTrue();
      assertThat(store.host("disabled").orElseThrow().netboot()).isFalse();
      assertThat(store.issue(wanted)).isEmpty();
    }
  }

  @Test
  void aSchema1DatabaseIsMigratedInPlaceKeepingItsHostsAndEvents(@TempDir Path dir)
      throws Exception {
    // the tables exactly as kickdrift with schema 1 made them
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kickdrift.db"));
        var s = db.createStatement()) {
      s.execute(
          "CREATE TABLE hosts (name TEXT PRIMARY KEY, netboot INTEGER NOT NULL,"
              + " inventory_netboot INTEGER NOT NULL, updated TEXT NOT NULL, installed TEXT)");
      s.execute(
          "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " at TEXT NOT NULL, host TEXT, kind TEXT NOT NULL, detail TEXT NOT NULL)");
      s.execute("CREATE INDEX events_host ON events (host, id)");
      s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("INSERT INTO meta VALUES ('schema', '1')");
      s.execute("INSERT INTO hosts VALUES ('web01', 0, 1, '" + T1 + "', '" + T1 + "')");
      s.execute("INSERT INTO hosts VALUES ('web02', 1, 0, '" + T2 + "', NULL)");
      s.execute(
          "INSERT INTO events (at, host, kind, detail) VALUES ('"
              + T1
              + "', 'web01',"
              + " 'installed', 'callback from 192.0.2.21')");
    }
    try (StateStore store = SqliteStateStore.open(dir)) {
      assertThat(store.host("web01")).contains(new HostRecord("web01", false, true, T1, T1));
      assertThat(store.host("web02")).contains(new HostRecord("web02", true, false, T2, null));
      // web02 still netboots; serve or render issue its first window
      assertThat(InstallPhase.of(false, store.host("web02"), T2)).isEqualTo(InstallPhase.UNISSUED);
      assertThat(store.events("web01", 10)).extracting(Event::kind).containsExactly("installed");
      StateStore.NewInstall window =
          StateStore.NewInstall.of("web02", false, store.host("web02"), T2, HOUR);
      assertThat(window.why()).isEqualTo("netboot was enabled before install windows existed");
      assertThat(store.issue(List.of(window))).containsExactly("web02");
      assertThat(InstallPhase.of(false, store.host("web02"), T2)).isEqualTo(InstallPhase.PENDING);
      assertThat(store.host("web02").orElseThrow().install()).isEqualTo(window.install());
    }
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kickdrift.db"));
        var s = db.createStatement();
        var r = s.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("2");
    }
    try (StateStore again = SqliteStateStore.open(dir)) {
      assertThat(again.host("web02").orElseThrow().netboot()).isTrue();
    }
  }

  @Test
  void pruningDropsEventsByAgeThenKeepsTheNewest(@TempDir Path dir) {
    try (StateStore store = SqliteStateStore.open(dir)) {
      for (int i = 0; i < 10; i++) {
        // sub-second instants too: their text does not sort, their value must
        store.event("h", "e" + i, "", T1.plusSeconds(i * 3600).plusMillis(i % 2 == 0 ? 0 : 500));
      }
      assertThat(store.prune(T1.plusSeconds(3 * 3600), 1000)).isEqualTo(3);
      assertThat(store.events(null, 100)).extracting(Event::kind).last().isEqualTo("e3");
      assertThat(store.prune(T1, 4)).isEqualTo(3);
      assertThat(store.events(null, 100))
          .extracting(Event::kind)
          .containsExactly("e9", "e8", "e7", "e6");
    }
  }

  @Test
  void storedEventFieldsAreCut(@TempDir Path dir) {
    try (StateStore store = SqliteStateStore.open(dir)) {
      store.event("h".repeat(10_000), "k".repeat(1000), "d".repeat(1_000_000), T1);
      Event e = store.events(null, 1).get(0);
      assertThat(e.host()).hasSizeLessThanOrEqualTo(StateStore.MAX_HOST);
      assertThat(e.kind()).hasSizeLessThanOrEqualTo(StateStore.MAX_KIND);
      assertThat(e.detail())
          .hasSizeLessThanOrEqualTo(StateStore.MAX_DETAIL)
          .endsWith("more)")
          .startsWith("ddd");
    }
  }
}
