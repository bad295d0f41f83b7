package io.kickdrift.server.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The state in one SQLite file ({@code STATE/kickdrift.db}), in WAL mode with {@code
 * synchronous=FULL}: a committed write survives a kill -9 or a power cut, and a CLI command can
 * write while {@code serve} runs (writers wait up to 5 s for each other; each write transaction
 * takes the write lock first, so a read-then-write never loses to another writer). One connection,
 * its use serialised. The store is {@link JdbcStateStore}; its tables are made and migrated by
 * {@link StateSchema} when the database is opened.
 */
public final class SqliteStateStore {
  private SqliteStateStore() {}

  /** Opens (creating when absent, mode 0700 directory) {@code dir/kickdrift.db}. */
  public static StateStore open(Path dir) {
    return StateDatabase.open(
        dir,
        "the state database",
        (file, db) ->
            new JdbcStateStore(file.toString(), new One(db), JdbcStateStore.Dialect.SQLITE));
  }

  /** The one connection, one user at a time. */
  private record One(Connection db) implements JdbcStateStore.Source {
    @Override
    public <T> T use(JdbcStateStore.Work<T> work) throws SQLException {
      synchronized (this) {
        return work.run(db);
      }
    }

    @Override
    public void close() throws SQLException {
      db.close();
    }
  }
}
