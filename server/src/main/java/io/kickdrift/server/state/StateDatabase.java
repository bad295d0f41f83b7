package io.kickdrift.server.state;

import io.kickdrift.agent.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A connection to the server's one SQLite file, {@code STATE/kickdrift.db}, as every store opens
 * it: the directory made mode 0700 when absent, WAL (a reader never blocks the writer; the CLI
 * writes while serve runs), {@code synchronous=FULL} (a committed write survives a kill -9 or a
 * power cut), writers waiting up to 5 s for each other, and every transaction {@code BEGIN
 * IMMEDIATE}: it takes the write lock when it starts, so one that reads then writes waits for
 * another writer instead of failing at its first write. Every store opens it through {@link #open},
 * which brings its schema to this build's version first ({@link StateSchema}).
 */
public final class StateDatabase {
  private StateDatabase() {}

  /** The database file in {@code dir}. */
  public static Path file(Path dir) {
    return new StateDir(dir).database();
  }

  /** A new connection, set up as above; the caller closes it. */
  public static Connection connect(Path dir) throws IOException, SQLException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
    Connection db = DriverManager.getConnection("jdbc:sqlite:" + file(dir), config.toProperties());
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA busy_timeout = 5000");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = FULL");
      return db;
    } catch (SQLException e) {
      db.close();
      throw e;
    }
  }

  /**
   * Brings the database in {@code dir} (created when absent) to this build's schema version and
   * returns that version: what {@code serve} and {@code init} do first, so no command later pays
   * for a migration. A database newer than this build, or not kickdrift's, is refused.
   */
  public static int migrate(Path dir) {
    return open(
        dir,
        "the state database",
        (file, db) -> {
          db.close();
          return StateSchema.LATEST;
        });
  }

  /** What a store does with its new connection before use, once its schema is current. */
  @FunctionalInterface
  public interface Setup<T> {
    T apply(Path file, Connection db) throws SQLException;
  }

  /**
   * A new connection, set up as above and then by {@code setup}; closed again when {@code setup}
   * fails. {@code what} names the table or database in the error: {@code FILE: cannot open WHAT:
   * REASON}.
   */
  public static <T> T open(Path dir, String what, Setup<T> setup) {
    Path file = file(dir);
    try {
      Connection db = connect(dir);
      try {
        StateSchema.ensure(file, db);
        return setup.apply(file, db);
      } catch (SQLException e) {
        db.close();
        throw e;
      }
    } catch (SQLException | IOException e) {
      throw new StateException(file + ": cannot open " + what + ": " + e.getMessage(), e);
    }
  }
}
