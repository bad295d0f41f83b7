package io.kickdrift.server.state;

import java.nio.file.Path;

/**
 * The state in one SQLite file ({@code STATE/kickdrift.db}), in WAL mode with {@code
 * synchronous=FULL}: a committed write survives a kill -9 or a power cut, and a CLI command can
 * write while {@code serve} runs (writers wait up to 5 s for each other; each write transaction
 * takes the write lock first, so a read-then-write never loses to another writer). The store is
 * {@link JdbcStateStore} over {@link Database#sqlite}.
 */
public final class SqliteStateStore {
  private SqliteStateStore() {}

  /** Opens (creating when absent, mode 0700 directory) {@code dir/kickdrift.db}. */
  public static StateStore open(Path dir) {
    return new JdbcStateStore(Database.sqlite(dir));
  }
}
