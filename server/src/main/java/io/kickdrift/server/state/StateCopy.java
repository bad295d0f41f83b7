package io.kickdrift.server.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kickdrift state migrate --to URL}: every row of one state database copied into another, as
 * it is (ids, times and booleans have the same form in both schemas), in one transaction on the
 * target, whose tables must be empty. Both are at this build's schema version when opened, so the
 * columns match.
 */
public final class StateCopy {
  /** The tables copied, in this order; sequences follow ids. */
  static final List<String> TABLES =
      List.of("hosts", "events", "leases", "api_tokens", "audit", "scan_jobs");

  private StateCopy() {}

  /**
   * Copies everything in {@code from} to {@code to}; how many rows of each table.
   *
   * @throws StateException when a table of {@code to} is not empty (naming it), or a copy fails
   */
  public static Map<String, Integer> copy(Database from, Database to) {
    try {
      return to.transaction(
          target -> {
            for (String table : TABLES) {
              if (count(target, table) > 0) {
                throw new SQLException(
                    "table "
                        + table
                        + " is not empty there: migrate into a new database, never over state"
                        + " that is in use");
              }
            }
            Map<String, Integer> copied = new LinkedHashMap<>();
            for (String table : TABLES) {
              copied.put(table, from.use(source -> copy(source, target, table)));
            }
            if (to.dialect() == Database.Dialect.POSTGRESQL) {
              try (Statement s = target.createStatement()) {
                for (String table : List.of("events", "audit")) {
                  // the next id follows the copied ones
                  s.execute(
                      "SELECT setval(pg_get_serial_sequence('"
                          + table
                          + "', 'id'), COALESCE((SELECT max(id) FROM "
                          + table
                          + "), 0) + 1, false)");
                }
              }
            }
            return copied;
          });
    } catch (SQLException e) {
      throw to.failed("migrate from " + from.where(), e);
    }
  }

  private static int count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getInt(1);
    }
  }

  private static int copy(Connection source, Connection target, String table) throws SQLException {
    int rows = 0;
    try (Statement s = source.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = r.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add('"' + meta.getColumnName(i) + '"');
      }
      String insert =
          "INSERT INTO "
              + table
              + " ("
              + String.join(", ", columns)
              + ") VALUES ("
              + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
              + ")";
      try (PreparedStatement ins = target.prepareStatement(insert)) {
        while (r.next()) {
          for (int i = 1; i <= columns.size(); i++) {
            ins.setObject(i, r.getObject(i));
          }
          ins.addBatch();
          if (++rows % 1000 == 0) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
      }
    }
    return rows;
  }
}
