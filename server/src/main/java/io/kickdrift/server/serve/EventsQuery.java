package io.kickdrift.server.serve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
    Query q = Query.parse(rawQuery, List.of("host", "limit", "before"));
    String host = q.get("host") == null ? null : host(q.get("host"));
    int limit = q.get("limit") == null ? DEFAULT_LIMIT : limit(q.get("limit"));
    long before = q.get("before") == null ? Long.MAX_VALUE : before(q.get("before"));
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

  static String host(String value) throws ClientError {
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
}
