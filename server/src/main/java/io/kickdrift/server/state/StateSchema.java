package io.kickdrift.server.state;

import io.kickdrift.agent.cli.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The versions of the state database's schema: one Flyway history ({@code flyway_schema_history})
 * for the whole file, whose migrations are {@code db/migration/sqlite/V<n>__*.sql} (a PostgreSQL
 * store would get {@code db/migration/postgresql}). Opening a database checks its version with one
 * query; Flyway is loaded only when the database is older than this build ({@link #LATEST}): new,
 * made by the release before migrations (checked, then baselined at version 1), or of an earlier
 * version. A newer database is refused, naming both versions.
 */
final class StateSchema {
  /** The newest version this build migrates to: the highest {@code V<n>} of its migrations. */
  static final int LATEST = 3;

  static final String LOCATION = "db/migration/sqlite";
  static final String V1 = LOCATION + "/V1__schema_of_the_release_before_migrations.sql";
  static final String HISTORY = "flyway_schema_history";

  /** One migration at a time in this process; the lock file orders processes. */
  private static final Object MIGRATING = new Object();

  private StateSchema() {}

  /**
   * Brings the database {@code db} (a connection to {@code file}) to {@link #LATEST}, or refuses it
   * when it is newer or not a kickdrift database. Costs one query when it is current.
   */
  static void ensure(Path file, Connection db) throws SQLException {
    int version = installed(db);
    if (version > LATEST) {
      throw newer(version);
    }
    if (version < LATEST) {
      migrate(file, db);
    }
  }

  /**
   * The version the database's history records; 0 when it has none (a new database, or one of the
   * release before migrations). A migration that failed and was recorded so is an error.
   */
  static int installed(Connection db) throws SQLException {
    return hasTable(db, HISTORY) ? recorded(db) : 0;
  }

  /** The highest version the history table records. */
  private static int recorded(Connection db) throws SQLException {
    int version = 0;
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT version, success FROM " + HISTORY + " WHERE version IS NOT NULL")) {
      while (r.next()) {
        String v = r.getString(1);
        if (!r.getBoolean(2)) {
          throw new SQLException(
              "the migration to schema version "
                  + v
                  + " failed and is recorded as failed; restore a backup (kickdrift state"
                  + " restore)");
        }
        try {
          version = Math.max(version, Integer.parseInt(v));
        } catch (NumberFormatException e) {
          throw new SQLException(
              "schema version '" + v + "' is not one this kickdrift knows (whole numbers)");
        }
      }
    }
    return version;
  }

  static final String POSTGRESQL = "db/migration/postgresql";

  /**
   * Brings a PostgreSQL database to {@link #LATEST} with the migrations in {@link #POSTGRESQL}, or
   * refuses it when it is newer. Servers that start together are ordered by Flyway's own lock on
   * the database.
   */
  static void ensurePostgres(javax.sql.DataSource ds) throws SQLException {
    int version;
    try (Connection c = ds.getConnection();
        ResultSet t = c.getMetaData().getTables(null, null, HISTORY, new String[] {"TABLE"})) {
      version = t.next() ? recorded(c) : 0;
    }
    if (version > LATEST) {
      throw newer(version);
    }
    if (version < LATEST) {
      try {
        Flyway.configure(StateSchema.class.getClassLoader())
            .dataSource(ds)
            .locations("classpath:" + POSTGRESQL)
            .failOnMissingLocations(true)
            .table(HISTORY)
            .load()
            .migrate();
      } catch (FlywayException e) {
        throw new SQLException(
            "cannot migrate to schema version " + LATEST + ": " + e.getMessage(), e);
      }
    }
  }

  private static SQLException newer(int version) {
    return new SQLException(
        "schema version "
            + version
            + " is newer than this kickdrift ("
            + Version.number()
            + ") knows: it migrates up to version "
            + LATEST
            + ". A newer release has migrated this database: run that release, or restore a backup"
            + " made by this one (kickdrift state restore)");
  }

  private static void migrate(Path file, Connection db) throws SQLException {
    synchronized (MIGRATING) {
      Path lock = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel ch =
              FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = ch.lock()) {
        int version = installed(db); // another process may have migrated it meanwhile
        if (version > LATEST) {
          throw newer(version);
        }
        if (version == LATEST) {
          return;
        }
        boolean before = !hasTable(db, HISTORY) && !userTables(db).isEmpty();
        if (before) {
          adopt(db);
        }
        // one Flyway command: the baseline of a checked database, then the migrations after it
        flyway(file, before).migrate();
      } catch (IOException e) {
        throw new SQLException("cannot lock " + lock + " to migrate: " + e.getMessage(), e);
      } catch (FlywayException e) {
        throw new SQLException(
            "cannot migrate to schema version " + LATEST + ": " + e.getMessage(), e);
      }
    }
  }

  private static Flyway flyway(Path file, boolean baseline) {
    return Flyway.configure(StateSchema.class.getClassLoader())
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations("classpath:" + LOCATION)
        .failOnMissingLocations(true)
        .table(HISTORY)
        .baselineOnMigrate(baseline)
        .baselineVersion("1")
        .baselineDescription("release before migrations")
        .load();
  }

  /**
   * Readies a database of the release before migrations for its baseline at version 1: a schema 1
   * one (before install windows) gets the columns that release added; the statements of version 1
   * make what is missing (that release made the lease table when DHCP first ran); then its tables
   * must be those of version 1, column for column. One transaction: a refused database is left as
   * it was.
   */
  private static void adopt(Connection db) throws SQLException {
    String meta = hasTable(db, "meta") ? metaSchema(db) : null;
    if (!"1".equals(meta) && !"2".equals(meta)) {
      throw new SQLException(
          meta == null
              ? "not a kickdrift state database: tables "
                  + userTables(db)
                  + ", no history of migrations and no meta table"
              : "schema version "
                  + meta
                  + " in its meta table; a database of the release before migrations has 1 or 2");
    }
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      if (meta.equals("1")) {
        s.execute("ALTER TABLE hosts ADD COLUMN install_id TEXT");
        s.execute("ALTER TABLE hosts ADD COLUMN install_issued TEXT");
        s.execute("ALTER TABLE hosts ADD COLUMN install_expires TEXT");
        s.execute("UPDATE meta SET value = '2' WHERE key = 'schema'");
      }
      for (String sql : statements(V1)) {
        s.execute(sql);
      }
      String difference = difference(describe(db), expected());
      if (difference != null) {
        throw new SQLException(
            "its tables are not those of the release before migrations: " + difference);
      }
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  private static String metaSchema(Connection db) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
      return r.next() ? r.getString(1) : "(none)";
    }
  }

  /** The tables and indexes of version 1, as an empty database gets them. */
  private static Map<String, String> expected() throws SQLException {
    try (Connection mem = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement s = mem.createStatement()) {
      for (String sql : statements(V1)) {
        s.execute(sql);
      }
      return describe(mem);
    }
  }

  /** The first difference between two descriptions, or null when they are equal. */
  static String difference(Map<String, String> found, Map<String, String> wanted) {
    for (var w : wanted.entrySet()) {
      String f = found.get(w.getKey());
      if (f == null) {
        return w.getKey() + " is missing";
      }
      if (!f.equals(w.getValue())) {
        return w.getKey() + " is (" + f + "), expected (" + w.getValue() + ")";
      }
    }
    for (String f : found.keySet()) {
      if (!wanted.containsKey(f)) {
        return f + " is not kickdrift's";
      }
    }
    return null;
  }

  /**
   * Each table and index of the database but SQLite's own and the migration history, as {@code
   * table hosts} → {@code name TEXT pk, netboot INTEGER not null, …} and {@code index events_host}
   * → {@code on events (host, id)}: what a schema is, whatever SQL text made it.
   */
  static Map<String, String> describe(Connection db) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    List<String[]> objects = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')"
                    + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '"
                    + HISTORY
                    + "%'")) {
      while (r.next()) {
        objects.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
      }
    }
    for (String[] o : objects) {
      List<String> parts = new ArrayList<>();
      if (o[0].equals("table")) {
        try (PreparedStatement q =
            db.prepareStatement(
                "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)"
                    + " ORDER BY cid")) {
          q.setString(1, o[1]);
          try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
              parts.add(
                  r.getString(1)
                      + " "
                      + r.getString(2)
                      + (r.getInt(3) != 0 ? " not null" : "")
                      + (r.getString(4) != null ? " default " + r.getString(4) : "")
                      + (r.getInt(5) != 0 ? " pk" : ""));
            }
          }
        }
        out.put("table " + o[1], String.join(", ", parts));
      } else {
        try (PreparedStatement q =
            db.prepareStatement("SELECT name FROM pragma_index_info(?) ORDER BY seqno")) {
          q.setString(1, o[1]);
          try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
              parts.add(r.getString(1));
            }
          }
        }
        out.put("index " + o[1], "on " + o[2] + " (" + String.join(", ", parts) + ")");
      }
    }
    return out;
  }

  /** The tables of the database but SQLite's own. */
  static List<String> userTables(Connection db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  static boolean hasTable(Connection db, String table) throws SQLException {
    try (PreparedStatement q =
        db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      q.setString(1, table);
      try (ResultSet r = q.executeQuery()) {
        return r.next();
      }
    }
  }

  /** The statements of a migration: its text without comment lines, split at semicolons. */
  private static List<String> statements(String resource) throws SQLException {
    try (InputStream in = StateSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new SQLException(resource + ": missing from this build");
      }
      StringBuilder text = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.strip().startsWith("--")) {
          text.append(line).append('\n');
        }
      }
      List<String> out = new ArrayList<>();
      for (String sql : text.toString().split(";")) {
        if (!sql.isBlank()) {
          out.add(sql.strip());
        }
      }
      return out;
    } catch (IOException e) {
      throw new SQLException(resource + ": " + e.getMessage(), e);
    }
  }
}
