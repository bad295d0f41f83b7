package io.kickdrift.server.state;

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
 * write while {@code serve} runs (writers wait up to 5 s for each other; each write transaction
 * takes the write lock first, so a read-then-write never loses to another writer). One connection,
 * its use serialised.
 *
 * <p>Its tables ({@code hosts}, {@code events}) are made and migrated by {@link StateSchema} when
 * the database is opened.
 */
public final class SqliteStateStore implements StateStore {
  private static final String HOST_COLUMNS =
      "name, netboot, inventory_netboot, updated, installed, install_id, install_issued,"
          + " install_expires";
  private final Path file;
  private final Connection db;

  private SqliteStateStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /** Opens (creating when absent, mode 0700 directory) {@code dir/kickdrift.db}. */
  public static SqliteStateStore open(Path dir) {
    return StateDatabase.open(
        dir, "the state database", (file, db) -> new SqliteStateStore(file, db));
  }

  @Override
  public synchronized Optional<HostRecord> host(String host) {
    try {
      return read(host);
    } catch (SQLException e) {
      throw failed("read host " + host, e);
    }
  }

  private Optional<HostRecord> read(String host) throws SQLException {
    try (PreparedStatement q =
        db.prepareStatement("SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?")) {
      q.setString(1, host);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(record(r)) : Optional.empty();
      }
    }
  }

  @Override
  public synchronized Map<String, HostRecord> hosts() {
    Map<String, HostRecord> hosts = new LinkedHashMap<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT " + HOST_COLUMNS + " FROM hosts ORDER BY name")) {
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
    return transaction(
        "install of " + host,
        () ->
            record(
                new HostRecord(host, false, inventoryNetboot, at, at, null), "installed", detail));
  }

  @Override
  public synchronized HostRecord enable(
      String host, Install install, boolean inventoryNetboot, String detail) {
    return netboot(host, install, inventoryNetboot, install.issued(), withWindow(detail, install));
  }

  @Override
  public synchronized HostRecord disable(
      String host, boolean inventoryNetboot, Instant at, String detail) {
    return netboot(host, null, inventoryNetboot, at, detail);
  }

  /** Turns netboot on (with {@code install}'s window) or off (null), keeping the install time. */
  private HostRecord netboot(
      String host, Install install, boolean inventoryNetboot, Instant at, String detail) {
    boolean on = install != null;
    return transaction(
        "netboot of " + host,
        () ->
            record(
                new HostRecord(host, on, inventoryNetboot, at, installed(host), install),
                on ? "netboot-enabled" : "netboot-disabled",
                detail));
  }

  @Override
  public synchronized List<String> issue(List<NewInstall> installs) {
    return transaction(
        "install windows of " + installs.size() + " hosts",
        () -> {
          List<String> issued = new ArrayList<>();
          for (NewInstall n : installs) {
            Install install = n.install();
            Optional<HostRecord> now = read(n.host());
            if (InstallPhase.of(n.inventoryNetboot(), now, install.issued())
                != InstallPhase.UNISSUED) {
              continue; // decided meanwhile (netboot disable, a callback, another serve)
            }
            Instant installed = now.map(HostRecord::installed).orElse(null);
            record(
                new HostRecord(
                    n.host(), true, n.inventoryNetboot(), install.issued(), installed, install),
                "netboot-enabled",
                withWindow(n.why(), install));
            issued.add(n.host());
          }
          return issued;
        });
  }

  /**
   * Writes {@code record} and its event ({@code kind}, at the record's update), in the caller's
   * transaction.
   */
  private HostRecord record(HostRecord record, String kind, String detail) throws SQLException {
    write(record);
    insertEvent(record.host(), kind, detail, record.updated());
    return record;
  }

  /** When {@code host} was last installed, as recorded; null when never. */
  private Instant installed(String host) throws SQLException {
    return read(host).map(HostRecord::installed).orElse(null);
  }

  private static String withWindow(String detail, Install install) {
    return detail + "; install " + install.shortId() + " until " + install.expires();
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T transaction(String what, Work<T> work) {
    try {
      db.setAutoCommit(false);
      T result = work.run();
      db.commit();
      return result;
    } catch (SQLException e) {
      rollback();
      throw failed("record " + what, e);
    } finally {
      autoCommit();
    }
  }

  private void write(HostRecord record) throws SQLException {
    try (PreparedStatement up =
        db.prepareStatement(
            "INSERT INTO hosts ("
                + HOST_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " netboot = excluded.netboot, inventory_netboot = excluded.inventory_netboot,"
                + " updated = excluded.updated, installed = excluded.installed,"
                + " install_id = excluded.install_id, install_issued = excluded.install_issued,"
                + " install_expires = excluded.install_expires")) {
      Install install = record.install();
      up.setString(1, record.host());
      up.setInt(2, record.netboot() ? 1 : 0);
      up.setInt(3, record.inventoryNetboot() ? 1 : 0);
      up.setString(4, record.updated().toString());
      up.setString(5, record.installed() == null ? null : record.installed().toString());
      up.setString(6, install == null ? null : install.id());
      up.setString(7, install == null ? null : install.issued().toString());
      up.setString(8, install == null ? null : install.expires().toString());
      up.executeUpdate();
    }
  }

  @Override
  public synchronized void event(String host, String kind, String detail, Instant at) {
    // A lone event is a record of what happened, not state: written without an fsync (WAL with
    // synchronous=NORMAL survives a kill -9, not a power cut), so recording one never waits for
    // the disk.
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA synchronous = NORMAL");
      try {
        insertEvent(host, kind, detail, at);
      } finally {
        s.execute("PRAGMA synchronous = FULL");
      }
    } catch (SQLException e) {
      throw failed("record event " + StateStore.cut(kind, MAX_KIND), e);
    }
  }

  private void insertEvent(String host, String kind, String detail, Instant at)
      throws SQLException {
    try (PreparedStatement ins =
        db.prepareStatement("INSERT INTO events (at, host, kind, detail) VALUES (?, ?, ?, ?)")) {
      ins.setString(1, at.toString());
      ins.setString(2, StateStore.cut(host, MAX_HOST));
      ins.setString(3, StateStore.cut(kind, MAX_KIND));
      ins.setString(4, detail == null ? "" : StateStore.cut(detail, MAX_DETAIL));
      ins.executeUpdate();
    }
  }

  @Override
  public synchronized List<Event> eventsBefore(String host, long before, int limit) {
    return events("id < ?", "DESC", host, before, limit);
  }

  @Override
  public synchronized List<Event> eventsAfter(String host, long after, int limit) {
    return events("id > ?", "ASC", host, after, limit);
  }

  private List<Event> events(String idTest, String order, String host, long id, int limit) {
    String sql =
        "SELECT id, at, host, kind, detail FROM events WHERE "
            + idTest
            + (host == null ? "" : " AND host = ?")
            + " ORDER BY id "
            + order
            + " LIMIT ?";
    try (PreparedStatement q = db.prepareStatement(sql)) {
      int i = 1;
      q.setLong(i++, id);
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
      throw failed("read events " + idTest.replace("?", Long.toString(id)), e);
    }
  }

  @Override
  public synchronized int prune(Instant before, int keep) {
    // Instants compare as numbers here: their text form does not sort (".5Z" before "Z").
    try (PreparedStatement old =
            db.prepareStatement("DELETE FROM events WHERE julianday(at) < julianday(?)");
        PreparedStatement many =
            db.prepareStatement(
                "DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC"
                    + " LIMIT 1 OFFSET ?)")) {
      old.setString(1, before.toString());
      int deleted = old.executeUpdate();
      many.setInt(1, keep);
      return deleted + many.executeUpdate();
    } catch (SQLException e) {
      throw failed("prune events", e);
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
    String id = r.getString(6);
    Install install =
        id == null
            ? null
            : new Install(id, Instant.parse(r.getString(7)), Instant.parse(r.getString(8)));
    return new HostRecord(
        r.getString(1),
        r.getInt(2) != 0,
        r.getInt(3) != 0,
        Instant.parse(r.getString(4)),
        installed == null ? null : Instant.parse(installed),
        install);
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
