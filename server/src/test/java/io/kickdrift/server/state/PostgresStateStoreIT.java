package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.access.ApiTokens;
import io.kickdrift.server.access.AuditLog;
import io.kickdrift.server.access.Role;
import io.kickdrift.server.dhcp.JdbcLeaseStore;
import io.kickdrift.server.dhcp.LeaseStore;
import io.kickdrift.server.dhcp.LeaseStoreContract;
import io.kickdrift.testkit.ScratchDir;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
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

  /** The lease contract on this database: each open is another server's pool. */
  @Nested
  class Leases extends LeaseStoreContract {
    @Override
    protected LeaseStore open() {
      return new JdbcLeaseStore(database());
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
