package io.kickdrift.server.state;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where a shared state database is ({@code state.database}, {@code --database}): {@code
 * postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?PARAMETERS]}, libpq's form ({@code
 * postgres://} and {@code jdbc:postgresql://} are read too). The password is better kept in a file
 * ({@code --database-password-file}) than in the URL; {@link #toString()} never shows it.
 *
 * @param jdbc the JDBC URL without user or password
 */
public record DatabaseUrl(String jdbc, String user, String password) {
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_.$-]{1,63}");

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
    URI uri;
    try {
      uri = new URI("postgresql://" + rest);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a URL: " + hidePassword(t) + " (" + e.getReason() + ")");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + hidePassword(t));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (!DATABASE.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "expected a database name after the host (letters, digits, _ . $ -), got '"
              + database
              + "' in "
              + hidePassword(t));
    }
    String user = null;
    String pass = password;
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      if (colon >= 0) {
        pass = decode(info.substring(colon + 1));
      }
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new DatabaseUrl(
        "jdbc:postgresql://" + hostPart + port + "/" + database + query, user, pass);
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
