package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.testkit.ScratchDir;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
  void database() throws Exception {
    url = cluster.newDatabase();
  }

  @Override
  StateStore open() {
    return PostgresStateStore.open(url, cluster.user(), cluster.password());
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
        .hasMessageContaining(url)
        .hasMessageContaining("schema version 99 is newer than this kickdrift")
        .hasMessageContaining("it migrates up to version " + StateSchema.LATEST);
  }

  @Test
  void anUnreachableDatabaseOrAWrongPasswordIsAClearErrorWithoutThePassword() {
    assertThatThrownBy(
            () ->
                PostgresStateStore.open(cluster.url("nosuch"), cluster.user(), cluster.password()))
        .isInstanceOf(StateException.class)
        .hasMessageStartingWith(cluster.url("nosuch") + ": cannot connect: ")
        .hasMessageContaining("nosuch")
        .hasMessageNotContaining(cluster.password());
    assertThatThrownBy(() -> PostgresStateStore.open(url, cluster.user(), "wrong"))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("password authentication failed");
  }
}
