package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServeOnLoopback.EXAMPLE;
import static io.kickdrift.server.serve.ServeOnLoopback.MENU;
import static io.kickdrift.server.serve.ServeOnLoopback.WEB01;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator runs serve with, against the jar and real peers: JSON log lines read by jq,
 * levels per component, {@code /metrics} checked by promtool and counted exactly, the health
 * routes, and the inventory re-read on SIGHUP ({@code kill -HUP}) and {@code POST /api/v1/reload}
 * without dropping a TFTP transfer in flight.
 */
class OperateIT {
  private static final Pattern HTTP_AT =
      Pattern.compile("http listening on http://127.0.0.1:(\\d+)/");
  private static final Pattern TFTP_AT = Pattern.compile("tftp listening on udp 127.0.0.1:(\\d+)");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();
  private Path log;
  private int httpPort;
  private int tftpPort;

  @BeforeAll
  static void requirePeers() {
    Cmd.requireAll("curl=curl", "jq=jq", "promtool=prometheus", "tftp=tftp-hpa");
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts serve on 127.0.0.1, ports chosen by the kernel and read back from its log. */
  private Process serve(String name, Path inventory, String... more) throws Exception {
    log = dir.resolve(name + ".log");
    Process p =
        new ProcessBuilder(
                ServeOnLoopback.serveCommand(
                    List.of(), inventory, 0, 0, dir.resolve(name + "-state"), more))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(p);
    await("serve started", () -> read(log).contains("state in "), p);
    Matcher h = HTTP_AT.matcher(read(log));
    Matcher t = TFTP_AT.matcher(read(log));
    assertThat(h.find() && t.find()).as("listening lines in%n%s", read(log)).isTrue();
    httpPort = Integer.parseInt(h.group(1));
    tftpPort = Integer.parseInt(t.group(1));
    return p;
  }

  private void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM: the shutdown hook logs "stopped"
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private String adminToken(String name) throws IOException {
    return Files.readString(dir.resolve(name + "-state").resolve("admin.token")).strip();
  }

  private String tftpGet(String file) throws Exception {
    Path out = dir.resolve("tftp-" + System.nanoTime());
    Cmd.Result r = TftpHpa.get(new InetSocketAddress("127.0.0.1", tftpPort), file, out);
    assertThat(r.exit()).as("tftp: %s%s", r.out(), r.err()).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** curl's status code and body, as {@code CODE\nBODY}. */
  private String curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-w", "%{http_code}"));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd);
    assertThat(r.exit()).as("curl: %s", r.err()).isZero();
    String out = r.out();
    return out.substring(out.length() - 3) + "\n" + out.substring(0, out.length() - 3);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  private String scrape(String token) throws Exception {
    String answer = curl("-H", "Authorization: Bearer " + token, url("/metrics"));
    assertThat(answer).startsWith("200\n");
    return answer.substring(4);
  }

  /** The sum of the samples of {@code name} whose labels include every one of {@code labels}. */
  private static double sample(String scrape, String name, String... labels) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private void await(String what, BooleanSupplier done, Process serve) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!done.getAsBoolean()) {
      assertThat(serve.isAlive())
          .as("serve exited while waiting for %s:%n%s", what, read(log))
          .isTrue();
      assertThat(Instant.now()).as("%s, log:%n%s", what, read(log)).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static Cmd.Result shell(String script) throws Exception {
    return Cmd.run(List.of("bash", "-c", script));
  }

  @Test
  void jsonLinesParseWithJqAndLevelsAreSetPerComponent() throws Exception {
    Process p = serve("tftp-debug", EXAMPLE, "--log-format", "json", "--log-level", "tftp=debug");
    assertThat(tftpGet(MENU)).contains("DEFAULT install");
    assertThat(curl("-o", "/dev/null", url("/pxelinux.cfg/default"))).startsWith("200");
    stop(p);
    Path first = log;

    // every line one JSON object with the fields a collector keys on
    long lines = Files.readAllLines(first).size();
    Cmd.Result all =
        Cmd.run(
            List.of(
                "jq",
                "-e",
                "-s",
                "length == "
                    + lines
                    + " and all(.[]; type == \"object\" and (.time | test(\"^[0-9-]+T[0-9:.]+Z$\"))"
                    + " and (.level | type == \"string\") and (.component | type == \"string\")"
                    + " and (.logger | type == \"string\") and (.message | type == \"string\"))",
                first.toString()));
    assertThat(all.exit()).as("jq: %s%s%n%s", all.out(), all.err(), read(first)).isZero();

    // the transfer's line carries its peer and path as fields
    Cmd.Result tftp =
        Cmd.run(
            List.of(
                "jq",
                "-r",
                "select(.component == \"tftp\" and .level == \"INFO\" and .path != null)"
                    + " | .peer + \" \" + .path",
                first.toString()));
    assertThat(tftp.out()).containsPattern("127\\.0\\.0\\.1:\\d+ " + Pattern.quote(MENU));
    Cmd.Result http =
        Cmd.run(
            List.of(
                "jq",
                "-r",
                "select(.component == \"http\" and .status == \"200\") | .peer + \" \" + .path",
                first.toString()));
    assertThat(http.out()).contains("127.0.0.1 /pxelinux.cfg/default");
    assertThat(debugComponents(first)).containsExactly("tftp");

    Process q = serve("http-debug", EXAMPLE, "--log-format", "json", "--log-level", "http=debug");
    assertThat(tftpGet(MENU)).contains("DEFAULT install");
    assertThat(curl("-o", "/dev/null", url("/pxelinux.cfg/default"))).startsWith("200");
    stop(q);
    assertThat(debugComponents(log)).containsExactly("http");
  }

  /** The components that wrote DEBUG lines, each once. */
  private static List<String> debugComponents(Path jsonLog) throws Exception {
    Cmd.Result r =
        Cmd.run(
            List.of(
                "jq",
                "-r",
                "-s",
                "map(select(.level == \"DEBUG\") | .component) | unique | .[]",
                jsonLog.toString()));
    assertThat(r.exit()).as("jq: %s", r.err()).isZero();
    return r.out().lines().toList();
  }

  @Test
  void metricsNeedTheAdminTokenPassPromtoolAndCountEachRequest() throws Exception {
    Process p = serve("metrics", EXAMPLE);
    String token = adminToken("metrics");
    assertThat(curl("-o", "/dev/null", url("/metrics"))).isEqualTo("401\n");
    assertThat(curl("-H", "Authorization: Bearer " + "0".repeat(32), url("/metrics")))
        .startsWith("401\n")
        .doesNotContain("kickdrift_");
    assertThat(curl(url("/healthz"))).isEqualTo("200\nok\n");
    assertThat(curl(url("/readyz"))).isEqualTo("200\nok\n");

    String before = scrape(token);
    int menuBytes = 0;
    for (int i = 0; i < 3; i++) {
      menuBytes += tftpGet(MENU).getBytes(StandardCharsets.UTF_8).length;
    }
    for (int i = 0; i < 2; i++) {
      assertThat(curl("-o", "/dev/null", url("/ks/" + WEB01 + "/" + "f".repeat(32))))
          .isEqualTo("404\n");
    }
    String after = scrape(token);
    Path file = Files.writeString(dir.resolve("scrape.txt"), after);
    Cmd.Result check = shell("promtool check metrics < " + file);
    assertThat(check.exit()).as("promtool: %s%s", check.out(), check.err()).isZero();

    String completed = "outcome=\"completed\"";
    assertThat(
            sample(after, "kickdrift_tftp_transfers_total", completed)
                - sample(before, "kickdrift_tftp_transfers_total", completed))
        .isEqualTo(3);
    assertThat(
            sample(after, "kickdrift_tftp_transfer_duration_seconds_count", completed)
                - sample(before, "kickdrift_tftp_transfer_duration_seconds_count", completed))
        .isEqualTo(3);
    assertThat(
            sample(after, "kickdrift_tftp_sent_bytes_total")
                - sample(before, "kickdrift_tftp_sent_bytes_total"))
        .isEqualTo(menuBytes);
    String ks = "route=\"/ks/{host}/{token}\"";
    assertThat(
            sample(after, "kickdrift_http_requests_seconds_count", ks)
                - sample(before, "kickdrift_http_requests_seconds_count", ks))
        .isEqualTo(2);
    assertThat(sample(after, "kickdrift_http_requests_seconds_count", ks, "status=\"404\""))
        .isEqualTo(2);
    assertThat(sample(after, "kickdrift_render_duration_seconds_count", "what=\"menu\""))
        .isEqualTo(3);
    // no host name, MAC or path is a label value
    assertThat(after).doesNotContain(WEB01).doesNotContain("52:54:00").doesNotContain("pxelinux");
    stop(p);
  }

  @Test
  void sighupRereadsTheInventoryAtOnceWhileATransferGoesOn() throws Exception {
    Path inventory = Files.copy(EXAMPLE, dir.resolve("inventory.yaml"));
    Path root = Files.createDirectories(dir.resolve("reload-state").resolve("root"));
    byte[] big = new byte[24 << 20];
    new Random(19).nextBytes(big);
    Files.write(root.resolve("big.img"), big);
    Process p = serve("reload", inventory);
    long pid = p.pid();
    assertThat(tftpGet(MENU)).contains("DEFAULT install");

    // web01 stops netbooting; same size and mtime, so only a reload asked for sees it
    String text = Files.readString(inventory);
    String edited =
        text.replaceFirst("# ", "#").replaceFirst("netboot: true\n", "netboot: false\n");
    assertThat(edited).hasSameSizeAs(text).isNotEqualTo(text);
    FileTime mtime = Files.getLastModifiedTime(inventory);

    Path copy = dir.resolve("big.copy");
    Process transfer =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--tftp-blksize",
                "512",
                "--limit-rate",
                "6M",
                "-o",
                copy.toString(),
                "tftp://127.0.0.1:" + tftpPort + "/big.img")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("curl.out").toFile())
            .start();
    started.add(transfer);
    String token = adminToken("reload");
    await(
        "the transfer in flight",
        () -> {
          try {
            return sample(scrape(token), "kickdrift_tftp_active_transfers") == 1;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        p);

    // renamed over it whole, so the watcher never sees a newer mtime for a moment
    Path next = Files.writeString(dir.resolve("inventory.next"), edited);
    Files.setLastModifiedTime(next, mtime);
    Files.move(next, inventory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Cmd.ok("kill", "-HUP", Long.toString(pid));
    await("the reload", () -> read(log).contains("reloaded: 3 hosts (SIGHUP)"), p);
    assertThat(transfer.isAlive()).as("the transfer still in flight at the reload").isTrue();
    assertThat(tftpGet(MENU)).contains("DEFAULT local").doesNotContain("inst.ks");

    assertThat(transfer.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(transfer.exitValue()).as(read(dir.resolve("curl.out"))).isZero();
    assertThat(Files.mismatch(copy, root.resolve("big.img"))).isEqualTo(-1);
    assertThat(read(log)).contains("sent " + big.length + " bytes");
    // the watcher saw no change: the one reload is SIGHUP's
    assertThat(read(log).lines().filter(l -> l.contains(" reloaded: "))).hasSize(1);

    // a broken inventory keeps the one in use, and says where it broke
    Files.writeString(inventory, edited.replace("hosts:\n", "hosts:\n  - [\n"));
    Cmd.ok("kill", "-HUP", Long.toString(pid));
    await("the refusal", () -> read(log).contains("inventory not reloaded: "), p);
    assertThat(read(log)).containsPattern("inventory not reloaded: \\S*inventory.yaml:\\d+");
    assertThat(tftpGet(MENU)).contains("DEFAULT local");

    // the same through the API: the admin token, 422 with FILE:LINE, then 200
    assertThat(curl("-X", "POST", url("/api/v1/reload"))).startsWith("401\n");
    String refused =
        curl("-X", "POST", "-H", "Authorization: Bearer " + token, url("/api/v1/reload"));
    assertThat(refused).startsWith("422\n").containsPattern("inventory.yaml:\\d+");
    Files.writeString(inventory, text);
    String ok = curl("-X", "POST", "-H", "Authorization: Bearer " + token, url("/api/v1/reload"));
    assertThat(ok).startsWith("200\n").contains("reloaded: 3 hosts (API from 127.0.0.1)");
    assertThat(tftpGet(MENU)).contains("DEFAULT install");
    assertThat(p.isAlive()).isTrue();
    stop(p);
  }
}
