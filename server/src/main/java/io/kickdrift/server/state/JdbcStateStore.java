package io.kickdrift.server.state;

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
 * {@link StateStore} over JDBC, one class for both databases of {@link Database}; what they spell
 * differently is its {@link Database.Dialect}. Every write of state is one transaction with its
 * event; a decision that reads then writes a host (netboot, install windows) holds that host's lock
 * on PostgreSQL, where several servers share the database (SQLite has one writer at a time).
 *
 * <p>The tables ({@code hosts}, {@code events}) are made and migrated by {@link StateSchema}
 * (SQLite) and Flyway's {@code db/migration/postgresql} (PostgreSQL); the columns are the same, so
 * the SQL is.
 */
public final class JdbcStateStore implements StateStore {
  private static final String HOST_COLUMNS =
      "name, netboot, inventory_netboot, updated, installed, install_id, install_issued,"
          + " install_expires";
  private final Database db;

  /**
   * The store over {@code db}, which it closes when closed (pass {@code db.share()} to keep it).
   */
  public JdbcStateStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<HostRecord> host(String host) {
    try {
      return db.use(c -> read(c, host));
    } catch (SQLException e) {
      throw db.failed("read host " + host, e);
    }
  }

  private static Optional<HostRecord> read(Connection c, String host) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT " + HOST_COLUMNS + " FROM hosts WHERE name = ?")) {
      q.setString(1, host);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(record(r)) : Optional.empty();
      }
    }
  }

  @Override
  public Map<String, HostRecord> hosts() {
    try {
      return db.use(
          c -> {
            Map<String, HostRecord> hosts = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                ResultSet r =
                    s.executeQuery("SELECT " + HOST_COLUMNS + " FROM hosts ORDER BY name")) {
              while (r.next()) {
                HostRecord record = record(r);
                hosts.put(record.host(), record);
              }
            }
            return hosts;
          });
    } catch (SQLException e) {
      throw db.failed("read hosts", e);
    }
  }

  @Override
  public HostRecord installed(String host, boolean inventoryNetboot, Instant at, String detail) {
    return transaction(
        "install of " + host,
        c ->
            record(
                c,
                new HostRecord(host, false, inventoryNetboot, at, at, null),
                "installed",
                detail));
  }

  @Override
  public HostRecord enable(String host, Install install, boolean inventoryNetboot, String detail) {
    return netboot(host, install, inventoryNetboot, install.issued(), withWindow(detail, install));
  }

  @Override
  public HostRecord disable(String host, boolean inventoryNetboot, Instant at, String detail) {
    return netboot(host, null, inventoryNetboot, at, detail);
  }

  /** Turns netboot on (with {@code install}'s window) or off (null), keeping the install time. */
  private HostRecord netboot(
      String host, Install install, boolean inventoryNetboot, Instant at, String detail) {
    boolean on = install != null;
    return transaction(
        "netboot of " + host,
        c -> {
          db.dialect().lock(c, host);
          return record(
              c,
              new HostRecord(host, on, inventoryNetboot, at, installed(c, host), install),
              on ? "netboot-enabled" : "netboot-disabled",
              detail);
        });
  }

  @Override
  public List<String> issue(List<NewInstall> installs) {
    return transaction(
        "install windows of " + installs.size() + " hosts",
        c -> {
          List<String> issued = new ArrayList<>();
          for (NewInstall n : installs) {
            Install install = n.install();
            db.dialect().lock(c, n.host());
            Optional<HostRecord> now = read(c, n.host());
            if (InstallPhase.of(n.inventoryNetboot(), now, install.issued())
                != InstallPhase.UNISSUED) {
              continue; // decided meanwhile (netboot disable, a callback, another serve)
            }
            Instant installed = now.map(HostRecord::installed).orElse(null);
            record(
                c,
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
  private HostRecord record(Connection c, HostRecord record, String kind, String detail)
      throws SQLException {
    write(c, record);
    insertEvent(c, record.host(), kind, detail, record.updated());
    db.dialect().notifyChanged(c, record.host());
    return record;
  }

  /** When {@code host} was last installed, as recorded; null when never. */
  private static Instant installed(Connection c, String host) throws SQLException {
    return read(c, host).map(HostRecord::installed).orElse(null);
  }

  private static String withWindow(String detail, Install install) {
    return detail + "; install " + install.shortId() + " until " + install.expires();
  }

  private <T> T transaction(String what, Database.Work<T> work) {
    try {
      return db.transaction(work);
    } catch (SQLException e) {
      throw db.failed("record " + what, e);
    }
  }

  private static void write(Connection c, HostRecord record) throws SQLException {
    try (PreparedStatement up =
        c.prepareStatement(
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
  public void event(String host, String kind, String detail, Instant at) {
    // a lone event is a record of what happened, not state: it never waits for the disk
    try {
      db.use(
          c -> {
            db.dialect()
                .unhurried(
                    c,
                    d -> {
                      insertEvent(d, host, kind, detail, at);
                      return null;
                    });
            return null;
          });
    } catch (SQLException e) {
      throw db.failed("record event " + StateStore.cut(kind, MAX_KIND), e);
    }
  }

  private static void insertEvent(Connection c, String host, String kind, String detail, Instant at)
      throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement("INSERT INTO events (at, host, kind, detail) VALUES (?, ?, ?, ?)")) {
      ins.setString(1, at.toString());
      ins.setString(2, StateStore.cut(host, MAX_HOST));
      ins.setString(3, StateStore.cut(kind, MAX_KIND));
      ins.setString(4, detail == null ? "" : StateStore.cut(detail, MAX_DETAIL));
      ins.executeUpdate();
    }
  }

  @Override
  public List<Event> eventsBefore(String host, long before, int limit) {
    return events("id < ?", "DESC", host, before, limit);
  }

  @Override
  public List<Event> eventsAfter(String host, long after, int limit) {
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
    try {
      return db.use(
          c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
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
            }
          });
    } catch (SQLException e) {
      throw db.failed("read events " + idTest.replace("?", Long.toString(id)), e);
    }
  }

  @Override
  public int prune(Instant before, int keep) {
    // Instants compare as times here: their text form does not sort (".5Z" before "Z").
    try {
      return db.use(
          c -> {
            try (PreparedStatement old =
                    c.prepareStatement("DELETE FROM events WHERE " + db.dialect().olderThan);
                PreparedStatement many =
                    c.prepareStatement(
                        "DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC"
                            + " LIMIT 1 OFFSET ?)")) {
              old.setString(1, before.toString());
              int deleted = old.executeUpdate();
              many.setInt(1, keep);
              return deleted + many.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw db.failed("prune events", e);
    }
  }

  @Override
  public void close() {
    db.close();
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
}
