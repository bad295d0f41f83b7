package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.dhcp.JdbcLeaseStore;
import io.kickdrift.server.dhcp.LeaseStore;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateSchemaTest {
  private static final Instant T1 = Instant.parse("2026-11-24T10:00:00Z");

  @TempDir Path dir;

  @Test
  void latestIsTheHighestVersionOfTheMigrations() throws Exception {
    URL folder = getClass().getClassLoader().getResource(StateSchema.LOCATION);
    int highest = 0;
    Pattern name = Pattern.compile("V(\\d+)__\\w+\\.sql");
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      for (Path f : files.toList()) {
        Matcher m = name.matcher(f.getFileName().toString());
        assertThat(m.matches()).as("migration file name %s", f.getFileName()).isTrue();
        highest = Math.max(highest, Integer.parseInt(m.group(1)));
      }
    }
    assertThat(StateSchema.LATEST).isEqualTo(highest);
  }

  @Test
  void aNewDatabaseGetsEveryMigrationInItsHistory() throws Exception {
    assertThat(StateDatabase.migrate(dir)).isEqualTo(StateSchema.LATEST);
    try (Connection db = connect()) {
      assertThat(history(db))
          .containsExactly(
              "1 SQL " + "schema of the release before migrations",
              "2 SQL access",
              "3 SQL scan jobs");
      assertThat(StateSchema.installed(db)).isEqualTo(StateSchema.LATEST);
    }
  }

  @Test
  void aDatabaseOfTheReleaseBeforeMigrationsIsBaselinedKeepingItsRows() throws Exception {
    copyFixture();
    try (StateStore store = SqliteStateStore.open(dir);
        LeaseStore leases = JdbcLeaseStore.open(dir)) {
      assertThat(store.hosts())
          .containsOnlyKeys(
              "web01.lab.example.com", "web02.lab.example.com", "ws01.dmz.example.com");
      assertThat(store.host("web01.lab.example.com").orElseThrow().netboot()).isFalse();
      assertThat(store.events(null, 100))
          .extracting(Event::kind)
          .containsExactly("boot-menu", "netboot-enabled", "netboot-disabled", "netboot-enabled");
      assertThat(leases.byMac("52:54:00:12:34:99")).isPresent();
    }
    try (Connection db = connect()) {
      assertThat(history(db))
          .containsExactly(
              "1 BASELINE release before migrations", "2 SQL access", "3 SQL scan jobs");
    }
  }

  @Test
  void aDatabaseWithoutTheLeaseTableIsCompletedThenBaselined() throws Exception {
    legacy(
        "CREATE TABLE hosts (name TEXT PRIMARY KEY, netboot INTEGER NOT NULL,"
            + " inventory_netboot INTEGER NOT NULL, updated TEXT NOT NULL, installed TEXT,"
            + " install_id TEXT, install_issued TEXT, install_expires TEXT)");
    try (LeaseStore leases = JdbcLeaseStore.open(dir)) {
      assertThat(leases.active(T1)).isEmpty();
    }
    try (Connection db = connect()) {
      assertThat(history(db))
          .containsExactly(
              "1 BASELINE release before migrations", "2 SQL access", "3 SQL scan jobs");
      assertThat(StateSchema.describe(db)).containsKeys("table leases", "index leases_mac");
    }
  }

  @Test
  void aDatabaseWhoseTablesDifferIsRefusedAndLeftAsItWas() throws Exception {
    legacy(
        "CREATE TABLE hosts (name TEXT PRIMARY KEY, netboot INTEGER NOT NULL,"
            + " inventory_netboot INTEGER NOT NULL, updated TEXT NOT NULL, installed TEXT,"
            + " install_id TEXT, install_issued TEXT, install_expires TEXT, owner TEXT)");
    assertThatThrownBy(() -> SqliteStateStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("kickdrift.db: cannot open the state database")
        .hasMessageContaining("its tables are not those of the release before migrations")
        .hasMessageContaining("table hosts is (")
        .hasMessageContaining("owner TEXT), expected (");
    try (Connection db = connect()) {
      assertThat(StateSchema.userTables(db)).containsExactly("events", "hosts", "meta");
    }
  }

  @Test
  void aDatabaseOfSomethingElseIsRefusedByItsTables() throws Exception {
    try (Connection db = connect();
        Statement s = db.createStatement()) {
      s.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)");
    }
    assertThatThrownBy(() -> SqliteStateStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining(
            "not a kickdrift state database: tables [photos], no history of migrations");
  }

  @Test
  void aNewerDatabaseIsRefusedNamingBothVersions() throws Exception {
    StateDatabase.migrate(dir);
    try (Connection db = connect();
        Statement s = db.createStatement()) {
      s.execute(
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type,"
              + " script, checksum, installed_by, execution_time, success) VALUES (99, '7',"
              + " 'a later release', 'SQL', 'V7__later.sql', 0, 'test', 1, 1)");
    }
    assertThatThrownBy(() -> SqliteStateStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("kickdrift.db: cannot open the state database: schema version 7")
        .hasMessageContaining("migrates up to version " + StateSchema.LATEST);
    assertThatThrownBy(() -> JdbcLeaseStore.open(dir))
        .hasMessageContaining("schema version 7 is newer");
  }

  @Test
  void theSchemaOfANewDatabaseIsThatOfTheReleaseBeforeMigrations() throws Exception {
    copyFixture();
    StateDatabase.migrate(dir);
    Path fresh = dir.resolve("fresh");
    StateDatabase.migrate(fresh);
    try (Connection a = connect();
        Connection b =
            DriverManager.getConnection("jdbc:sqlite:" + fresh.resolve("kickdrift.db"))) {
      assertThat(StateSchema.describe(a)).isEqualTo(StateSchema.describe(b)).isNotEmpty();
    }
  }

  private void copyFixture() throws Exception {
    try (InputStream in =
        getClass().getResourceAsStream("/fixtures/prev-release-state/kickdrift.db")) {
      Files.copy(in, dir.resolve("kickdrift.db"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A database of the release before migrations, whose hosts table is made by {@code hosts}. */
  private void legacy(String hosts) throws SQLException {
    try (Connection db = connect();
        Statement s = db.createStatement()) {
      s.execute(hosts);
      s.execute(
          "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " at TEXT NOT NULL, host TEXT, kind TEXT NOT NULL, detail TEXT NOT NULL)");
      s.execute("CREATE INDEX events_host ON events (host, id)");
      s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("INSERT INTO meta VALUES ('schema', '2')");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kickdrift.db"));
  }

  private static List<String> history(Connection db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT version, type, description FROM flyway_schema_history"
                    + " ORDER BY installed_rank")) {
      while (r.next()) {
        out.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
      }
    }
    return out;
  }
}
