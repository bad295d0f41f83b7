package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile bodies and headers against every route of the route table (so a route added later is
 * probed too), over raw sockets, many at once, while a valid client keeps asking for the host list:
 * no 5xx, no hang, no exception text, the valid client always answered promptly, and afterwards the
 * thread pool back at rest and every connection gone.
 */
class HttpHostileIT {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final String WEB01 = "web01.lab.example.com";
  private static final byte[] ADMIN = new byte[16];
  private static final String AUTH = "Authorization: Bearer " + HexFormat.of().formatHex(ADMIN);
  private static final int ROUNDS = 6;

  /** Short bounds so the test is quick; the defaults only differ in how long a client may wait. */
  private static final HttpFront.Limits LIMITS =
      new HttpFront.Limits(64, 16 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(2), 8 * 1024);

  /** No exchange may take longer than this without a byte: the bounds above plus slack. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(8);

  /** The valid client's answers must come within this, during the storm and after it. */
  private static final Duration PROMPT = Duration.ofSeconds(3);

  @TempDir Path dir;
  private StateStore state;
  private HttpFront http;
  private InetSocketAddress at;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    state = SqliteStateStore.open(dir.resolve("state"));
    Path root = Files.createDirectories(dir.resolve("root/images"));
    Files.write(root.resolve("vmlinuz"), new byte[4096]);
    Provisioner provisioner =
        new Provisioner(
            EXAMPLE,
            (Inventory inv) -> inv,
            new CallbackTokens(new byte[32]),
            new TreeRenderer(new Templates(null)),
            state,
            Clock.systemUTC(),
            log::add);
    http = new HttpFront(provisioner, dir.resolve("root"), ADMIN, LIMITS, log::add);
    at = http.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    state.close();
  }

  /** A request line and the headers every hostile request carries (the admin token among them). */
  private record Target(String method, String path) {
    String head(String... headers) {
      StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\n");
      for (String h : headers) {
        head.append(h).append("\r\n");
      }
      return head.append("\r\n").toString();
    }
  }

  /** One hostile request: its name, whether it may end without an answer, how it is sent. */
  private record Hostile(String name, boolean mayGoUnanswered, RawHttp.Sender sender) {}

  private static Target target(Route route) {
    String path =
        route
            .pattern()
            .replace("{host}", WEB01)
            .replace("{token}", "0".repeat(32))
            .replace("**", "images/vmlinuz");
    return new Target(route.method().equals("*") ? "POST" : route.method(), path);
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static RawHttp.Sender whole(byte[]... parts) {
    return (socket, out) -> {
      for (byte[] part : parts) {
        out.write(part);
      }
      out.flush();
      return true;
    };
  }

  private static RawHttp.Sender withBody(Target t, String type, byte[] body) {
    return whole(
        ascii(t.head(AUTH, "Content-Type: " + type, "Content-Length: " + body.length)), body);
  }

  /** Hostile bodies and headers for one route; the 10 MB ones in round 0 only. */
  private static List<Hostile> hostile(Target t, int round) {
    String json = "Content-Type: application/json";
    List<Hostile> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) { // where the first bad byte falls varies: many bodies
      byte[] body = random(100_000, round * 10 + i);
      all.add(new Hostile("random 100 KB #" + i, false, withBody(t, "application/json", body)));
      // as curl sends: the body a moment after the headers, so the server waits for it
      all.add(
          new Hostile(
              "random 100 KB after a pause #" + i,
              false,
              (socket, out) -> {
                out.write(ascii(t.head(AUTH, json, "Content-Length: " + body.length)));
                out.flush();
                Thread.sleep(20);
                out.write(body);
                out.flush();
                return true;
              }));
    }
    all.add(
        new Hostile("random 2 KB", false, withBody(t, "application/json", random(2_000, round))));
    all.add(
        new Hostile(
            "invalid UTF-8",
            false,
            withBody(t, "application/json", ascii("{\"enabled\": \"\u00c3\u0028\"}"))));
    all.add(
        new Hostile(
            "overlong UTF-8 and a lone surrogate",
            false,
            withBody(
                t,
                "application/json",
                ascii("{\"enabled\": \"\u00c0\u00af\u00ed\u00a0\u0080\"}"))));
    all.add(
        new Hostile(
            "nested 10,000 deep",
            false,
            withBody(t, "application/json", ascii("[".repeat(10_000)))));
    all.add(
        new Hostile("text/plain", false, withBody(t, "text/plain", ascii("{\"enabled\": true}"))));
    all.add(
        new Hostile(
            "multipart, bad boundary",
            false,
            withBody(t, "multipart/form-data; boundary=", random(3_000, round))));
    all.add(
        new Hostile(
            "form, bad escapes",
            false,
            withBody(t, "application/x-www-form-urlencoded", ascii("a=%zz&b=\u00ff%&=="))));
    all.add(
        new Hostile(
            "JSON in latin1",
            false,
            withBody(t, "application/json; charset=latin1", ascii("{\"enabled\": true}"))));
    all.add(
        new Hostile(
            "two content types",
            false,
            whole(
                ascii(t.head(AUTH, json, "Content-Type: text/plain", "Content-Length: 17")),
                ascii("{\"enabled\": true}"))));
    all.add(
        new Hostile(
            "shorter than its length, then half-closed",
            false,
            (socket, out) -> {
              out.write(ascii(t.head(AUTH, json, "Content-Length: 5000")));
              out.write(ascii("{\"enabled\": tr"));
              out.flush();
              socket.shutdownOutput();
              return true;
            }));
    all.add(
        new Hostile(
            "shorter than its length, then gone",
            true,
            (socket, out) -> {
              out.write(ascii(t.head(AUTH, json, "Content-Length: 5000")));
              out.write(random(100, round));
              out.flush();
              return false;
            }));
    all.add(
        new Hostile(
            "shorter than its length, then silent",
            false,
            whole(ascii(t.head(AUTH, json, "Content-Length: 5000")), random(100, round))));
    all.add(
        new Hostile(
            "dripped a byte at a time",
            false,
            (socket, out) -> {
              out.write(ascii(t.head(AUTH, json, "Content-Length: 200")));
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
            }));
    all.add(
        new Hostile(
            "chunk size not hex",
            false,
            whole(
                ascii(t.head(AUTH, json, "Transfer-Encoding: chunked")), ascii("zz\r\nabc\r\n"))));
    all.add(
        new Hostile(
            "negative chunk size",
            false,
            whole(
                ascii(t.head(AUTH, json, "Transfer-Encoding: chunked")), ascii("-5\r\nabc\r\n"))));
    all.add(
        new Hostile(
            "chunk longer than sent, then half-closed",
            false,
            (socket, out) -> {
              out.write(ascii(t.head(AUTH, json, "Transfer-Encoding: chunked")));
              out.write(ascii("1000\r\n{\"enabled\""));
              out.flush();
              socket.shutdownOutput();
              return true;
            }));
    all.add(
        new Hostile(
            "chunk without its CRLF",
            false,
            whole(
                ascii(t.head(AUTH, json, "Transfer-Encoding: chunked")),
                ascii("3\r\nabcdef\r\n0\r\n\r\n"))));
    all.add(
        new Hostile(
            "chunked and a length",
            false,
            whole(
                ascii(t.head(AUTH, json, "Transfer-Encoding: chunked", "Content-Length: 3")),
                ascii("3\r\nabc\r\n0\r\n\r\n"))));
    // headers
    all.add(
        new Hostile(
            "a 100 KB header", false, whole(ascii(t.head(AUTH, "X-Big: " + "a".repeat(100_000))))));
    all.add(
        new Hostile(
            "3,000 headers",
            false,
            whole(ascii(t.head(AUTH, "X-A: b\r\n".repeat(3_000).strip())))));
    all.add(new Hostile("NUL in a header name", false, whole(ascii(t.head(AUTH, "X-\0A: b")))));
    all.add(
        new Hostile(
            "control bytes in a header value",
            false,
            whole(ascii(t.head(AUTH, "X-A: b\u0001\u007f")))));
    all.add(
        new Hostile(
            "two Authorization headers",
            false,
            whole(ascii(t.head(AUTH, "Authorization: Bearer 00", json, "Content-Length: 0")))));
    all.add(
        new Hostile(
            "non-ASCII in Authorization",
            false,
            whole(ascii(t.head("Authorization: Bearer \u00ff\u00fe\u0080", "Content-Length: 0")))));
    all.add(
        new Hostile(
            "a length of 10^23",
            false,
            whole(ascii(t.head(AUTH, json, "Content-Length: 99999999999999999999999")))));
    all.add(
        new Hostile(
            "a negative length", false, whole(ascii(t.head(AUTH, json, "Content-Length: -1")))));
    all.add(
        new Hostile(
            "a terabyte announced",
            false,
            whole(ascii(t.head(AUTH, json, "Content-Length: 1000000000000")), ascii("{"))));
    all.add(
        new Hostile(
            "two lengths",
            false,
            whole(
                ascii(t.head(AUTH, json, "Content-Length: 3", "Content-Length: 4")),
                ascii("abcd"))));
    all.add(
        new Hostile(
            "a 100 KB query",
            false,
            whole(ascii(new Target(t.method(), t.path() + "?" + "a".repeat(100_000)).head(AUTH)))));
    all.add(
        new Hostile(
            "raw bytes in the path",
            false,
            whole(ascii(new Target(t.method(), t.path() + "\u00ff\u0080").head(AUTH)))));
    if (round == 0) {
      byte[] tenMegabytes = random(10 << 20, round);
      all.add(
          new Hostile("10 MB with a length", true, withBody(t, "application/json", tenMegabytes)));
      all.add(
          new Hostile(
              "10 MB chunked",
              true,
              (socket, out) -> {
                out.write(ascii(t.head(AUTH, json, "Transfer-Encoding: chunked")));
                for (int at = 0; at < tenMegabytes.length; at += 65536) {
                  out.write(ascii("10000\r\n"));
                  out.write(tenMegabytes, at, 65536);
                  out.write(ascii("\r\n"));
                }
                out.write(ascii("0\r\n\r\n"));
                out.flush();
                return true;
              }));
    }
    return all;
  }

  /** Whether the server has said something already (once it closes, writing fails instead). */
  private static boolean answered(Socket socket) throws IOException {
    return socket.getInputStream().available() > 0;
  }

  /** A valid API read, timed. */
  private RawHttp.Outcome valid() throws InterruptedException {
    return RawHttp.exchange(
        at,
        whole(ascii(new Target("GET", "/api/v1/hosts").head(AUTH, "Connection: close"))),
        CLIENT_TIMEOUT);
  }

  @Test
  void hostileBodiesAndHeadersOnEveryRouteLeaveThePoolIntact() throws Exception {
    List<Route> routes = http.routes();
    assertThat(routes).extracting(Route::pattern).contains("/api/v1/hosts/{host}/netboot", "/**");
    assertThat(valid().status()).isEqualTo(200);
    HttpFront.Stats rest = settle(Integer.MAX_VALUE); // no connection open: the pool at rest

    List<RawHttp.Outcome> probes = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean storming = new AtomicBoolean(true);
    Thread prober =
        new Thread(
            () -> {
              try {
                while (storming.get()) {
                  probes.add(valid());
                  Thread.sleep(50);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "valid-client");
    prober.start();

    ExecutorService clients = Executors.newFixedThreadPool(16);
    Map<String, List<RawHttp.Outcome>> outcomes = new TreeMap<>();
    List<String> names = new ArrayList<>();
    List<Hostile> kinds = new ArrayList<>();
    List<Future<RawHttp.Outcome>> futures = new ArrayList<>();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        for (Route route : routes) {
          Target t = target(route);
          for (Hostile h : hostile(t, round)) {
            names.add(t.method() + " " + route.pattern() + ": " + h.name());
            kinds.add(h);
            futures.add(clients.submit(() -> RawHttp.exchange(at, h.sender(), CLIENT_TIMEOUT)));
          }
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        outcomes
            .computeIfAbsent(names.get(i), k -> new ArrayList<>())
            .add(futures.get(i).get(2, TimeUnit.MINUTES));
      }
    } finally {
      clients.shutdownNow();
      storming.set(false);
      prober.join();
    }
    List<RawHttp.Outcome> during = List.copyOf(probes);

    assertThat(futures.size()).as("hostile requests sent").isGreaterThanOrEqualTo(1000);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      RawHttp.Outcome o = futures.get(i).get();
      boolean answered =
          o.status() >= 400 && o.status() < 500 || o.status() >= 200 && o.status() < 300;
      boolean fine =
          answered
              || kinds.get(i).mayGoUnanswered()
                  && o.status() < 0
                  && o.status() != RawHttp.TIMED_OUT;
      if (!fine || o.text().contains("Exception") || o.text().contains("java.")) {
        wrong.add(
            names.get(i)
                + " -> "
                + o.status()
                + " in "
                + o.took().toMillis()
                + " ms: "
                + o.text().lines().findFirst().orElse(""));
      }
    }
    assertThat(wrong).as("answers that are not a 2xx or 4xx (of %d)", futures.size()).isEmpty();

    assertThat(during).as("valid requests during the storm").hasSizeGreaterThan(5);
    assertThat(during)
        .as("valid requests during the storm")
        .allSatisfy(
            o -> {
              assertThat(o.status()).isEqualTo(200);
              assertThat(o.took()).isLessThan(PROMPT);
            });

    HttpFront.Stats after = settle(rest.busy());
    assertThat(after.busy())
        .as("busy threads after the storm (at rest: %s)", rest)
        .isLessThanOrEqualTo(rest.busy());
    assertThat(after.connections()).as("open connections after the storm").isZero();
    for (int i = 0; i < 5; i++) {
      RawHttp.Outcome o = valid();
      assertThat(o.status()).isEqualTo(200);
      assertThat(o.took()).isLessThan(PROMPT);
    }
    System.out.printf(
        "%d hostile requests; valid client: %d answers during, slowest %d ms; pool at rest %s, after %s%n",
        futures.size(),
        during.size(),
        during.stream().mapToLong(o -> o.took().toMillis()).max().orElse(0),
        rest,
        after);
  }

  /**
   * Waits (at most 15 s) until no more than {@code busy} threads are busy and no connection is
   * open.
   */
  private HttpFront.Stats settle(int busy) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    HttpFront.Stats now = http.stats();
    while ((now.busy() > busy || now.connections() > 0) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      now = http.stats();
    }
    return now;
  }
}
