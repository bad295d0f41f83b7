package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServeOnLoopback.EXAMPLE;
import static io.kickdrift.server.serve.ServeOnLoopback.MENU;
import static io.kickdrift.server.serve.ServeOnLoopback.WEB01;
import static io.kickdrift.server.serve.ServeOnLoopback.freeTcp;
import static io.kickdrift.server.serve.ServeOnLoopback.freeUdp;
import static io.kickdrift.server.serve.ServeOnLoopback.serveCommand;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's split state, replayed with real peers: serve started with {@code --state DIR}; the CLI
 * run in other processes without {@code --state}, finding the state through the configuration file
 * or the environment, changes what serve hands out (tftp-hpa for the menu, curl for kickstart and
 * callback); pointed at no state, it fails with the reason and never says "ok".
 */
class SplitStateIT {
  private static final String WS01 = "ws01.dmz.example.com";

  @TempDir Path dir;
  private Process serve;
  private int tftpPort;

  @BeforeAll
  static void requirePeers() {
    Cmd.require("tftp", "tftp-hpa");
    Cmd.require("curl", "curl");
  }

  @AfterEach
  void stop() throws Exception {
    if (serve != null) {
      serve.destroy();
      if (!serve.waitFor(30, TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
    }
  }

  @Test
  void theCliFindsServesStateThroughTheConfigurationOrSaysItCannot() throws Exception {
    Path state = dir.resolve("state");
    // callbacks and kickstarts come from loopback here, not from the hosts' addresses
    String text = Files.readString(EXAMPLE);
    Path inventory =
        Files.writeString(
            dir.resolve("inventory.yaml"),
            text.replace(
                "  address: 192.0.2.10\n", "  address: 192.0.2.10\n  kickstart-from: any\n"));
    Path config =
        Files.writeString(
            dir.resolve("kickdrift.yaml"),
            "# as /etc/kickdrift/kickdrift.yaml would say it\n"
                + "state:\n  dir: "
                + state
                + "\ninventory: "
                + inventory
                + "\n");
    tftpPort = freeUdp();
    int httpPort = freeTcp();
    Path log = dir.resolve("serve.log");
    serve =
        new ProcessBuilder(serveCommand(List.of(), inventory, tftpPort, httpPort, state))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!Files.readString(log).contains("http listening on")) {
      assertThat(serve.isAlive()).as("serve exited:%n%s", Files.readString(log)).isTrue();
      assertThat(Instant.now())
          .as("serve did not start:%n%s", Files.readString(log))
          .isBefore(deadline);
      Thread.sleep(100);
    }
    assertThat(tftpMenu()).contains("DEFAULT install");

    // render through the configuration file signs with serve's key: serve takes its tokens
    Path out = dir.resolve("out");
    Cmd.Result render =
        Cmd.run(
            Cmd.javaJar(List.of(), "target/kickdrift.jar", "render", "--out", out.toString()),
            Map.of("KICKDRIFT_CONFIG", config.toString()));
    assertThat(render.exit()).as(render.err()).isZero();
    String base = "http://127.0.0.1:" + httpPort;
    assertThat(curl(base + "/ks/" + WEB01 + "/" + callbackToken(out, WEB01))).isEqualTo("200");
    assertThat(curl("-X", "POST", base + "/callback/" + WS01 + "/" + callbackToken(out, WS01)))
        .as("render's callback URL, posted to serve")
        .isEqualTo("200");

    // netboot disable without --state, the file named by the variable: serve's menu changes
    Cmd.Result off =
        Cmd.run(
            Cmd.javaJar(List.of(), "target/kickdrift.jar", "netboot", "disable", WEB01),
            Map.of("KICKDRIFT_CONFIG", config.toString()));
    assertThat(off.exit()).as(off.err()).isZero();
    assertThat(tftpMenu()).contains("DEFAULT local").doesNotContain("inst.ks");

    // and back, with --config and the state from the environment instead of the file
    Path bare = Files.writeString(dir.resolve("bare.yaml"), "inventory: " + inventory + "\n");
    Cmd.Result on =
        Cmd.run(
            Cmd.javaJar(
                List.of(),
                "target/kickdrift.jar",
                "netboot",
                "enable",
                WEB01,
                "--config",
                bare.toString()),
            Map.of("KICKDRIFT_STATE_DIR", state.toString()));
    assertThat(on.exit()).as(on.err()).isZero();
    assertThat(tftpMenu()).contains("DEFAULT install");

    // a configuration that points elsewhere: refused, named, nothing made, the menu unchanged
    Path elsewhere = dir.resolve("elsewhere");
    Path wrong =
        Files.writeString(
            dir.resolve("wrong.yaml"),
            "inventory: " + inventory + "\nstate:\n  dir: " + elsewhere + "\n");
    Cmd.Result refused =
        Cmd.run(
            Cmd.javaJar(
                List.of(),
                "target/kickdrift.jar",
                "netboot",
                "disable",
                WEB01,
                "--config",
                wrong.toString()));
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.out()).doesNotContain("netboot off");
    assertThat(refused.err())
        .contains("no kickdrift state at " + elsewhere + " (from " + wrong + ":3)")
        .contains("kickdrift init --state " + elsewhere);
    assertThat(elsewhere).doesNotExist();
    assertThat(tftpMenu()).contains("DEFAULT install");

    // no configuration at all: the default place, which holds no state here
    Path home = dir.resolve("home");
    List<String> java =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // not root, whatever runs the test: the default is then under the home
                "-Duser.name=ops",
                "-Duser.home=" + home,
                "-jar",
                Path.of("target/kickdrift.jar").toAbsolutePath().toString()));
    java.addAll(List.of("netboot", "disable", WEB01, "--inventory", inventory.toString()));
    Cmd.Result none = Cmd.run(java, Map.of("XDG_STATE_HOME", ""));
    assertThat(none.exit()).as(none.out()).isEqualTo(2);
    assertThat(none.out()).doesNotContain("netboot off");
    assertThat(none.err())
        .contains(
            "no kickdrift state at " + home.resolve(".local/state/kickdrift") + " (from default)");
    assertThat(home).doesNotExist();
    assertThat(tftpMenu()).contains("DEFAULT install");
  }

  private String tftpMenu() throws Exception {
    Path got = dir.resolve("menu-" + System.nanoTime());
    Cmd.Result r = TftpHpa.get(new InetSocketAddress("127.0.0.1", tftpPort), MENU, got);
    assertThat(r.exit()).as("tftp: %s%s", r.out(), r.err()).isZero();
    return Files.readString(got, StandardCharsets.UTF_8);
  }

  private static String callbackToken(Path out, String host) throws Exception {
    String ks = Files.readString(out.resolve("kickstarts/" + host + ".ks"));
    Matcher m = Pattern.compile("/callback/" + Pattern.quote(host) + "/([0-9a-f]{32})").matcher(ks);
    assertThat(m.find()).as("a callback URL in %s's kickstart", host).isTrue();
    return m.group(1);
  }

  private static String curl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd).out();
  }
}
