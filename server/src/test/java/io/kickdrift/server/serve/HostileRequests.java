package io.kickdrift.server.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Hostile HTTP requests for every route of a route table, so that a route added later is probed
 * too, and a storm that sends many of them at once over raw sockets and judges the answers: each
 * must be a 2xx or 4xx without exception text, within the client's timeout. Shared by {@code
 * HttpHostileIT} (HttpFront alone, short limits) and {@code HostileSuiteIT} (a whole serve).
 *
 * <pre>{@code
 * HostileRequests hostile = new HostileRequests(bearer, "web01.lab.example.com", "images/vmlinuz");
 * HostileRequests.Result r = HostileRequests.storm(at, hostile.forRoutes(routes, 0, 2), 16, timeout);
 * }</pre>
 */
final class HostileRequests {
  /** A request line and the headers every hostile request carries (the admin token among them). */
  record Target(String method, String path) {
    String head(String... headers) {
      StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\n");
      for (String h : headers) {
        head.append(h).append("\r\n");
      }
      return head.append("\r\n").toString();
    }
  }

  /** One hostile request: its name, whether it may end without an answer, how it is sent. */
  record Hostile(String name, boolean mayGoUnanswered, RawHttp.Sender sender) {}

  /**
   * What a storm got: how many requests, how many of each status (negative: {@link RawHttp}'s
   * codes), the wrong answers, one line each (request, status, time, first line), every outcome in
   * the order of the requests, and the requests sent a second time because their connection closed
   * without a byte (see {@link #storm}).
   */
  record Result(
      int sent,
      Map<Integer, Integer> statuses,
      List<String> wrong,
      List<RawHttp.Outcome> outcomes,
      List<String> resent) {
    int count(int status) {
      return statuses.getOrDefault(status, 0);
    }
  }

  /**
   * How many requests of one storm may be sent again ({@link #storm}) before the test fails: a
   * route or a server that closes connections is caught, Jetty's rare lost answer is not.
   */
  static final int RESENDS_ALLOWED = 2;

  private final String auth;
  private final String host;
  private final String file;

  /**
   * Requests that carry {@code auth} (a whole header line, so admin routes read their bodies), with
   * {@code host} for a route's {@code {host}} and {@code file} (under the served root) for {@code
   * **}.
   */
  HostileRequests(String auth, String host, String file) {
    this.auth = auth;
    this.host = host;
    this.file = file;
  }

  /** Where a route is asked: its pattern filled in, {@code *} as POST. */
  Target target(Route route) {
    String path =
        route
            .pattern()
            .replace("{host}", host)
            .replace("{token}", "0".repeat(32))
            .replace("{id}", "t1")
            .replace("{name}", "alice")
            .replace("**", file);
    return new Target(route.method().equals("*") ? "POST" : route.method(), path);
  }

  /**
   * Every hostile request for every route, in rounds {@code from} (inclusive) to {@code to}
   * (exclusive): random bodies differ by round, and round 0 adds the 10 MB bodies.
   */
  List<Hostile> forRoutes(List<Route> routes, int from, int to) {
    List<Hostile> all = new ArrayList<>();
    for (int round = from; round < to; round++) {
      for (Route route : routes) {
        if (route.pattern().equals("/api/v1/events/stream")) {
          continue; // an answer that never ends by design: EventStreamIT bounds it
        }
        Target t = target(route);
        for (Hostile h : hostile(t, round)) {
          all.add(
              new Hostile(
                  t.method() + " " + route.pattern() + ": " + h.name(),
                  h.mayGoUnanswered(),
                  h.sender()));
        }
      }
    }
    return all;
  }

  /**
   * Sends every request, {@code threads} at a time, each allowed {@code timeout} without a byte,
   * and judges the answers; fails when they are not all back within 3 minutes.
   *
   * <p>A request that must be answered but whose connection closed without a single byte is sent
   * once more, alone, and that second outcome is judged; the names are in {@link Result#resent} for
   * the caller to bound. Jetty (12.1.14) now and then closes a connection before the client has
   * read the 4xx of a request it refused while parsing (about one request in 10^4-10^5 under CI's
   * load; docs/benchmarks.md, stop 35 and stop 38): a client sees a reset, not a wrong answer. A
   * route that never answers fails the second time too.
   */
  static Result storm(InetSocketAddress at, List<Hostile> requests, int threads, Duration timeout)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(threads);
    List<Future<RawHttp.Outcome>> futures = new ArrayList<>();
    List<RawHttp.Outcome> outcomes = new ArrayList<>();
    try {
      for (Hostile h : requests) {
        futures.add(clients.submit(() -> RawHttp.exchange(at, h.sender(), timeout)));
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      for (Future<RawHttp.Outcome> f : futures) {
        outcomes.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
    } finally {
      clients.shutdownNow();
    }
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    List<String> resent = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      Hostile h = requests.get(i);
      RawHttp.Outcome o = outcomes.get(i);
      if (!h.mayGoUnanswered()
          && o.status() == RawHttp.CLOSED
          && o.text().isEmpty()
          && resent.size() <= RESENDS_ALLOWED) {
        resent.add(h.name() + " (closed in " + o.took().toMillis() + " ms)");
        o = RawHttp.exchange(at, h.sender(), timeout);
        outcomes.set(i, o);
      }
      statuses.merge(o.status(), 1, Integer::sum);
      boolean answered = o.status() >= 200 && o.status() < 500; // GET / redirects: a 302
      boolean fine =
          answered || h.mayGoUnanswered() && o.status() < 0 && o.status() != RawHttp.TIMED_OUT;
      if (!fine || o.text().contains("Exception") || o.text().contains("java.")) {
        wrong.add(
            h.name()
                + " -> "
                + o.status()
                + " in "
                + o.took().toMillis()
                + " ms: "
                + o.text().lines().findFirst().orElse(""));
      }
    }
    return new Result(requests.size(), statuses, wrong, outcomes, resent);
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Sends the parts at once and reads the answer. */
  static RawHttp.Sender whole(byte[]... parts) {
    return (socket, out) -> {
      for (byte[] part : parts) {
        out.write(part);
      }
      out.flush();
      return true;
    };
  }

  /** Hostile bodies and headers for one route; the 10 MB ones in round 0 only. */
  List<Hostile> hostile(Target t, int round) {
    String json = "Content-Type: application/json";
    String chunked = "Transfer-Encoding: chunked";
    List<Hostile> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) { // where the first bad byte falls varies: many bodies
      byte[] body = random(100_000, round * 10 + i);
      all.add(answered("random 100 KB #" + i, withBody(t, "application/json", body)));
      // as curl sends: the body a moment after the headers, so the server waits for it
      byte[] head = head(t, json, "Content-Length: " + body.length);
      all.add(answered("random 100 KB after a pause #" + i, paused(head, body)));
    }
    all.add(answered("random 2 KB", withBody(t, "application/json", random(2_000, round))));
    all.add(answered("invalid UTF-8", withJson(t, "{\"enabled\": \"\u00c3\u0028\"}")));
    all.add(
        answered(
            "overlong UTF-8 and a lone surrogate",
            withJson(t, "{\"enabled\": \"\u00c0\u00af\u00ed\u00a0\u0080\"}")));
    all.add(answered("nested 10,000 deep", withJson(t, "[".repeat(10_000))));
    all.add(answered("text/plain", withBody(t, "text/plain", ascii("{\"enabled\": true}"))));
    byte[] multipart = random(3_000, round);
    all.add(
        answered(
            "multipart, bad boundary", withBody(t, "multipart/form-data; boundary=", multipart)));
    byte[] form = ascii("a=%zz&b=\u00ff%&==");
    all.add(answered("form, bad escapes", withBody(t, "application/x-www-form-urlencoded", form)));
    byte[] enabled = ascii("{\"enabled\": true}");
    all.add(answered("JSON in latin1", withBody(t, "application/json; charset=latin1", enabled)));
    byte[] twoTypes = head(t, json, "Content-Type: text/plain", "Content-Length: 17");
    all.add(answered("two content types", whole(twoTypes, enabled)));
    byte[] promised = head(t, json, "Content-Length: 5000");
    all.add(
        answered(
            "shorter than its length, then half-closed",
            halfClosed(promised, ascii("{\"enabled\": tr"))));
    all.add(
        new Hostile(
            "shorter than its length, then gone", true, gone(promised, random(100, round))));
    all.add(answered("shorter than its length, then silent", whole(promised, random(100, round))));
    all.add(answered("dripped a byte at a time", dripped(head(t, json, "Content-Length: 200"))));
    byte[] chunkedHead = head(t, json, chunked);
    all.add(answered("chunk size not hex", whole(chunkedHead, ascii("zz\r\nabc\r\n"))));
    all.add(answered("negative chunk size", whole(chunkedHead, ascii("-5\r\nabc\r\n"))));
    all.add(
        answered(
            "chunk longer than sent, then half-closed",
            halfClosed(chunkedHead, ascii("1000\r\n{\"enabled\""))));
    all.add(
        answered("chunk without its CRLF", whole(chunkedHead, ascii("3\r\nabcdef\r\n0\r\n\r\n"))));
    byte[] chunkedAndLength = head(t, json, chunked, "Content-Length: 3");
    all.add(
        answered("chunked and a length", whole(chunkedAndLength, ascii("3\r\nabc\r\n0\r\n\r\n"))));
    // headers
    all.add(answered("a 100 KB header", whole(head(t, "X-Big: " + "a".repeat(100_000)))));
    all.add(answered("3,000 headers", whole(head(t, "X-A: b\r\n".repeat(3_000).strip()))));
    all.add(answered("NUL in a header name", whole(head(t, "X-\0A: b"))));
    all.add(answered("control bytes in a header value", whole(head(t, "X-A: b\u0001\u007f"))));
    byte[] twoAuths = head(t, "Authorization: Bearer 00", json, "Content-Length: 0");
    all.add(answered("two Authorization headers", whole(twoAuths)));
    byte[] nonAscii =
        ascii(t.head("Authorization: Bearer \u00ff\u00fe\u0080", "Content-Length: 0"));
    all.add(answered("non-ASCII in Authorization", whole(nonAscii)));
    byte[] huge = head(t, json, "Content-Length: 99999999999999999999999");
    all.add(answered("a length of 10^23", whole(huge)));
    all.add(answered("a negative length", whole(head(t, json, "Content-Length: -1"))));
    byte[] terabyte = head(t, json, "Content-Length: 1000000000000");
    all.add(answered("a terabyte announced", whole(terabyte, ascii("{"))));
    byte[] twoLengths = head(t, json, "Content-Length: 3", "Content-Length: 4");
    all.add(answered("two lengths", whole(twoLengths, ascii("abcd"))));
    Target query = new Target(t.method(), t.path() + "?" + "a".repeat(100_000));
    all.add(answered("a 100 KB query", whole(head(query))));
    Target rawPath = new Target(t.method(), t.path() + "\u00ff\u0080");
    all.add(answered("raw bytes in the path", whole(head(rawPath))));
    if (round == 0) {
      byte[] tenMegabytes = random(10 << 20, round);
      all.add(
          new Hostile("10 MB with a length", true, withBody(t, "application/json", tenMegabytes)));
      all.add(new Hostile("10 MB chunked", true, inChunks(chunkedHead, tenMegabytes)));
    }
    return all;
  }

  /** A request expected to be answered (not a client that goes away). */
  private static Hostile answered(String name, RawHttp.Sender sender) {
    return new Hostile(name, false, sender);
  }

  /** The request line and headers for {@code t}: the admin token, then {@code headers}. */
  private byte[] head(Target t, String... headers) {
    String[] all = new String[headers.length + 1];
    all[0] = auth;
    System.arraycopy(headers, 0, all, 1, headers.length);
    return ascii(t.head(all));
  }

  private RawHttp.Sender withBody(Target t, String type, byte[] body) {
    return whole(head(t, "Content-Type: " + type, "Content-Length: " + body.length), body);
  }

  private RawHttp.Sender withJson(Target t, String body) {
    return withBody(t, "application/json", ascii(body));
  }

  /** The head, then the body a moment later. */
  private static RawHttp.Sender paused(byte[] head, byte[] body) {
    return (socket, out) -> {
      out.write(head);
      out.flush();
      Thread.sleep(20);
      out.write(body);
      out.flush();
      return true;
    };
  }

  /** The parts, then the sending half of the connection closed; the answer is read. */
  private static RawHttp.Sender halfClosed(byte[]... parts) {
    return (socket, out) -> {
      whole(parts).send(socket, out);
      socket.shutdownOutput();
      return true;
    };
  }

  /** The parts, then the client goes without reading. */
  private static RawHttp.Sender gone(byte[]... parts) {
    return (socket, out) -> {
      whole(parts).send(socket, out);
      return false;
    };
  }

  /** The head, then a byte every 100 ms until the server answers (30 at most). */
  private static RawHttp.Sender dripped(byte[] head) {
    return (socket, out) -> {
      out.write(head);
      out.flush();
      for (int i = 0; i < 30; i++) {
        out.write('[');
        out.flush();
        if (answered(socket)) {
          break;
        }
        Thread.sleep(100);
      }
      return true;
    };
  }

  /** The head, then {@code body} in chunks of 64 KiB and the last chunk. */
  private static RawHttp.Sender inChunks(byte[] head, byte[] body) {
    return (socket, out) -> {
      out.write(head);
      for (int at = 0; at < body.length; at += 65536) {
        int n = Math.min(65536, body.length - at);
        out.write(ascii(Integer.toHexString(n) + "\r\n"));
        out.write(body, at, n);
        out.write(ascii("\r\n"));
      }
      out.write(ascii("0\r\n\r\n"));
      out.flush();
      return true;
    };
  }

  /** Whether the server has said something already (once it closes, writing fails instead). */
  private static boolean answered(Socket socket) throws IOException {
    return socket.getInputStream().available() > 0;
  }
}
