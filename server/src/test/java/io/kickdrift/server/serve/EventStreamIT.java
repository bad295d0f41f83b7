package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live event stream against {@code curl -N}: a netboot change through the API arrives as an
 * event, and so does one the {@code kickdrift netboot} command writes from another process; {@code
 * Last-Event-ID} resumes; 200 open streams hold no request thread.
 */
class EventStreamIT {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final String WEB01 = "web01.lab.example.com";
  private static final byte[] ADMIN = new byte[16];
  private static final String BEARER = "Authorization: Bearer " + HexFormat.of().formatHex(ADMIN);

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<Process> curls = new ArrayList<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private HttpFront http;
  private InetSocketAddress at;
  private String base;

  @BeforeAll
  static void requireCurl() {
    Cmd.require("curl", "curl");
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : curls) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  private void start() throws Exception {
    StateStore state = SqliteStateStore.open(dir.resolve("state"));
    running.add(state);
    Provisioner p =
        new Provisioner(
            EXAMPLE,
            (Inventory inv) -> inv,
            new CallbackTokens(new byte[32]),
            new TreeRenderer(new Templates(null)),
            state,
            Clock.systemUTC(),
            log::add);
    p.start();
    running.add(0, p);
    http = new HttpFront(p, Files.createDirectories(dir.resolve("root")), ADMIN, log::add);
    running.add(0, http);
    at = http.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    base = "http://127.0.0.1:" + at.getPort();
  }

  /** {@code curl -N} on the stream; its lines arrive in the queue as curl prints them. */
  private BlockingQueue<String> stream(String query, String... headers) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sSN", "-H", BEARER));
    for (String h : headers) {
      cmd.addAll(List.of("-H", h));
    }
    cmd.add(base + "/api/v1/events/stream" + query);
    Process curl = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    curls.add(curl);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(curl.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                lines.add("(read failed: " + e + ")");
              }
            },
            "curl-reader");
    reader.setDaemon(true);
    reader.start();
    // the stream is open once its first comment has come
    assertThat(next(lines, l -> l.startsWith(":"))).isEqualTo(": kickdrift events");
    return lines;
  }

  /** The next line that {@code wanted} accepts, within 10 s; fails otherwise. */
  private static String next(
      BlockingQueue<String> lines, java.util.function.Predicate<String> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      if (wanted.test(line)) {
        return line;
      }
      seen.add(line);
    }
    throw new AssertionError("no such line within 10 s; saw " + seen);
  }

  private int netboot(boolean enabled) throws Exception {
    Cmd.Result r =
        Cmd.run(
            List.of(
                "curl",
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                BEARER,
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"enabled\": " + enabled + "}",
                base + "/api/v1/hosts/" + WEB01 + "/netboot"));
    return Integer.parseInt(r.out().strip());
  }

  @Test
  void aNetbootChangeArrivesLiveAndAReconnectResumes() throws Exception {
    start();
    BlockingQueue<String> web01 = stream("?host=" + WEB01);
    BlockingQueue<String> all = stream("");
    assertThat(netboot(false)).isEqualTo(200);
    String id = next(web01, l -> l.startsWith("id: "));
    String data = next(web01, l -> l.startsWith("data: "));
    assertThat(data)
        .contains("\"host\":\"" + WEB01 + "\"", "\"kind\":\"netboot-disabled\"")
        .contains("admin-token (admin-token) from 127.0.0.1");
    assertThat(next(all, l -> l.startsWith("data: "))).contains("netboot-disabled");

    // another process writes the same database: kickdrift netboot enable
    Cmd.Result on =
        Cmd.run(
            Cmd.javaJar(
                List.of(),
                "target/kickdrift.jar",
                "netboot",
                "enable",
                WEB01,
                "--inventory",
                EXAMPLE.toString()),
            Map.of("KICKDRIFT_STATE_DIR", dir.resolve("state").toString()));
    assertThat(on.exit()).as(on.err()).isZero();
    String enabledId = next(web01, l -> l.startsWith("id: "));
    assertThat(next(web01, l -> l.startsWith("data: "))).contains("netboot-enabled");

    // a reconnect with the first event's id gets what came after it, and nothing before
    BlockingQueue<String> resumed = stream("?host=" + WEB01, "Last-Event-ID: " + id.substring(4));
    assertThat(next(resumed, l -> l.startsWith("id: "))).isEqualTo(enabledId);
    assertThat(next(resumed, l -> l.startsWith("data: "))).contains("netboot-enabled");
    assertThat(netboot(false)).isEqualTo(200);
    assertThat(next(resumed, l -> l.startsWith("data: "))).contains("netboot-disabled");
    assertThat(log).noneMatch(l -> l.contains("event streams:"));
  }

  @Test
  void twoHundredOpenStreamsHoldNoRequestThread() throws Exception {
    start();
    HttpFront.Stats rest = http.stats();
    long heapBefore = heapUsed();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket("127.0.0.1", at.getPort());
        s.setSoTimeout(10_000);
        s.getOutputStream()
            .write(
                ("GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\n" + BEARER + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        sockets.add(s);
      }
      for (Socket s : sockets) {
        BufferedReader r =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("HTTP/1.1 200 OK");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (http.streams() < 200 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(http.streams()).isEqualTo(200);
      HttpFront.Stats open = http.stats();
      long heap = heapUsed() - heapBefore;
      System.out.printf("200 open event streams: %d KiB more heap in use%n", heap / 1024);
      // the bound is 100 MB for 100 streams; this is twice the streams
      assertThat(heap).as("heap the streams take, bytes").isLessThan(100L << 20);
      System.out.printf(
          "200 open event streams: pool at rest %s, with the streams %s%n", rest, open);
      assertThat(open.connections()).isEqualTo(200);
      assertThat(open.busy())
          .as("busy threads with 200 streams (at rest %s)", rest)
          .isLessThan(rest.busy() + 8);

      // and the server still answers, and a change reaches a stream
      BlockingQueue<String> one = stream("?host=" + WEB01);
      assertThat(netboot(false)).isEqualTo(200);
      assertThat(next(one, l -> l.startsWith("data: "))).contains("netboot-disabled");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    // gone clients are dropped at the latest with the next heartbeat (a failed write)
  }

  /** Heap in use after a collection (the JVM may not collect at once: three tries). */
  private static long heapUsed() {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return r.totalMemory() - r.freeMemory();
  }

  @Test
  void aQuietStreamOutlivesTheConnectionsIdleTimeout() throws Exception {
    start();
    BlockingQueue<String> quiet = stream("?host=" + WEB01);
    long idle = HttpFront.Limits.defaults().idleTimeout().toMillis();
    // two heartbeats come while nothing happens, and the stream is still open after the timeout
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(idle + 5_000);
    int pings = 0;
    while (System.nanoTime() < deadline) {
      String line = quiet.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (": ping".equals(line)) {
        pings++;
      }
      if (line != null) {
        assertThat(line).as("the stream ended").doesNotStartWith("curl:");
      }
    }
    assertThat(pings).isGreaterThanOrEqualTo(2);
    assertThat(netboot(false)).isEqualTo(200);
    assertThat(next(quiet, l -> l.startsWith("data: "))).contains("netboot-disabled");
  }
}
