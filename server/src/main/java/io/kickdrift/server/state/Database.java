package io.kickdrift.server.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The state database every store of a process shares (docs/scale-design.md): SQLite's one file in
 * the state directory, one connection used by one caller at a time, or PostgreSQL through a
 * HikariCP pool, several servers at once. Opening brings the schema to this build's version
 * (Flyway, {@code db/migration/sqlite} or {@code db/migration/postgresql}) and refuses a newer one.
 *
 * <p>Each store that keeps it calls {@link #share()}; the connections close when the opener and
 * every sharer have closed it.
 */
public final class Database implements AutoCloseable {
  private final String where;
  private final Dialect dialect;
  private final Source source;
  private final AtomicInteger holders = new AtomicInteger(1);
  private final DatabaseUrl url;

  private Database(String where, Dialect dialect, Source source, DatabaseUrl url) {
    this.where = where;
    this.dialect = dialect;
    this.source = source;
    this.url = url;
  }

  /**
   * The database {@code url} names ({@link DatabaseUrl}), else SQLite in {@code stateDir} when it
   * is null or empty.
   *
   * @throws StateException naming the file or URL (never a password) and what failed
   */
  public static Database open(DatabaseUrl url, Path stateDir) {
    return url == null ? sqlite(stateDir) : postgres(url);
  }

  /** SQLite in {@code dir/kickdrift.db}, created when absent ({@link StateDatabase}). */
  public static Database sqlite(Path dir) {
    return StateDatabase.open(
        dir,
        "the state database",
        (file, db) -> new Database(file.toString(), Dialect.SQLITE, new One(db), null));
  }

  /** PostgreSQL, through a pool; the schema checked or migrated first. */
  public static Database postgres(DatabaseUrl url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbc());
    config.setUsername(url.user());
    config.setPassword(url.password());
    config.setPoolName("kickdrift-state");
    config.setMaximumPoolSize(8);
    // a request waits at most a second for a connection: serve answers from its last known state
    // rather than keep a booting machine waiting (LastKnownState)
    config.setConnectionTimeout(1_000);
    config.setValidationTimeout(500);
    // fail at start, not at the first request, when the database cannot be reached
    config.setInitializationFailTimeout(5_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StateException(url + ": cannot connect: " + rootCause(e), e);
    }
    try {
      StateSchema.ensurePostgres(pool);
    } catch (SQLException e) {
      pool.close();
      throw new StateException(url + ": cannot open the state database: " + e.getMessage(), e);
    }
    return new Database(url.toString(), Dialect.POSTGRESQL, new Pool(pool), url);
  }

  /** The channel of {@link Dialect#notifyChanged}: its payload is a host's name. */
  static final String CHANNEL = "kickdrift_state";

  /**
   * Calls {@code changed} with the name of each host whose record another server (or this one)
   * changed, as PostgreSQL tells it ({@code LISTEN}) on a connection of its own, reconnecting when
   * it is lost (then with null: anything may have changed meanwhile). Nothing for SQLite, where one
   * server writes. Close the result to stop.
   */
  public AutoCloseable listen(Consumer<String> changed, Consumer<String> log) {
    if (url == null) {
      return () -> {};
    }
    Listener l = new Listener(url, changed, log);
    l.start();
    return l;
  }

  /** What errors name: the SQLite file, or the URL without its password. */
  public String where() {
    return where;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** This database for one more holder, who closes it when done. */
  public Database share() {
    if (holders.getAndIncrement() <= 0) {
      holders.decrementAndGet();
      throw new IllegalStateException(where + " is closed");
    }
    return this;
  }

  /** Runs {@code work} on a connection in autocommit mode. */
  public <T> T use(Work<T> work) throws SQLException {
    return source.use(work);
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public <T> T transaction(Work<T> work) throws SQLException {
    return source.use(
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException ignored) {
              // the original failure is what matters
            }
            throw e;
          } finally {
            try {
              c.setAutoCommit(true);
            } catch (SQLException ignored) {
              // the connection is unusable; the pool drops it, the next call reports it
            }
          }
        });
  }

  /** {@code WHERE: cannot WHAT: REASON}. */
  public StateException failed(String what, SQLException e) {
    return new StateException(where + ": cannot " + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    if (holders.decrementAndGet() == 0) {
      try {
        source.close();
      } catch (SQLException e) {
        // closing on the way out: nothing to report to
      }
    }
  }

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Where connections come from: SQLite's one connection, or a pool. */
  interface Source {
    <T> T use(Work<T> work) throws SQLException;

    void close() throws SQLException;
  }

  /** What the two databases spell differently. */
  public enum Dialect {
    /** One writer at a time ({@code BEGIN IMMEDIATE}): nothing to lock. */
    SQLITE("julianday(at) < julianday(?)"),
    /** Several servers: a transaction deciding for a host holds that host's advisory lock. */
    POSTGRESQL("CAST(at AS timestamptz) < CAST(? AS timestamptz)");

    final String olderThan;

    Dialect(String olderThan) {
      this.olderThan = olderThan;
    }

    /**
     * What ends a {@code SELECT} whose rows the transaction takes: PostgreSQL locks them and skips
     * rows another transaction holds, so that servers never wait for each other; SQLite's single
     * writer needs nothing.
     */
    public String skipLocked() {
      return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** Serialises the decisions about {@code key} until the transaction ends. */
    public void lock(Connection c, String key) throws SQLException {
      if (this == POSTGRESQL) {
        try (PreparedStatement l =
            c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
          l.setString(1, key);
          l.execute();
        }
      }
    }

    /**
     * Tells every server listening ({@link Database#listen}) that {@code host}'s record changed,
     * when the caller's transaction commits (PostgreSQL's {@code NOTIFY}; SQLite has one server).
     */
    void notifyChanged(Connection c, String host) throws SQLException {
      if (this == POSTGRESQL) {
        try (PreparedStatement n = c.prepareStatement("SELECT pg_notify(?, ?)")) {
          n.setString(1, CHANNEL);
          n.setString(2, host);
          n.execute();
        }
      }
    }

    /**
     * Runs {@code work} without waiting for the disk at commit: for what records what happened, not
     * state (SQLite: WAL with synchronous=NORMAL survives a kill -9, not a power cut; PostgreSQL:
     * synchronous_commit off for that transaction).
     */
    void unhurried(Connection c, Work<Void> work) throws SQLException {
      try (Statement s = c.createStatement()) {
        if (this == SQLITE) {
          s.execute("PRAGMA synchronous = NORMAL");
          try {
            work.run(c);
          } finally {
            s.execute("PRAGMA synchronous = FULL");
          }
        } else {
          c.setAutoCommit(false);
          try {
            s.execute("SET LOCAL synchronous_commit = off");
            work.run(c);
            c.commit();
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
      }
    }
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** The one connection, one user at a time. */
  private record One(Connection db) implements Source {
    @Override
    public <T> T use(Work<T> work) throws SQLException {
      synchronized (this) {
        return work.run(db);
      }
    }

    @Override
    public void close() throws SQLException {
      db.close();
    }
  }

  /** A connection from the pool for each use. */
  private record Pool(HikariDataSource pool) implements Source {
    @Override
    public <T> T use(Work<T> work) throws SQLException {
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
