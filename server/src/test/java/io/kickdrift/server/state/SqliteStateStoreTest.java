package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on SQLite, and what only SQLite has: its file, its schema history. */
class SqliteStateStoreTest extends StateStoreContract {
  @TempDir Path dir;

  @Override
  StateStore open() {
    return SqliteStateStore.open(dir);
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
}
