package io.kickdrift.server.serve;

import io.kickdrift.server.guard.LogText;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The query of {@code GET /api/v1/events}: {@code host} (one host's events; all without it), {@code
 * limit} (events per page, 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and {@code
 * before} (an event id: the page of older events, as the {@code next} link gives it). Anything
 * else, twice, empty, or not a number where a number goes is a {@link ClientError} naming the
 * parameter; a larger limit is refused rather than clamped, so a script never takes a short page
 * for the whole log.
 *
 * <pre>{@code
 * EventsQuery q = EventsQuery.parse("host=web01&limit=50"); // q.before() == Long.MAX_VALUE
 * }</pre>
 */
record EventsQuery(String host, int limit, long before) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /** No host name is longer (DNS names stop at 253). */
  static final int MAX_HOST = 255;

  /** Parses a raw (percent-encoded) query string; null or empty means all defaults. */
  static EventsQuery parse(String rawQuery) throws ClientError {
    String host = null;
    int limit = DEFAULT_LIMIT;
    long before = Long.MAX_VALUE;
    Set<String> seen = new HashSet<>();
    for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
      String value =
          eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter " + LogText.of(name, 40));
      if (!seen.add(name)) {
        throw new ClientError(400, "parameter " + LogText.of(name, 40) + " given more than once");
      }
      switch (name) {
        case "host" -> host = host(value);
        case "limit" -> limit = limit(value);
        case "before" -> before = before(value);
        default ->
            throw new ClientError(
                400,
                "unknown parameter " + LogText.of(name, 40) + " (expected host, limit, before)");
      }
    }
    return new EventsQuery(host, limit, before);
  }

  /** The query of the page after this one, which ended at event {@code lastId}. */
  String next(long lastId) {
    return (host == null ? "" : "host=" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "&")
        + "limit="
        + limit
        + "&before="
        + lastId;
  }

  private static String host(String value) throws ClientError {
    if (value.isEmpty() || value.length() > MAX_HOST) {
      throw new ClientError(400, "host: expected a host name of 1 to " + MAX_HOST + " characters");
    }
    return value;
  }

  private static int limit(String value) throws ClientError {
    if (value.matches("[0-9]{1,4}")) {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    }
    throw new ClientError(400, "limit: expected a whole number from 1 to " + MAX_LIMIT);
  }

  private static long before(String value) throws ClientError {
    if (value.matches("[0-9]{1,18}")) {
      long before = Long.parseLong(value);
      if (before >= 1) {
        return before;
      }
    }
    throw new ClientError(400, "before: expected an event id (a whole number from 1)");
  }

  /** Percent-decoding ({@code +} is a space), then strict UTF-8. */
  private static String decode(String raw, String what) throws ClientError {
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
