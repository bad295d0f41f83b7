package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
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

  /** A valid API read, timed. */
  private RawHttp.Outcome valid() throws InterruptedException {
    return RawHttp.exchange(
        at,
        HostileRequests.whole(
            HostileRequests.ascii(
                new HostileRequests.Target("GET", "/api/v1/hosts")
                    .head(AUTH, "Connection: close"))),
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

    HostileRequests hostile = new HostileRequests(AUTH, WEB01, "images/vmlinuz");
    HostileRequests.Result storm;
    try {
      storm = HostileRequests.storm(at, hostile.forRoutes(routes, 0, ROUNDS), 16, CLIENT_TIMEOUT);
    } finally {
      storming.set(false);
      prober.join();
    }
    List<RawHttp.Outcome> during = List.copyOf(probes);

    assertThat(storm.sent()).as("hostile requests sent").isGreaterThanOrEqualTo(1000);
    assertThat(storm.wrong())
        .as("answers that are not a 2xx or 4xx (of %d)", storm.sent())
        .isEmpty();
    assertThat(storm.resent())
        .as("requests whose connection closed without a byte (of %d)", storm.sent())
        .hasSizeLessThanOrEqualTo(HostileRequests.RESENDS_ALLOWED);

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
        "%d hostile requests (%d sent again: %s); valid client: %d answers during, slowest %d ms;"
            + " pool at rest %s, after %s%n",
        storm.sent(),
        storm.resent().size(),
        storm.resent(),
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
