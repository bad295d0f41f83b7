package io.kickdrift.server.dhcp;

import io.kickdrift.server.state.Database;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@link LeaseStore} in the {@code leases} table of the state {@link Database}: SQLite's file,
 * where an ACKed lease survives a kill -9 ({@code synchronous=FULL}), or PostgreSQL, shared by
 * several servers. An address is never leased twice because the table's key is the address and
 * {@link #claim} takes a row only when it is free, in one statement the database makes atomic
 * ({@code INSERT … ON CONFLICT … DO UPDATE … WHERE}): two servers answering the same DISCOVER at
 * once both try, one wins, the other offers the next address.
 */
public final class JdbcLeaseStore implements LeaseStore {
  private static final String COLUMNS = "SELECT mac, ip, expires FROM leases WHERE ";
  private final Database db;

  /** The leases in {@code db}, which the store closes when closed. */
  public JdbcLeaseStore(Database db) {
    this.db = db;
  }

  /** The leases in SQLite's {@code dir/kickdrift.db} (created when absent, mode 0700 directory). */
  public static JdbcLeaseStore open(Path dir) {
    return new JdbcLeaseStore(Database.sqlite(dir));
  }

  @Override
  public Optional<Lease> byMac(String mac) {
    return one(COLUMNS + "mac = ? ORDER BY expires DESC LIMIT 1", mac);
  }

  @Override
  public Optional<Lease> byIp(Inet4Address ip) {
    return one(COLUMNS + "ip = ?", ip.getHostAddress());
  }

  @Override
  public Set<Inet4Address> active(Instant now) {
    try {
      return db.use(
          c -> {
            try (PreparedStatement q =
                c.prepareStatement("SELECT ip FROM leases WHERE expires > ?")) {
              q.setLong(1, now.toEpochMilli());
              Set<Inet4Address> out = new HashSet<>();
              try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                  out.add(DhcpPacket.ipv4(r.getString(1)));
                }
              }
              return out;
            }
          });
    } catch (SQLException e) {
      throw db.failed("read leases", e);
    }
  }

  @Override
  public boolean claim(Lease lease, Instant now) {
    return write(lease, " WHERE leases.mac = excluded.mac OR leases.expires <= ?", now);
  }

  @Override
  public void put(Lease lease) {
    write(lease, "", null);
  }

  /**
   * Writes {@code lease} over the row of its address when {@code condition} holds (with {@code now}
   * its parameter), and then drops the other leases of its MAC; whether it was written.
   */
  private boolean write(Lease lease, String condition, Instant now) {
    try {
      return db.transaction(
          c -> {
            try (PreparedStatement up =
                c.prepareStatement(
                    "INSERT INTO leases (ip, mac, expires) VALUES (?, ?, ?) ON CONFLICT (ip) DO"
                        + " UPDATE SET mac = excluded.mac, expires = excluded.expires"
                        + condition)) {
              up.setString(1, lease.ip().getHostAddress());
              up.setString(2, lease.mac());
              up.setLong(3, lease.expires().toEpochMilli());
              if (now != null) {
                up.setLong(4, now.toEpochMilli());
              }
              if (up.executeUpdate() == 0) {
                return false; // another MAC holds it
              }
            }
            if (!lease.mac().isEmpty()) {
              try (PreparedStatement del =
                  c.prepareStatement("DELETE FROM leases WHERE mac = ? AND ip <> ?")) {
                del.setString(1, lease.mac());
                del.setString(2, lease.ip().getHostAddress());
                del.executeUpdate();
              }
            }
            return true;
          });
    } catch (SQLException e) {
      throw db.failed("write the lease of " + lease.ip().getHostAddress(), e);
    }
  }

  @Override
  public void release(String mac, Inet4Address ip) {
    update("DELETE FROM leases WHERE ip = ? AND mac = ?", ip.getHostAddress(), mac);
  }

  @Override
  public int expire(Instant now) {
    try {
      return db.use(
          c -> {
            try (PreparedStatement q =
                c.prepareStatement("DELETE FROM leases WHERE expires <= ?")) {
              q.setLong(1, now.toEpochMilli());
              return q.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw db.failed("expire leases", e);
    }
  }

  @Override
  public void close() {
    db.close();
  }

  private Optional<Lease> one(String sql, String arg) {
    try {
      return db.use(
          c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
              q.setString(1, arg);
              try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                  return Optional.empty();
                }
                return Optional.of(
                    new Lease(
                        r.getString(1),
                        DhcpPacket.ipv4(r.getString(2)),
                        Instant.ofEpochMilli(r.getLong(3))));
              }
            }
          });
    } catch (SQLException e) {
      throw db.failed("read leases", e);
    }
  }

  private void update(String sql, String... args) {
    try {
      db.use(
          c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
              for (int i = 0; i < args.length; i++) {
                q.setString(i + 1, args[i]);
              }
              return q.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw db.failed("write leases", e);
    }
  }
}
