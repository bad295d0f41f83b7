package io.kickdrift.server.dhcp;

import io.kickdrift.server.state.StateDatabase;
import io.kickdrift.server.state.StateException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@link LeaseStore} in the {@code leases} table of {@code STATE/kickdrift.db}, on its own
 * connection in WAL mode with {@code synchronous=FULL}: an ACKed lease survives a kill -9, so a
 * restarted server never hands the address to another machine. Use is serialised on the store. The
 * table is made and migrated by {@code StateSchema} when the database is opened.
 */
public final class SqliteLeaseStore implements LeaseStore {
  private final Path file;
  private final Connection db;

  private SqliteLeaseStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /** Opens (creating when absent, mode 0700 directory) the leases in {@code dir/kickdrift.db}. */
  public static SqliteLeaseStore open(Path dir) {
    return StateDatabase.open(dir, "the lease table", (file, db) -> new SqliteLeaseStore(file, db));
  }

  @Override
  public synchronized Optional<Lease> byMac(String mac) {
    return one("SELECT mac, ip, expires FROM leases WHERE mac = ? ORDER BY expires DESC", mac);
  }

  @Override
  public synchronized Optional<Lease> byIp(Inet4Address ip) {
    return one("SELECT mac, ip, expires FROM leases WHERE ip = ?", ip.getHostAddress());
  }

  @Override
  public synchronized Set<Inet4Address> active(Instant now) {
    try (PreparedStatement q = db.prepareStatement("SELECT ip FROM leases WHERE expires > ?")) {
      q.setLong(1, now.toEpochMilli());
      Set<Inet4Address> out = new HashSet<>();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.add(DhcpPacket.ipv4(r.getString(1)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("read", e);
    }
  }

  @Override
  public synchronized void put(Lease lease) {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement del = db.prepareStatement("DELETE FROM leases WHERE mac = ?");
          PreparedStatement ins =
              db.prepareStatement("INSERT OR REPLACE INTO leases VALUES (?, ?, ?)")) {
        if (!lease.mac().isEmpty()) {
          del.setString(1, lease.mac());
          del.executeUpdate();
        }
        ins.setString(1, lease.ip().getHostAddress());
        ins.setString(2, lease.mac());
        ins.setLong(3, lease.expires().toEpochMilli());
        ins.executeUpdate();
        db.commit();
      } catch (SQLException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failed("write", e);
    }
  }

  @Override
  public synchronized void release(String mac, Inet4Address ip) {
    update("DELETE FROM leases WHERE ip = ? AND mac = ?", ip.getHostAddress(), mac);
  }

  @Override
  public synchronized int expire(Instant now) {
    try (PreparedStatement q = db.prepareStatement("DELETE FROM leases WHERE expires <= ?")) {
      q.setLong(1, now.toEpochMilli());
      return q.executeUpdate();
    } catch (SQLException e) {
      throw failed("write", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      // closing on the way out: nothing to do
    }
  }

  private Optional<Lease> one(String sql, String arg) {
    try (PreparedStatement q = db.prepareStatement(sql)) {
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
    } catch (SQLException e) {
      throw failed("read", e);
    }
  }

  private void update(String sql, String... args) {
    try (PreparedStatement q = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        q.setString(i + 1, args[i]);
      }
      q.executeUpdate();
    } catch (SQLException e) {
      throw failed("write", e);
    }
  }

  private StateException failed(String what, SQLException e) {
    return new StateException(file + ": cannot " + what + " leases: " + e.getMessage(), e);
  }
}
