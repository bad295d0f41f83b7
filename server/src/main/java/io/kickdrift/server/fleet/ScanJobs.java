package io.kickdrift.server.fleet;

import io.kickdrift.server.state.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The hosts of named fleet scans as jobs in the state {@link Database} ({@code scan_jobs}), so that
 * several servers split one scan (docs/scale.md, "Shared scans"). A server takes a job by writing
 * itself as its owner with a lease ({@code SELECT … FOR UPDATE SKIP LOCKED} on PostgreSQL), renews
 * the lease while it works, and finishes the job with the outcome only while it still owns it. A
 * job whose lease ran out (its server died) is taken again by another. Times are milliseconds since
 * the epoch, passed in by the caller.
 */
public final class ScanJobs implements AutoCloseable {
  /**
   * A job taken: the how-manieth attempt, when it was added (scheduled), and when to stop trying
   * again (null: one attempt).
   */
  public record Taken(String job, String host, int attempts, Instant created, Instant giveUp) {}

  /**
   * One host of a scan as the table has it.
   *
   * @param owner the server that holds or finished it; null when nobody has taken it yet
   * @param result its outcome; null while not finished
   */
  public record Row(String host, String owner, int attempts, FleetScan.HostResult result) {}

  private final Database db;

  /** The jobs in {@code db}, which the store closes when closed. */
  public ScanJobs(Database db) {
    this.db = db;
  }

  /** Adds the hosts not yet in scan {@code job}; how many were new. */
  public int add(String job, List<String> hosts, Instant now) {
    try {
      return db.transaction(
          c -> {
            int added = 0;
            try (PreparedStatement p =
                c.prepareStatement(
                    "INSERT INTO scan_jobs (job, host, created) VALUES (?, ?, ?)"
                        + " ON CONFLICT (job, host) DO NOTHING")) {
              for (String h : hosts) {
                p.setString(1, job);
                p.setString(2, h);
                p.setLong(3, now.toEpochMilli());
                added += p.executeUpdate();
              }
            }
            return added;
          });
    } catch (SQLException e) {
      throw db.failed("add the hosts of scan " + job, e);
    }
  }

  /**
   * Schedules {@code host} in {@code job} for {@code due} (trying again until {@code giveUp}; null:
   * once), as new: a finished run of it is replaced; false, changing nothing, when one is waiting
   * or running.
   */
  public boolean schedule(String job, String host, Instant now, Instant due, Instant giveUp) {
    return changedOne(
        "schedule " + host + " in " + job,
        "INSERT INTO scan_jobs (job, host, created, due, give_up) VALUES (?, ?, ?, ?, ?) ON CONFLICT"
            + " (job, host) DO UPDATE SET created = excluded.created, due = excluded.due, give_up ="
            + " excluded.give_up, owner = NULL, lease_until = NULL, attempts = 0, finished = NULL,"
            + " way = NULL, findings = NULL, millis = NULL, commit_id = NULL, summary = NULL, error"
            + " = NULL, warnings = NULL WHERE scan_jobs.finished IS NOT NULL",
        job,
        host,
        now.toEpochMilli(),
        due.toEpochMilli(),
        giveUp == null ? null : giveUp.toEpochMilli());
  }

  /**
   * Gives back {@code owner}'s job, to be taken again from {@code due}; false when {@code owner} no
   * longer holds it.
   */
  public boolean postpone(String job, String host, String owner, Instant now, Instant due) {
    return changedOne(
        "postpone " + host + " in " + job,
        "UPDATE scan_jobs SET owner = NULL, lease_until = NULL, due = ? WHERE job = ? AND host = ?"
            + " AND owner = ? AND finished IS NULL AND lease_until >= ?",
        due.toEpochMilli(),
        job,
        host,
        owner,
        now.toEpochMilli());
  }

  /**
   * Takes one unfinished job of {@code job} that is due by {@code now} and that nobody holds (never
   * taken, or its lease ran out) for {@code owner} until {@code until}; empty when there is none.
   */
  public Optional<Taken> take(String job, String owner, Instant now, Instant until) {
    try {
      return db.transaction(
          c -> {
            String host;
            try (PreparedStatement p =
                c.prepareStatement(
                    "SELECT host FROM scan_jobs WHERE job = ? AND finished IS NULL AND (lease_until"
                        + " IS NULL OR lease_until < ?) AND (due IS NULL OR due <= ?) ORDER BY"
                        + " host LIMIT 1"
                        + db.dialect().skipLocked())) {
              p.setString(1, job);
              p.setLong(2, now.toEpochMilli());
              p.setLong(3, now.toEpochMilli());
              try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                  return Optional.empty();
                }
                host = r.getString(1);
              }
            }
            try (PreparedStatement p =
                c.prepareStatement(
                    "UPDATE scan_jobs SET owner = ?, lease_until = ?, attempts = attempts + 1"
                        + " WHERE job = ? AND host = ? RETURNING attempts, created, give_up")) {
              p.setString(1, owner);
              p.setLong(2, until.toEpochMilli());
              p.setString(3, job);
              p.setString(4, host);
              try (ResultSet r = p.executeQuery()) {
                r.next();
                long giveUp = r.getLong(3);
                boolean once = r.wasNull();
                return Optional.of(
                    new Taken(
                        job,
                        host,
                        r.getInt(1),
                        Instant.ofEpochMilli(r.getLong(2)),
                        once ? null : Instant.ofEpochMilli(giveUp)));
              }
            }
          });
    } catch (SQLException e) {
      throw db.failed("take a host of scan " + job, e);
    }
  }

  /**
   * Extends to {@code until} the leases {@code owner} still holds on {@code hosts} of {@code job}
   * (lease not run out by {@code now}, not finished); the hosts it no longer holds.
   */
  public List<String> renew(
      String job, List<String> hosts, String owner, Instant now, Instant until) {
    try {
      return db.transaction(
          c -> {
            List<String> lost = new ArrayList<>();
            try (PreparedStatement p =
                c.prepareStatement(
                    "UPDATE scan_jobs SET lease_until = ? WHERE job = ? AND host = ? AND owner = ?"
                        + " AND finished IS NULL AND lease_until >= ?")) {
              for (String h : hosts) {
                p.setLong(1, until.toEpochMilli());
                p.setString(2, job);
                p.setString(3, h);
                p.setString(4, owner);
                p.setLong(5, now.toEpochMilli());
                if (p.executeUpdate() == 0) {
                  lost.add(h);
                }
              }
            }
            return lost;
          });
    } catch (SQLException e) {
      throw db.failed("renew the leases of scan " + job, e);
    }
  }

  /**
   * Records {@code result} as the outcome of {@code owner}'s job, if {@code owner} still holds it
   * ({@code now} within its lease); false when it does not, and nothing is written.
   */
  public boolean finish(String job, FleetScan.HostResult result, String owner, Instant now) {
    return changedOne(
        "record the scan of " + result.host() + " in scan " + job,
        "UPDATE scan_jobs SET finished = ?, lease_until = NULL, way = ?, findings = ?, millis = ?,"
            + " commit_id = ?, summary = ?, error = ?, warnings = ? WHERE job = ? AND host = ? AND"
            + " owner = ? AND finished IS NULL AND lease_until >= ?",
        now.toEpochMilli(),
        result.way(),
        result.findings(),
        result.millis(),
        result.commit(),
        result.summary(),
        result.error(),
        String.join("\n", result.warnings()),
        job,
        result.host(),
        owner,
        now.toEpochMilli());
  }

  /**
   * Runs {@code sql} with {@code values} (strings, numbers, nulls) in order; whether it changed
   * exactly one row. {@code what} names the change when the database fails.
   */
  private boolean changedOne(String what, String sql, Object... values) {
    try {
      return db.use(
          c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
              for (int i = 0; i < values.length; i++) {
                p.setObject(i + 1, values[i]); // a null's type is left to the column
              }
              return p.executeUpdate() == 1;
            }
          });
    } catch (SQLException e) {
      throw db.failed(what, e);
    }
  }

  /** Every host of {@code job}, by name. */
  public List<Row> rows(String job) {
    try {
      return db.use(c -> rows(c, job));
    } catch (SQLException e) {
      throw db.failed("read scan " + job, e);
    }
  }

  private static List<Row> rows(Connection c, String job) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT host, owner, attempts, finished, way, findings, millis, commit_id, summary,"
                + " error, warnings FROM scan_jobs WHERE job = ? ORDER BY host")) {
      p.setString(1, job);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          r.getLong(4);
          FleetScan.HostResult result = null;
          if (!r.wasNull()) {
            String warnings = r.getString(11);
            result =
                new FleetScan.HostResult(
                    r.getString(1),
                    r.getString(5),
                    r.getInt(6),
                    r.getLong(7),
                    r.getString(8),
                    r.getString(9),
                    r.getString(10),
                    warnings == null || warnings.isEmpty()
                        ? List.of()
                        : Arrays.asList(warnings.split("\n")));
          }
          out.add(new Row(r.getString(1), r.getString(2), r.getInt(3), result));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    db.close();
  }
}
