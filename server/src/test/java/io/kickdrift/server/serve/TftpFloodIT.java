package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServeOnLoopback.EXAMPLE;
import static io.kickdrift.server.serve.ServeOnLoopback.MENU;
import static io.kickdrift.server.serve.ServeOnLoopback.freeTcp;
import static io.kickdrift.server.serve.ServeOnLoopback.freeUdp;
import static io.kickdrift.server.serve.ServeOnLoopback.serveCommand;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.tftp.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, defect 7, against the real {@code serve} with {@code ulimit -n 400}: a burst of 2,000
 * read requests that never acknowledge, from 100 loopback addresses, while tftp-hpa fetches a known
 * machine's menu again and again. The menu must never fail, the burst must be turned away with
 * ERROR packets instead of running the process out of file descriptors, and every transfer must
 * end. Also a 65 KB file name: ERROR 1 and a short log line.
 */
class TftpFloodIT {
  private static final int ADDRESSES = 100;
  private static final int SOCKETS_PER_ADDRESS = 5;
  private static final int REQUESTS_PER_SOCKET = 4; // 100 * 5 * 4 = 2,000

  @TempDir Path dir;
  private Process serve;
  private TftpBurst flood;

  @BeforeAll
  static void requirePeers() {
    Cmd.require("tftp", "tftp-hpa");
    Cmd.require("bash", "bash");
  }

  @AfterEach
  void stopAll() throws Exception {
    if (flood != null) {
      flood.close();
    }
    if (serve != null) {
      serve.destroy();
      if (!serve.waitFor(20, TimeUnit.SECONDS)) {
        serve.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private Path log() {
    return dir.resolve("serve.log");
  }

  private String logText() throws IOException {
    return Files.readString(log(), StandardCharsets.UTF_8);
  }

  private void startServe(int tftpPort, Path root) throws Exception {
    List<String> command =
        serveCommand(
            List.of(),
            EXAMPLE,
            tftpPort,
            freeTcp(),
            dir.resolve("state"),
            "--root",
            root.toString());
    // ulimit -n sets the soft and the hard limit: the JVM cannot raise it again
    serve =
        new ProcessBuilder(
                concat(List.of("bash", "-c", "ulimit -n 400 && exec \"$@\"", "serve"), command))
            .redirectErrorStream(true)
            .redirectOutput(log().toFile())
            .start();
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!logText().contains("http listening on")) {
      assertThat(serve.isAlive()).as("serve exited:%n%s", logText()).isTrue();
      assertThat(System.nanoTime() < until).as("serve did not start:%n%s", logText()).isTrue();
      Thread.sleep(100);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void aBurstOfRequestsNeverLocksOutAKnownMachinesMenu() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    byte[] image = new byte[300 << 10];
    new Random(7).nextBytes(image);
    Files.write(root.resolve("big.img"), image);
    int port = freeUdp();
    startServe(port, root);
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);

    // The valid client: tftp-hpa fetches the menu of web01 (a MAC the inventory lists) in a loop
    // from before the burst until every transfer has ended.
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicLong fetches = new AtomicLong();
    AtomicLong slowest = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread valid =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  Path out = dir.resolve("menu");
                  Files.deleteIfExists(out);
                  long started = System.nanoTime();
                  Cmd.Result r = TftpHpa.get(server, MENU, out);
                  slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
                  fetches.incrementAndGet();
                  String got = Files.exists(out) ? Files.readString(out) : "";
                  if (r.exit() != 0 || !got.contains("DEFAULT install")) {
                    failures.add("exit " + r.exit() + ": " + r.out() + r.err() + got);
                  }
                } catch (IOException | InterruptedException e) {
                  failures.add(e.toString());
                  return;
                }
              }
            },
            "valid tftp client");
    valid.start();
    try {
      while (fetches.get() < 3 && valid.isAlive()) {
        Thread.sleep(20);
      }

      // The burst: 2,000 RRQs for a 300 KB file from 500 sockets on 100 addresses, never ACKed.
      flood = new TftpBurst(ADDRESSES, SOCKETS_PER_ADDRESS);
      flood.send(server, "big.img", REQUESTS_PER_SOCKET);
      long burstEnd = System.nanoTime();

      // A 65 KB name, once, while the server is at its limits.
      try (DatagramChannel c = DatagramChannel.open()) {
        c.bind(new InetSocketAddress("127.0.0.1", 0));
        c.send(ByteBuffer.wrap(RawClient.readRequest("n".repeat(65_000))), server);
        ByteBuffer in = ByteBuffer.allocate(65536);
        c.socket().setSoTimeout(5000);
        c.socket().receive(new java.net.DatagramPacket(in.array(), in.capacity()));
        assertThat(in.getShort(0)).as("opcode ERROR").isEqualTo((short) 5);
        assertThat(in.getShort(2)).as("ERROR 1 file not found").isEqualTo((short) 1);
      }

      // Every transfer ends: the unacknowledged ones give up after their retries (about 31 s).
      long until = burstEnd + Duration.ofSeconds(50).toNanos();
      while (!logText().contains("tftp idle: no transfer active") && System.nanoTime() < until) {
        Thread.sleep(200);
      }
    } finally {
      stop.set(true);
      valid.join(30_000);
    }

    TftpBurst.Tally got = flood.tally();
    int busy = got.busy();
    String log = logText();
    assertThat(failures).as("valid client failures; serve log:%n%s", tail(log)).isEmpty();
    assertThat(fetches.get()).as("menu fetches during the test").isGreaterThan(10);
    assertThat(log).doesNotContain("Too many open files");
    assertThat(log).contains("tftp busy: refused");
    assertThat(log).as("every transfer ended").contains("tftp idle: no transfer active");
    assertThat(got.otherErrors()).as("ERRORs other than busy and timed out").isEmpty();
    long refused =
        log.lines()
            .filter(l -> l.contains("tftp idle: no transfer active; refused "))
            .map(l -> l.replaceAll(".* refused (\\d+) requests? .*", "$1"))
            .mapToLong(Long::parseLong)
            .sum();
    assertThat(busy).as("one ERROR busy for each request refused").isEqualTo(refused);
    assertThat(busy).as("ERROR busy to the burst").isGreaterThan(1000);
    assertThat(got.transfers() + busy).as("requests answered").isLessThanOrEqualTo(2000);
    assertThat(log.lines().mapToInt(String::length).max().orElse(0))
        .as("longest log line (the 65 KB name is logged short)")
        .isLessThan(1000);
    System.out.printf(
        "TftpFloodIT: %d menu fetches, slowest %d ms; burst: %d transfers admitted, %d busy;"
            + " serve's limits: %s%n",
        fetches.get(),
        slowest.get() / 1_000_000,
        got.transfers(),
        busy,
        log.lines().filter(l -> l.contains("tftp limits:")).findFirst().orElse("?"));
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
