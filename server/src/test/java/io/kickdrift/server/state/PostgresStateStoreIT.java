package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.access.ApiTokens;
import io.kickdrift.server.access.AuditLog;
import io.kickdrift.server.access.Role;
import io.kickdrift.server.dhcp.JdbcLeaseStore;
import io.kickdrift.server.dhcp.LeaseStore;
import io.kickdrift.server.dhcp.LeaseStoreContract;
import io.kickdrift.server.fleet.ScanJobs;
import io.kickdrift.server.fleet.ScanJobsContract;
import io.kickdrift.testkit.ScratchDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract on a real PostgreSQL (Debian's, a throwaway cluster on 127.0.0.1, a new database per
 * test), and what only PostgreSQL has: the migrations through Flyway and the refusals at start.
 */
class PostgresStateStoreIT extends StateStoreContract {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-pg-it").traversable();

  static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  static PostgresCluster cluster;
  String url;

  @BeforeAll
  static void start() throws Exception {
    cluster = PostgresCluster.start(scratch.path());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void newDatabase() throws Exception {
    url = cluster.newDatabase();
  }

  @Override
  StateStore open() {
    return new JdbcStateStore(database());
  }

  Database database() {
    return Database.postgres(new DatabaseUrl(url, cluster.user(), cluster.password()));
  }

  /** {@code postgresql://USER@127.0.0.1:PORT/DATABASE} for this test's database. */
  String libpqUrl() {
    return "postgresql://" + cluster.user() + "@" + url.substring("jdbc:postgresql://".length());
  }

  /** {@code kickdrift state migrate} of the SQLite state in {@code dir} to this test's database. */
  Cmd.Result migrate(Path dir, Path password) throws Exception {
    return Cmd.kickdrift(
        "state",
        "migrate",
        "--state",
        dir.toString(),
        "--to",
        libpqUrl(),
        "--password-file",
        password.toString());
  }

  @Test
  void stateMigrateCopiesEverySqliteRowAndNewIdsFollowTheCopiedOnes() throws Exception {
    Path dir = scratch.path().resolve("sqlite-" + System.nanoTime());
    Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
    Install window = new Install("0123456789abcdef0123456789abcdef", t0, t0.plusSeconds(3600));
    String token;
    try (StateStore s = SqliteStateStore.open(dir);
        LeaseStore l = JdbcLeaseStore.open(dir);
        ApiTokens t = ApiTokens.open(dir);
        AuditLog a = AuditLog.open(dir)) {
      s.installed("db01", false, t0, "callback from 192.0.2.21");
      s.enable("web01", window, true, "netboot enable by alice");
      s.event(null, "inventory-reloaded", "3 hosts", t0.plusSeconds(5));
      l.put(
          new LeaseStore.Lease(
              "52:54:00:aa:00:01",
              (java.net.Inet4Address) java.net.InetAddress.getByName("192.0.2.100"),
              t0));
      token = t.create("alice", "ci", Role.OPERATOR, t0, null).text();
      a.add(t0, "alice", "console", "netboot.enable", "web01", "192.0.2.7", "");
    }
    Path password =
        Files.writeString(
            scratch.path().resolve("pw-" + System.nanoTime()), cluster.password() + "\n");
    Cmd.Result r = migrate(dir, password);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("hosts 2 events 3 leases 1 api_tokens 1 audit 1")
        .doesNotContain(cluster.password());
    try (StateStore from = SqliteStateStore.open(dir);
        StateStore to = open();
        ApiTokens t = new ApiTokens(database());
        AuditLog a = new AuditLog(database());
        LeaseStore l = new JdbcLeaseStore(database())) {
      assertThat(to.hosts()).isEqualTo(from.hosts());
      List<Event> events = from.eventsAfter(null, 0, 100);
      assertThat(to.eventsAfter(null, 0, 100)).isEqualTo(events);
      assertThat(t.check(token, t0)).map(ApiTokens.Token::user).contains("alice");
      assertThat(a.page(10, null)).extracting(AuditLog.Entry::target).containsExactly("web01");
      assertThat(l.byMac("52:54:00:aa:00:01"))
          .map(LeaseStore.Lease::ip)
          .contains((java.net.Inet4Address) java.net.InetAddress.getByName("192.0.2.100"));
      to.event("db01", "test", "after the copy", t0.plusSeconds(10));
      assertThat(to.eventsAfter(null, events.get(events.size() - 1).id(), 10))
          .extracting(Event::detail)
          .containsExactly("after the copy");
    }
    Cmd.Result again = migrate(dir, password);
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("table hosts is not empty there");
  }

  @Test
  void serveExitsTwoNamingTheUrlWhenTheDatabaseCannotBeReached() throws Exception {
    Path dir = scratch.path().resolve("serve-" + System.nanoTime());
    Files.createDirectories(dir);
    Path inventory = Files.copy(EXAMPLE, dir.resolve("inventory.yaml"));
    String nowhere = "postgresql://kickdrift@127.0.0.1:1/nosuch";
    Cmd.Result r =
        Cmd.kickdrift(
            "serve",
            "--state",
            dir.resolve("state").toString(),
            "--inventory",
            inventory.toString(),
            "--tftp-port",
            "0",
            "--http-port",
            "0",
            "--bind",
            "127.0.0.1",
            "--database",
            nowhere);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains(nowhere + ": cannot connect");
  }

  /** The lease contract on this database: each open is another server's pool. */
  @Nested
  class Leases extends LeaseStoreContract {
    @Override
    protected LeaseStore open() {
      return new JdbcLeaseStore(database());
    }
  }

  /** The scan-job contract on this database: each open is another server's pool. */
  @Nested
  class Jobs extends ScanJobsContract {
    @Override
    protected ScanJobs open() {
      return new ScanJobs(database());
    }
  }

  /** Tokens and the audit log, whose {@code "user"} column is a reserved word here. */
  @Test
  void tokensAndTheAuditLogWorkHere() {
    Instant now = Instant.parse("2026-12-05T10:00:00Z");
    try (ApiTokens tokens = new ApiTokens(database());
        AuditLog audit = new AuditLog(database())) {
      ApiTokens.Created t = tokens.create("alice", "ci", Role.OPERATOR, now, null);
      assertThat(tokens.check(t.text(), now)).map(ApiTokens.Token::user).contains("alice");
      assertThat(tokens.list("alice"))
          .extracting(ApiTokens.Token::id)
          .containsExactly(t.token().id());
      assertThat(tokens.list("bob")).isEmpty();
      assertThat(tokens.revokeUser("alice", now)).isEqualTo(1);
      assertThat(tokens.check(t.text(), now)).isEmpty();
      audit.add(now, "alice", "api", "token.create", t.token().id(), "192.0.2.7", "ci");
      assertThat(audit.page(10, null))
          .singleElement()
          .satisfies(e -> assertThat(e.actor()).isEqualTo("alice"));
    }
  }

  @Test
  void theSchemaIsMigratedOnceToThisBuildsVersion() throws Exception {
    open().close();
    open().close();
    try (Connection c = DriverManager.getConnection(url, cluster.user(), cluster.password());
        Statement s = c.createStatement();
        var r =
            s.executeQuery(
                "SELECT max(CAST(version AS integer)), count(*) FROM flyway_schema_history"
                    + " WHERE success")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1)).isEqualTo(StateSchema.LATEST);
      assertThat(r.getInt(2)).isEqualTo(StateSchema.LATEST);
    }
  }

  @Test
  void aNewerSchemaIsRefusedNamingBothVersions() throws Exception {
    open().close();
    try (Connection c = DriverManager.getConnection(url, cluster.user(), cluster.password());
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
              + " installed_by, execution_time, success) VALUES (99, '99', 'from the future',"
              + " 'SQL', 'V99__future.sql', 'kickdrift', 0, true)");
    }
    assertThatThrownBy(this::open)
        .isInstanceOf(StateException.class)
        .hasMessageContaining(new DatabaseUrl(url, cluster.user(), null).toString())
        .hasMessageContaining("schema version 99 is newer than this kickdrift")
        .hasMessageContaining("it migrates up to version " + StateSchema.LATEST);
  }

  @Test
  void anUnreachableDatabaseOrAWrongPasswordIsAClearErrorWithoutThePassword() {
    assertThatThrownBy(
            () ->
                Database.postgres(
                    new DatabaseUrl(cluster.url("nosuch"), cluster.user(), cluster.password())))
        .isInstanceOf(StateException.class)
        .hasMessageStartingWith(
            new DatabaseUrl(cluster.url("nosuch"), cluster.user(), null) + ": cannot connect: ")
        .hasMessageContaining("nosuch")
        .hasMessageNotContaining(cluster.password());
    assertThatThrownBy(() -> Database.postgres(new DatabaseUrl(url, cluster.user(), "wrong")))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("password authentication failed");
  }
}
