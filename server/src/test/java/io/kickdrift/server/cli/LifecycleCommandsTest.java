package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LifecycleCommandsTest {
  private static final String EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml")
          .toAbsolutePath()
          .normalize()
          .toString();

  private record Run(int exit, String out, String err) {}

  private static Run hosts(Path state, String... extra) {
    HostsCommand c = new HostsCommand();
    return run(c, out -> c.stdout = out, err -> c.stderr = err, concat(state, extra));
  }

  private static Run netboot(Path state, String action, String host, String... extra) {
    NetbootCommand c = new NetbootCommand();
    String[] args = concat(state, action, host);
    args = java.util.Arrays.copyOf(args, args.length + extra.length);
    System.arraycopy(extra, 0, args, args.length - extra.length, extra.length);
    return run(c, out -> c.stdout = out, err -> c.stderr = err, args);
  }

  private static String[] concat(Path state, String... extra) {
    KickdriftCli.initState(state);
    String[] args = new String[4 + extra.length];
    System.arraycopy(
        new String[] {"--inventory", EXAMPLE, "--state", state.toString()}, 0, args, 0, 4);
    System.arraycopy(extra, 0, args, 4, extra.length);
    return args;
  }

  private static Run run(
      Object command,
      java.util.function.Consumer<PrintStream> setOut,
      java.util.function.Consumer<PrintStream> setErr,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    setOut.accept(new PrintStream(out, true, StandardCharsets.UTF_8));
    setErr.accept(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit = new CommandLine(command).execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void hostsShowsTheInventoryWithItsState(@TempDir Path state) {
    Run run = hosts(state);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines())
        .hasSize(4)
        .first()
        .asString()
        .startsWith("HOST ")
        .contains("PROFILE", "NETBOOT", "STATE", "INSTALLED", "MACS");
    assertThat(run.out())
        .containsPattern(
            "web01\\.lab\\.example\\.com +web-rocky9 +on +install-pending +- +52:54:00:12:34:01")
        .containsPattern(
            "web02\\.lab\\.example\\.com +web-rocky9 +off +local +- +52:54:00:12:34:02,52:54:00:12:34:03");
  }

  @Test
  void netbootJsonPrintsTheHostAsHostsJsonDoes(@TempDir Path state) throws Exception {
    Run on = netboot(state, "enable", "web02.lab.example.com", "--json");
    assertThat(on.exit()).as(on.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(on.out());
    assertThat(doc.get("host").asText()).isEqualTo("web02.lab.example.com");
    assertThat(doc.get("netboot").asBoolean()).isTrue();
    assertThat(doc.get("state").asText()).isEqualTo("install-pending");
    assertThat(doc.get("install-expires").asText()).endsWith("Z");
    assertThat(hosts(state, "--json").out()).contains(doc.toString());
  }

  @Test
  void netbootChangesWhatHostsShowsAndUnknownHostsAreErrors(@TempDir Path state) {
    Run on = netboot(state, "enable", "web02.lab.example.com");
    assertThat(on.exit()).as(on.err()).isZero();
    assertThat(on.out())
        .matches("web02\\.lab\\.example\\.com: netboot on, install-pending until \\S+Z\n");
    Instant until = Instant.parse(on.out().strip().replaceAll(".* until ", ""));
    assertThat(Duration.between(Instant.now(), until))
        .as("server.install-token-lifetime, 4h by default")
        .isBetween(Duration.ofHours(4).minusMinutes(1), Duration.ofHours(4));
    assertThat(hosts(state, "--json").out())
        .contains(
            "{\"host\":\"web02.lab.example.com\",\"profile\":\"web-rocky9\",\"macs\":[\"52:54:00:12:34:02\",\"52:54:00:12:34:03\"],\"netboot\":true,\"state\":\"install-pending\",\"installed\":null,\"install-expires\":\""
                + until
                + "\"}");

    Run off = netboot(state, "disable", "web01.lab.example.com");
    assertThat(off.out()).isEqualTo("web01.lab.example.com: netboot off, local\n");

    Run unknown = netboot(state, "enable", "nosuch.example.com");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown host nosuch.example.com");
  }

  @Test
  void anInstallWindowThatPassedShowsAsExpiredUntilNetbootIsEnabledAgain(@TempDir Path state)
      throws Exception {
    assertThat(netboot(state, "enable", "web02.lab.example.com").exit()).isZero();
    // as if the window had been issued 5 hours ago
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("kickdrift.db"));
        var s = db.createStatement()) {
      s.execute(
          "UPDATE hosts SET install_issued = '2020-01-01T00:00:00Z',"
              + " install_expires = '2020-01-01T04:00:00Z'");
    }
    assertThat(hosts(state).out())
        .containsPattern("web02\\.lab\\.example\\.com +web-rocky9 +off +install-expired +- ");
    assertThat(netboot(state, "enable", "web02.lab.example.com").out())
        .contains("netboot on, install-pending until ");
  }
}
