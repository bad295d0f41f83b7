package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServeOnLoopback.EXAMPLE;
import static io.kickdrift.server.serve.ServeOnLoopback.MENU;
import static io.kickdrift.server.serve.ServeOnLoopback.WEB01;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.state.Event;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve under hostile load, on loopback: a flood of refused callbacks and menu requests leaves the
 * database small while a real install still works; a TFTP menu answers promptly while a big
 * inventory is reloaded. TFTP through {@code curl tftp://}, HTTP through curl and Java's client.
 */
class ServeUnderLoadIT {

  @TempDir Path dir;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void requireCurl() {
    Cmd.require("curl", "curl");
  }

  private Serve serve(Path inventory) throws Exception {
    return ServeOnLoopback.start(inventory, dir.resolve("state"), dir.resolve("root"), log::add);
  }

  /** A copy of the example inventory with {@code from} replaced by {@code to}. */
  private Path inventory(String from, String to) throws IOException {
    String text = Files.readString(EXAMPLE);
    assertThat(text).contains(from);
    return Files.writeString(dir.resolve("inventory.yaml"), text.replace(from, to));
  }

  private String tftpMenu(Serve serve) throws Exception {
    Path out = dir.resolve("menu-" + System.nanoTime());
    String url = "tftp://127.0.0.1:" + serve.tftpAddress().getPort() + "/" + MENU;
    Cmd.Result r = Cmd.run(List.of("curl", "-sS", "--max-time", "30", "-o", out.toString(), url));
    assertThat(r.exit()).as("curl %s: %s", url, r.err()).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String curlStatus(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd).out();
  }

  private long databaseBytes() throws IOException {
    return ServeOnLoopback.databaseBytes(dir.resolve("state"));
  }

  @Test
  void aFloodOfRefusedCallbacksAndMenusLeavesTheDatabaseSmallAndAValidInstallWorks()
      throws Exception {
    // web01 installs from 127.0.0.2; the flood comes from 127.0.0.1
    Path inventory = ServeOnLoopback.exampleWithWeb01At127002(dir.resolve("inventory.yaml"));
    Serve serve = serve(inventory);
    String base = "http://127.0.0.1:" + serve.httpAddress().getPort();
    long before = databaseBytes();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    List<String> retryAfter = Collections.synchronizedList(new ArrayList<>());
    Duration took;
    try {
      HttpClient client = HttpClient.newHttpClient();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      Instant start = Instant.now();
      try {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
          // a long path, as the probe that grew the database to 17.7 MB used
          URI callback =
              URI.create(
                  base + "/callback/" + WEB01 + "x".repeat(500) + "/" + String.format("%032x", i));
          URI menu = URI.create(base + "/" + MENU);
          sent.add(
              pool.submit(
                  () -> {
                    HttpResponse<String> r =
                        client.send(
                            HttpRequest.newBuilder(callback).POST(BodyPublishers.noBody()).build(),
                            BodyHandlers.ofString());
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    r.headers().firstValue("Retry-After").ifPresent(retryAfter::add);
                    HttpResponse<String> m =
                        client.send(HttpRequest.newBuilder(menu).build(), BodyHandlers.ofString());
                    statuses.merge(1000 + m.statusCode(), 1, Integer::sum);
                    return null;
                  }));
        }
        for (Future<?> f : sent) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      took = Duration.between(start, Instant.now());
      System.out.printf(
          "ServeUnderLoadIT: 3000 refused callbacks + 3000 menus in %d ms, statuses %s%n",
          took.toMillis(), statuses);

      // the installer, from its own address, still gets its kickstart and calls back
      String token = MenuToken.in(WEB01, tftpMenu(serve));
      assertThat(curlStatus("--interface", "127.0.0.2", base + "/ks/" + WEB01 + "/" + token))
          .isEqualTo("200");
      assertThat(
              curlStatus(
                  "--interface",
                  "127.0.0.2",
                  "-X",
                  "POST",
                  base + "/callback/" + WEB01 + "/" + token))
          .isEqualTo("200");
      assertThat(tftpMenu(serve)).contains("DEFAULT local");
    } finally {
      serve.close(); // as SIGTERM does: the pending summaries are written
    }
    long after = databaseBytes();
    System.out.printf("ServeUnderLoadIT: database %d -> %d bytes%n", before, after);
    // 3,000 refusals stored one by one took 17.7 MB; five and a summary take a few pages
    assertThat(after).as("the database and its log").isLessThan(256 * 1024);
    assertThat(took).as("a few seconds").isLessThan(Duration.ofSeconds(60));
    assertThat(statuses.get(1200)).as("every menu served").isEqualTo(3000);
    assertThat(statuses.getOrDefault(429, 0)).as("throttled").isGreaterThan(2900);
    assertThat(statuses.getOrDefault(404, 0) + statuses.getOrDefault(429, 0)).isEqualTo(3000);
    assertThat(retryAfter)
        .isNotEmpty()
        .allMatch(v -> Integer.parseInt(v) > 0 && Integer.parseInt(v) <= 61);

    try (StateStore state = SqliteStateStore.open(dir.resolve("state"))) {
      List<Event> events = state.events(null, 1000);
      assertThat(events).hasSizeLessThan(40);
      assertThat(events)
          .filteredOn(e -> e.kind().equals("callback-refused"))
          .hasSize(5)
          .allMatch(e -> e.detail().startsWith("unknown host " + WEB01 + "xxx"))
          .allMatch(e -> e.detail().length() <= 500);
      assertThat(events)
          .filteredOn(e -> e.kind().equals("refused-summary"))
          .singleElement()
          .extracting(Event::detail)
          .asString()
          .matches(
              "refusals from 127\\.0\\.0\\.1: 2995 more not recorded one by one"
                  + " \\(callback-refused 2995\\), 29\\d\\d of them throttled with 429,"
                  + " between .*");
      String menu = "pxelinux install for 52:54:00:12:34:01 to http 127.0.0.1";
      assertThat(events)
          .filteredOn(e -> e.kind().equals("boot-menu") && e.detail().contains("to http"))
          .extracting(Event::detail)
          .hasSize(2)
          .contains(menu)
          .anyMatch(d -> d.startsWith(menu + ": 2999 more times, between "));
      assertThat(events).anyMatch(e -> e.kind().equals("installed"));
    }
  }

  @Test
  void aTftpMenuAnswersWithinASecondWhileABigInventoryIsReloaded() throws Exception {
    Path inventory = inventory("timezone: UTC", "timezone: UTC");
    try (Serve serve = serve(inventory)) {
      assertThat(tftpMenu(serve)).contains("DEFAULT install");

      // 20,000 more hosts: seconds to load on this machine
      StringBuilder big = new StringBuilder(Files.readString(inventory).stripTrailing());
      big.append('\n');
      for (int i = 0; i < 20_000; i++) {
        big.append("  - name: gen")
            .append(i)
            .append(".lab.example.com\n    profile: web-rocky9\n    interfaces:\n")
            .append(
                String.format(
                    "      - {name: eth0, mac: \"52:54:01:%02x:%02x:%02x\"}%n",
                    i >> 16, (i >> 8) & 255, i & 255));
      }
      Path next = Files.writeString(dir.resolve("inventory.next"), big);
      Files.move(next, inventory, StandardCopyOption.ATOMIC_MOVE);
      Instant swapped = Instant.now();

      List<Duration> during = new ArrayList<>();
      Duration longest = Duration.ZERO;
      Instant deadline = swapped.plus(Duration.ofMinutes(2));
      while (!reloaded()) {
        assertThat(Instant.now()).as("reloaded in 2 min:%n%s", log).isBefore(deadline);
        Instant asked = Instant.now();
        assertThat(tftpMenu(serve)).contains("DEFAULT install");
        Duration took = Duration.between(asked, Instant.now());
        longest = took.compareTo(longest) > 0 ? took : longest;
        if (!reloaded()) {
          during.add(took);
        }
      }
      Duration reload = Duration.between(swapped, Instant.now());
      System.out.printf(
          "ServeUnderLoadIT: %d TFTP menu fetches during a %d ms reload, the longest %d ms%n",
          during.size(), reload.toMillis(), longest.toMillis());
      // A request that waited for the reload would take about the whole reload (6.6 s before the
      // fix); one served from the last good inventory takes a few of the CPU's time slices while
      // the reload competes for both cores. The bound is a third of the reload, between 1 and
      // 2 s, so it tells the two apart without failing on a loaded machine's scheduling.
      long bound = Math.min(2000, Math.max(1000, reload.toMillis() / 3));
      assertThat(longest)
          .as("the slowest TFTP menu fetch during a %d ms reload", reload.toMillis())
          .isLessThan(Duration.ofMillis(bound));
      assertThat(during).as("menu fetches while the reload ran").hasSizeGreaterThan(2);
    }
  }

  private boolean reloaded() {
    synchronized (log) {
      return log.stream().anyMatch(l -> l.contains("reloaded: 20003 hosts"));
    }
  }
}
