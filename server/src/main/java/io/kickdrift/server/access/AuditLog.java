package io.kickdrift.server.access;

import io.kickdrift.server.state.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit log in the state database ({@code audit}): who did what, on what, from where. */
public final class AuditLog implements AutoCloseable {
  /** One row; {@code id} grows with time. */
  public record Entry(
      long id,
      Instant at,
      String actor,
      String via,
      String action,
      String target,
      String origin,
      String detail) {
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("at", at.toString());
      m.put("actor", actor);
      m.put("via", via);
      m.put("action", action);
      m.put("target", target);
      m.put("origin", origin);
      m.put("detail", detail);
      return m;
    }
  }

  /** The most rows one page holds. */
  public static final int MAX_PAGE = 1000;

  private final Database db;

  /** The log in {@code db}, which this closes when closed (pass {@code db.share()} to keep it). */
  public AuditLog(Database db) {
    this.db = db;
  }

  /** The log in SQLite's state database in {@code stateDir}. */
  public static AuditLog open(Path stateDir) {
    return new AuditLog(Database.sqlite(stateDir));
  }

  /** Adds a row; null texts are stored empty. */
  public synchronized void add(
      Instant at,
      String actor,
      String via,
      String action,
      String target,
      String origin,
      String detail) {
    String[] values = {at.toString(), actor, via, action, target, origin, detail};
    try {
      db.use(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO audit (at, actor, via, action, target, origin, detail)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
              for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i] == null ? "" : values[i]);
              }
              return s.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw db.failed("add to the audit log", e);
    }
  }

  /**
   * Up to {@code limit} rows (1 to {@link #MAX_PAGE}), newest first, with ids below {@code before}
   * when it is not null (the next page: the last id of this one).
   */
  public synchronized List<Entry> page(int limit, Long before) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit " + limit + "; expected 1 to " + MAX_PAGE);
    }
    try {
      return db.use(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement("SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?")) {
              s.setLong(1, before == null ? Long.MAX_VALUE : before);
              s.setInt(2, limit);
              List<Entry> out = new ArrayList<>();
              try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                  out.add(
                      new Entry(
                          r.getLong("id"),
                          Instant.parse(r.getString("at")),
                          r.getString("actor"),
                          r.getString("via"),
                          r.getString("action"),
                          r.getString("target"),
                          r.getString("origin"),
                          r.getString("detail")));
                }
              }
              return out;
            }
          });
    } catch (SQLException e) {
      throw db.failed("read the audit log", e);
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
