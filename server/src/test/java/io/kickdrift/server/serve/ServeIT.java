package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServeOnLoopback.EXAMPLE;
import static io.kickdrift.server.serve.ServeOnLoopback.MENU;
import static io.kickdrift.server.serve.ServeOnLoopback.WEB01;
import static io.kickdrift.server.serve.ServeOnLoopback.freeTcp;
import static io.kickdrift.server.serve.ServeOnLoopback.freeUdp;
import static io.kickdrift.server.serve.ServeOnLoopback.serveCommand;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole serve process, as the README starts it, against real clients: tftp-hpa for the menus,
 * curl for kickstart and callback; killed with -9 and restarted; stopped with SIGTERM.
 */
class ServeIT {

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();
  private int tftpPort;
  private int httpPort;

  @BeforeAll
  static void requirePeers() {
    Cmd.require("curl", "curl");
  }

  @AfterEach
  void stopAll() {
    started.forEach(Process::destroyForcibly);
  }

  private Process serve() throws Exception {
    return serve(EXAMPLE);
  }

  private Process serve(Path inventory) throws Exception {
    if (tftpPort == 0) {
      tftpPort = freeUdp();
      httpPort = freeTcp();
    }
    Path log = dir.resolve("serve-" + started.size() + ".log");
    Process p =
        new ProcessBuilder(
                serveCommand(List.of(), inventory, tftpPort, httpPort, dir.resolve("state")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(p);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!Files.readString(log).contains("http listening on")) {
      assertThat(p.isAlive()).as("serve exited:%n%s", Files.readString(log)).isTrue();
      assertThat(Instant.now())
          .as("serve did not start:%n%s", Files.readString(log))
          .isBefore(deadline);
      Thread.sleep(100);
    }
    return p;
  }

  private String log(int run) throws IOException {
    return Files.readString(dir.resolve("serve-" + run + ".log"));
  }

  /** A copy of the example inventory with {@code from} replaced by {@code to}. */
  private Path inventory(String from, String to) throws IOException {
    String text = Files.readString(EXAMPLE);
    assertThat(text).contains(from);
    return Files.writeString(dir.resolve("inventory.yaml"), text.replace(from, to));
  }

  private String tftpMenu() throws Exception {
    Path out = dir.resolve("menu-" + System.nanoTime());
    Cmd.Result r = TftpHpa.get(new InetSocketAddress("127.0.0.1", tftpPort), MENU, out);
    assertThat(r.exit()).as("tftp: %s%s", r.out(), r.err()).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private Cmd.Result curl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd);
  }

  @Test
  void netbootOnceThenLocalBootAcrossAKillAndARestart() throws Exception {
    Cmd.require("tftp", "tftp-hpa");
    // curl asks from loopback, not from web01's 192.0.2.21
    Path inventory =
        inventory("  address: 192.0.2.10\n", "  address: 192.0.2.10\n  kickstart-from: any\n");
    Process first = serve(inventory);
    assertThat(log(0))
        .contains("tftp listening on udp 127.0.0.1:" + tftpPort)
        .contains("http listening on http://127.0.0.1:" + httpPort + "/");
    String menu = tftpMenu();
    assertThat(menu)
        .contains("DEFAULT install", "inst.ks=http://127.0.0.1:" + httpPort + "/ks/" + WEB01 + "/");

    String token = MenuToken.in(WEB01, menu);
    String base = "http://127.0.0.1:" + httpPort;
    assertThat(curl(base + "/ks/" + WEB01 + "/" + token).out()).isEqualTo("200");
    assertThat(curl("-X", "POST", base + "/callback/" + WEB01 + "/" + "f".repeat(32)).out())
        .isEqualTo("404");
    assertThat(tftpMenu()).contains("DEFAULT install");
    assertThat(curl("-X", "POST", base + "/callback/" + WEB01 + "/" + token).out())
        .isEqualTo("200");
    assertThat(tftpMenu()).contains("DEFAULT local").doesNotContain("inst.ks");

    first.destroyForcibly(); // kill -9: no shutdown hook runs
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Process second = serve(inventory);
    assertThat(tftpMenu()).contains("DEFAULT local");
    assertThat(curl("-X", "POST", base + "/callback/" + WEB01 + "/" + token).out())
        .as("that install is over")
        .isEqualTo("404");

    // the CLI writes the same database while serve runs; serve sees it at the next request
    Cmd.Result enable =
        Cmd.kickdrift(
            "netboot",
            "enable",
            WEB01,
            "--inventory",
            inventory.toString(),
            "--state",
            dir.resolve("state").toString());
    assertThat(enable.exit()).as(enable.err()).isZero();
    String again = tftpMenu();
    assertThat(again).contains("DEFAULT install");
    assertThat(MenuToken.in(WEB01, again)).as("a new install, a new token").isNotEqualTo(token);
    assertThat(curl(base + "/ks/" + WEB01 + "/" + MenuToken.in(WEB01, again)).out())
        .isEqualTo("200");

    second.destroy(); // SIGTERM
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(log(1)).contains("stopping (signal)").contains("stopped");
  }

  @Test
  void aPrivilegedPortWithoutPrivilegeIsAClearError() throws Exception {
    Cmd.require("setpriv", "util-linux");
    Path state = Path.of("/tmp/kickdrift-serve-it-" + ProcessHandle.current().pid());
    // nobody may not reach the checkout: it runs readable copies of the jar and the inventory
    Path jar = Cmd.readableCopy(Path.of("target/kickdrift.jar"));
    Path inventory = Cmd.readableCopy(EXAMPLE);
    Cmd.Result r;
    try {
      r =
          Cmd.run(
              serveCommand(
                  jar,
                  List.of(
                      "setpriv",
                      "--reuid=65534",
                      "--regid=65534",
                      "--clear-groups",
                      "--inh-caps=-all",
                      "--bounding-set=-all"),
                  inventory,
                  69,
                  freeTcp(),
                  state));
    } finally {
      Cmd.run(List.of("rm", "-rf", state.toString()));
      Cmd.deleteCopy(jar);
      Cmd.deleteCopy(inventory);
    }
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("cannot listen on udp 127.0.0.1:69")
        .contains("ports below 1024 need root or CAP_NET_BIND_SERVICE");
  }

  @Test
  void theServedRootKeepsItsLinksInsideAndTheApiNeedsTheAdminToken() throws Exception {
    serve();
    Path state = dir.resolve("state");
    Path root = state.resolve("root");
    Files.writeString(root.resolve("kernel"), "KERNEL\n");
    Files.createSymbolicLink(root.resolve("kernel-link"), Path.of("kernel"));
    Files.createSymbolicLink(root.resolve("passwd-link"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(root.resolve("statelink"), state);
    String base = "http://127.0.0.1:" + httpPort;
    assertThat(curl(base + "/kernel-link").out()).isEqualTo("200");
    assertThat(curl(base + "/passwd-link").out()).isEqualTo("403");
    assertThat(curl(base + "/statelink/admin.token").out()).isEqualTo("403");
    assertThat(curl(base + "/statelink/callback.key").out()).isEqualTo("403");
    assertThat(curl("--path-as-is", base + "//statelink//admin.token").out()).isEqualTo("403");

    String bearer =
        "Authorization: Bearer " + Files.readString(state.resolve("admin.token")).strip();
    assertThat(curl(base + "/api/v1/hosts").out()).isEqualTo("401");
    assertThat(curl(base + "/api/v1/events").out()).isEqualTo("401");
    assertThat(curl("-H", bearer, base + "/api/v1/hosts").out()).isEqualTo("200");
    assertThat(curl("-H", bearer, base + "/api/v1/events?limit=1").out()).isEqualTo("200");

    // a body that is not UTF-8, sent as curl sends it, is refused at once, again and again
    String url = base + "/api/v1/hosts/" + WEB01 + "/netboot";
    Path body = dir.resolve("body.bin");
    for (int seed = 0; seed < 30; seed++) {
      byte[] random = new byte[seed % 2 == 0 ? 100_000 : 4_000]; // over the limit, and under it
      new java.util.Random(seed).nextBytes(random);
      Files.write(body, random);
      Cmd.Result r =
          curl(
              "-m",
              "10",
              "-H",
              bearer,
              "-H",
              "Content-Type: application/json",
              "--data-binary",
              "@" + body,
              url);
      assertThat(r.out()).as("seed %d: %s", seed, r.err()).isIn("400", "413");
    }
    assertThat(
            curl(
                    "-H",
                    bearer,
                    "-H",
                    "Content-Type: application/json",
                    "-d",
                    "{\"enabled\": false}",
                    url)
                .out())
        .isEqualTo("200");
  }
}
