package io.kickdrift.server.state;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StateStore} in one SQLite file ({@code STATE/kickdrift.db}), in WAL mode with {@code
 * synchronous=FULL}: a committed write survives a kill -9 or a power cut, and a CLI command can
 * write while {@code serve} runs (writers wait up to 5 s for each other). One connection, its use
 * serialised.
 */
public final class SqliteStateStore implements StateStore {
  static final int SCHEMA = 1;
  private final Path file;
  private final Connection db;

  private SqliteStateStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /** Opens (creating when absent, mode 0700 directory) {@code dir/kickdrift.db}. */
  public static SqliteStateStore open(Path dir) {
    Path file = StateDatabase.file(dir);
    try {
      Connection db = StateDatabase.connect(dir);
      try (Statement s = db.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS hosts (name TEXT PRIMARY KEY, netboot INTEGER NOT NULL,"
                + " inventory_netboot INTEGER NOT NULL, updated TEXT NOT NULL, installed TEXT)");
        s.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " at TEXT NOT NULL, host TEXT, kind TEXT NOT NULL, detail TEXT NOT NULL)");
        s.execute("CREATE INDEX IF NOT EXISTS events_host ON events (host, id)");
        s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.execute("INSERT OR IGNORE INTO meta VALUES ('schema', '" + SCHEMA + "')");
      }
      SqliteStateStore store = new SqliteStateStore(file, db);
      store.checkSchema();
      return store;
    } catch (SQLException | IOException e) {
      throw new StateException(file + ": cannot open the state database: " + e.getMessage(), e);
    }
  }

  private void checkSchema() throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
      String schema = r.next() ? r.getString(1) : "?";
      if (!schema.equals(Integer.toString(SCHEMA))) {
        throw new SQLException(
            "schema version " + schema + "; this kickdrift reads version " + SCHEMA);
      }
    }
  }

  @Override
  public synchronized Optional<HostRecord> host(String host) {
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT name, netboot, inventory_netboot, updated, installed FROM hosts"
                + " WHERE name = ?")) {
      q.setString(1, host);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(record(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("read host " + host, e);
    }
  }

  @Override
  public synchronized Map<String, HostRecord> hosts() {
    Map<String, HostRecord> hosts = new LinkedHashMap<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT name, netboot, inventory_netboot, updated, installed FROM hosts"
                    + " ORDER BY name")) {
      while (r.next()) {
        HostRecord record = record(r);
        hosts.put(record.host(), record);
      }
      return hosts;
    } catch (SQLException e) {
      throw failed("read hosts", e);
    }
  }

  @Override
  public synchronized HostRecord installed(
      String host, boolean inventoryNetboot, Instant at, String detail) {
    return write(
        host,
        new HostRecord(host, false, inventoryNetboot, at, at),
        "installed",
        detail,
        at,
        "install of " + host);
  }

  @Override
  public synchronized HostRecord netboot(
      String host, boolean enabled, boolean inventoryNetboot, Instant at, String detail) {
    Instant installed = host(host).map(HostRecord::installed).orElse(null);
    return write(
        host,
        new HostRecord(host, enabled, inventoryNetboot, at, installed),
        enabled ? "netboot-enabled" : "netboot-disabled",
        detail,
        at,
        "netboot of " + host);
  }

  private HostRecord write(
      String host, HostRecord record, String kind, String detail, Instant at, String what) {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement up =
          db.prepareStatement(
              "INSERT INTO hosts (name, netboot, inventory_netboot, updated, installed)"
                  + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                  + " netboot = excluded.netboot, inventory_netboot = excluded.inventory_netboot,"
                  + " updated = excluded.updated, installed = excluded.installed")) {
        up.setString(1, host);
        up.setInt(2, record.netboot() ? 1 : 0);
        up.setInt(3, record.inventoryNetboot() ? 1 : 0);
        up.setString(4, record.updated().toString());
        up.setString(5, record.installed() == null ? null : record.installed().toString());
        up.executeUpdate();
      }
      insertEvent(host, kind, detail, at);
      db.commit();
      return record;
    } catch (SQLException e) {
      rollback();
      throw failed("record " + what, e);
    } finally {
      autoCommit();
    }
  }

  @Override
  public synchronized void event(String host, String kind, String detail, Instant at) {
    // A lone event is a record of what happened, not state: written without an fsync (WAL with
    // synchronous=NORMAL survives a kill -9, not a power cut), so serving a boot menu, which
    // records one on the TFTP loop's thread, never waits for the disk.
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA synchronous = NORMAL");
      try {
        insertEvent(host, kind, detail, at);
      } finally {
        s.execute("PRAGMA synchronous = FULL");
      }
    } catch (SQLException e) {
      throw failed("record event " + kind, e);
    }
  }

  private void insertEvent(String host, String kind, String detail, Instant at)
      throws SQLException {
    try (PreparedStatement ins =
        db.prepareStatement("INSERT INTO events (at, host, kind, detail) VALUES (?, ?, ?, ?)")) {
      ins.setString(1, at.toString());
      ins.setString(2, host);
      ins.setString(3, kind);
      ins.setString(4, detail == null ? "" : detail);
      ins.executeUpdate();
    }
  }

  @Override
  public synchronized List<Event> events(String host, int limit) {
    String sql =
        "SELECT id, at, host, kind, detail FROM events"
            + (host == null ? "" : " WHERE host = ?")
            + " ORDER BY id DESC LIMIT ?";
    try (PreparedStatement q = db.prepareStatement(sql)) {
      int i = 1;
      if (host != null) {
        q.setString(i++, host);
      }
      q.setInt(i, limit);
      List<Event> events = new ArrayList<>();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          events.add(
              new Event(
                  r.getLong(1),
                  Instant.parse(r.getString(2)),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5)));
        }
      }
      return events;
    } catch (SQLException e) {
      throw failed("read events", e);
    }
  }

  @Override
  public synchronized List<Event> eventsBefore(String host, long before, int limit) {
    String sql =
        "SELECT id, at, host, kind, detail FROM events WHERE id < ?"
            + (host == null ? "" : " AND host = ?")
            + " ORDER BY id DESC LIMIT ?";
    try (PreparedStatement q = db.prepareStatement(sql)) {
      int i = 1;
      q.setLong(i++, before);
      if (host != null) {
        q.setString(i++, host);
      }
      q.setInt(i, limit);
      List<Event> events = new ArrayList<>();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          events.add(
              new Event(
                  r.getLong(1),
                  Instant.parse(r.getString(2)),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5)));
        }
      }
      return events;
    } catch (SQLException e) {
      throw failed("read events before " + before, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw failed("close", e);
    }
  }

  private static HostRecord record(ResultSet r) throws SQLException {
    String installed = r.getString(5);
    return new HostRecord(
        r.getString(1),
        r.getInt(2) != 0,
        r.getInt(3) != 0,
        Instant.parse(r.getString(4)),
        installed == null ? null : Instant.parse(installed));
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the original failure is what matters
    }
  }

  private void autoCommit() {
    try {
      db.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the connection is unusable; the next call reports it
    }
  }

  private StateException failed(String what, SQLException e) {
    return new StateException(file + ": cannot " + what + ": " + e.getMessage(), e);
  }
}
