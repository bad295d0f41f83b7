package io.kickdrift.server.state;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a shared state database is ({@code state.database}, {@code --database}): {@code
 * postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?PARAMETERS]}, libpq's form ({@code
 * postgres://} and {@code jdbc:postgresql://} are read too). The password is better kept in a file
 * ({@code --database-password-file}) than in the URL; {@link #toString()} never shows it. Several
 * hosts ({@code HOST1:PORT,HOST2:PORT}) go to the driver as they are, with parameters such as
 * {@code targetServerType=primary}.
 *
 * @param jdbc the JDBC URL without user or password
 */
public record DatabaseUrl(String jdbc, String user, String password) {
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_.$-]{1,63}");

  /** A name or IPv4 address, or an IPv6 one in brackets, with an optional port. */
  private static final Pattern HOST =
      Pattern.compile("([A-Za-z0-9_.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?");

  /**
   * Reads {@code text}; {@code password} (from a file, may be null) is used when the URL has none.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static DatabaseUrl parse(String text, String password) {
    String t = text.strip();
    String rest;
    if (t.startsWith("jdbc:postgresql://")) {
      rest = t.substring("jdbc:postgresql://".length());
    } else if (t.startsWith("postgresql://")) {
      rest = t.substring("postgresql://".length());
    } else if (t.startsWith("postgres://")) {
      rest = t.substring("postgres://".length());
    } else {
      throw new IllegalArgumentException(
          "expected postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE, got " + hidePassword(t));
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String tail = slash < 0 ? "" : rest.substring(slash + 1);
    int q = tail.indexOf('?');
    String database = q < 0 ? tail : tail.substring(0, q);
    String query = q < 0 ? "" : tail.substring(q);
    int at = authority.lastIndexOf('@');
    String info = at < 0 ? null : authority.substring(0, at);
    String hostList = at < 0 ? authority : authority.substring(at + 1);
    List<String> hosts = new ArrayList<>();
    for (String h : hostList.split(",", -1)) {
      if (!HOST.matcher(h).matches()) {
        throw new IllegalArgumentException(
            (h.isEmpty() ? "no host" : "expected HOST[:PORT], got '" + h + "'")
                + " in "
                + hidePassword(t));
      }
      hosts.add(h);
    }
    if (!DATABASE.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "expected a database name after the host (letters, digits, _ . $ -), got '"
              + database
              + "' in "
              + hidePassword(t));
    }
    if (query.chars().anyMatch(c -> c <= ' ' || c == '#')) {
      throw new IllegalArgumentException(
          "expected URL parameters without spaces in " + hidePassword(t));
    }
    String user = null;
    String pass = password;
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      if (colon >= 0) {
        pass = decode(info.substring(colon + 1));
      }
    }
    return new DatabaseUrl(
        "jdbc:postgresql://" + String.join(",", hosts) + "/" + database + query, user, pass);
  }

  /** Whether {@code text} names a shared database rather than the embedded SQLite file. */
  public static boolean isShared(String text) {
    return text != null && !text.isBlank();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code text} with whatever stands between {@code user:} and {@code @} replaced. */
  static String hidePassword(String text) {
    return text.replaceAll("(//[^/@:]*):[^/@]*@", "$1:***@");
  }

  /** {@code postgresql://USER@HOST:PORT/DATABASE?…}: never the password. */
  @Override
  public String toString() {
    String at = user == null ? "" : user + "@";
    return "postgresql://" + at + jdbc.substring("jdbc:postgresql://".length());
  }
}
