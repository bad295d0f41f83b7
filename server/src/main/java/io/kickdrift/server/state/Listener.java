package io.kickdrift.server.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The thread behind {@link Database#listen}: one connection of its own (a pooled one would be
 * handed to others), {@code LISTEN kickdrift_state}, each notification's payload passed on. When
 * the connection is lost it says so once, tries again every two seconds, and once back passes null
 * (what changed meanwhile is unknown).
 */
final class Listener extends Thread implements AutoCloseable {
  private final DatabaseUrl url;
  private final Consumer<String> changed;
  private final Consumer<String> log;
  private volatile boolean stopped;
  private volatile Connection connection;

  Listener(DatabaseUrl url, Consumer<String> changed, Consumer<String> log) {
    super("kickdrift-state-listener");
    setDaemon(true);
    this.url = url;
    this.changed = changed;
    this.log = log;
  }

  @Override
  public void run() {
    boolean lost = false;
    while (!stopped) {
      try (Connection c = connect()) {
        connection = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + Database.CHANNEL);
        }
        if (lost) {
          log.accept("state listener: listening again on " + url);
          changed.accept(null);
          lost = false;
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!stopped) {
          PGNotification[] got = pg.getNotifications(1000);
          if (got == null) {
            continue;
          }
          for (PGNotification n : got) {
            changed.accept(n.getParameter());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped) {
          return;
        }
        if (!lost) {
          log.accept("state listener: lost " + url + ": " + e.getMessage() + "; trying again");
          lost = true;
        }
        try {
          Thread.sleep(2000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    if (url.user() != null) {
      p.setProperty("user", url.user());
    }
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    p.setProperty("connectTimeout", "5");
    p.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(url.jdbc(), p);
  }

  @Override
  public void close() {
    stopped = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // stopping
      }
    }
    interrupt();
  }
}
