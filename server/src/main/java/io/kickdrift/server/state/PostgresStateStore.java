package io.kickdrift.server.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The state on PostgreSQL (docs/scale-design.md), shared by several {@code serve} instances: a
 * HikariCP pool of connections, the schema brought to this build's version by Flyway ({@code
 * db/migration/postgresql}), the store itself {@link JdbcStateStore} with its PostgreSQL dialect.
 */
public final class PostgresStateStore {
  private PostgresStateStore() {}

  /**
   * Connects, checks or migrates the schema, and returns the store.
   *
   * @param url a JDBC URL, {@code jdbc:postgresql://HOST:PORT/DATABASE}
   * @throws StateException naming the URL (never the password) and what failed
   */
  public static StateStore open(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setPoolName("kickdrift-state");
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(5_000);
    // fail at start, not at the first request, when the database cannot be reached
    config.setInitializationFailTimeout(5_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StateException(url + ": cannot connect: " + reason(e), e);
    }
    try {
      StateSchema.ensurePostgres(pool);
    } catch (SQLException e) {
      pool.close();
      throw new StateException(url + ": cannot open the state database: " + e.getMessage(), e);
    }
    return new JdbcStateStore(url, new Pool(pool), JdbcStateStore.Dialect.POSTGRESQL);
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** A connection from the pool for each use. */
  private record Pool(HikariDataSource pool) implements JdbcStateStore.Source {
    @Override
    public <T> T use(JdbcStateStore.Work<T> work) throws SQLException {
      try (Connection c = pool.getConnection()) {
        return work.run(c);
      }
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
