package io.kickdrift.server.serve;

import io.kickdrift.server.guard.LogText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's query string read strictly: percent-decoded ({@code +} is a space) as strict UTF-8,
 * only the parameters a route names, each at most once. Anything else is a {@link ClientError}
 * naming the parameter, so a typo ({@code ?limt=5}) is never silently a default.
 *
 * <pre>{@code
 * Query q = Query.parse("host=web01&limit=5", List.of("host", "limit", "before"));
 * q.get("host"); // "web01"
 * }</pre>
 */
record Query(Map<String, String> values) {
  /** Parses a raw (percent-encoded) query; null or empty is no parameter. */
  static Query parse(String rawQuery, List<String> known) throws ClientError {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
      String value =
          eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter " + LogText.of(name, 40));
      if (!known.contains(name)) {
        throw new ClientError(
            400,
            "unknown parameter "
                + LogText.of(name, 40)
                + (known.isEmpty() ? " (expected none)" : " (expected " + expected(known) + ")"));
      }
      if (values.putIfAbsent(name, value) != null) {
        throw new ClientError(400, "parameter " + LogText.of(name, 40) + " given more than once");
      }
    }
    return new Query(Map.copyOf(values));
  }

  /** The parameter's value, null when absent. */
  String get(String name) {
    return values.get(name);
  }

  /** A whole number from {@code min} to {@code max}, {@code absent} when not given. */
  int number(String name, int min, int max, int absent) throws ClientError {
    String v = values.get(name);
    if (v == null) {
      return absent;
    }
    if (v.matches("[0-9]{1,9}")) {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    }
    throw new ClientError(400, name + ": expected a whole number from " + min + " to " + max);
  }

  private static String expected(List<String> known) {
    return String.join(", ", known);
  }

  /** Percent-decoding ({@code +} is a space), then strict UTF-8. */
  static String decode(String raw, String what) throws ClientError {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < utf8.length; i++) {
      byte b = utf8[i];
      if (b == '+') {
        bytes.write(' ');
      } else if (b == '%') {
        int hi = i + 2 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
        int lo = hi >= 0 ? Character.digit(utf8[i + 2], 16) : -1;
        if (lo < 0) {
          throw new ClientError(400, what + ": bad percent-encoding");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(b);
      }
    }
    return ClientError.utf8(bytes.toByteArray(), what);
  }
}
