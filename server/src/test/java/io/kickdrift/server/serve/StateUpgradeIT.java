package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServeOnLoopback.EXAMPLE;
import static io.kickdrift.server.serve.ServeOnLoopback.MENU;
import static io.kickdrift.server.serve.ServeOnLoopback.serveCommand;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade: a state directory written by the release before migrations
 * (src/test/fixtures/make-prev-release-state.sh) is served by this release's jar, which baselines
 * and migrates its database and keeps its rows; then {@code kickdrift state backup} and {@code
 * restore} against the running serve.
 */
class StateUpgradeIT {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/prev-release-state");
  private static final Pattern PORTS =
      Pattern.compile(
          "tftp listening on udp 127\\.0\\.0\\.1:(\\d+)[\\s\\S]*http listening on http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void requirePeers() {
    Cmd.require("curl", "curl");
    Cmd.require("tftp", "tftp-hpa");
  }

  @AfterEach
  void stopAll() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void aStateOfThePreviousReleaseIsMigratedAndServedWithItsRows() throws Exception {
    Path state = Files.createDirectory(dir.resolve("state"));
    for (String f : List.of("kickdrift.db", "callback.key", "admin.token")) {
      Files.copy(FIXTURE.resolve(f), state.resolve(f));
    }
    // the fixture's install windows (4 h) were open when it was made; move them past now, as if
    // the previous release had written this state an hour ago
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + state.resolve("kickdrift.db"));
        Statement s = db.createStatement()) {
      String until = Instant.now().plus(Duration.ofHours(3)).toString();
      s.executeUpdate(
          "UPDATE hosts SET install_expires = '" + until + "' WHERE install_expires IS NOT NULL");
    }
    Path log = dir.resolve("serve.log");
    Process serve =
        new ProcessBuilder(serveCommand(List.of(), EXAMPLE, 0, 0, state, "--no-dns-sync"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(serve);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    Matcher ports = PORTS.matcher("");
    while (!ports.reset(Files.readString(log)).find()) {
      assertThat(serve.isAlive()).as("serve exited:%n%s", Files.readString(log)).isTrue();
      assertThat(Instant.now())
          .as("serve did not start:%n%s", Files.readString(log))
          .isBefore(deadline);
      Thread.sleep(50);
    }
    int tftpPort = Integer.parseInt(ports.group(1));
    String base = "http://127.0.0.1:" + ports.group(2);

    // web01 netboots by the inventory, but the old database says netboot disable: local boot
    Path menu = dir.resolve("menu");
    Cmd.Result tftp = TftpHpa.get(new InetSocketAddress("127.0.0.1", tftpPort), MENU, menu);
    assertThat(tftp.exit()).as("tftp: %s%s", tftp.out(), tftp.err()).isZero();
    assertThat(Files.readString(menu)).contains("DEFAULT local").doesNotContain("inst.ks");

    String auth = "Authorization: Bearer " + Files.readString(state.resolve("admin.token")).strip();
    Cmd.Result hosts = Cmd.run(List.of("curl", "-sS", "-f", "-H", auth, base + "/api/v1/hosts"));
    assertThat(hosts.exit()).as(hosts.err()).isZero();
    assertThat(hosts.out())
        .contains("\"host\":\"web01.lab.example.com\"")
        .containsPattern("\"host\":\"web02.lab.example.com\"[^}]*\"netboot\":true");
    Cmd.Result events =
        Cmd.run(List.of("curl", "-sS", "-f", "-H", auth, base + "/api/v1/events?limit=100"));
    assertThat(events.out())
        .contains("kickdrift netboot enable by root")
        .contains("kickdrift netboot disable by root")
        .contains("pxelinux install for 52:54:00:12:34:02 to tftp 127.0.0.1");

    // a backup while serve runs; a restore is refused while it runs
    Path backup = dir.resolve("backup.tar.gz");
    Cmd.Result b =
        Cmd.kickdrift("state", "backup", "--out", backup.toString(), "--state", state.toString());
    assertThat(b.exit()).as(b.err()).isZero();
    // serve's first start made the console's users (admin); the backup holds them
    assertThat(b.out())
        .endsWith("kickdrift.db at schema version 3, callback.key, admin.token, users.yaml\n");
    String users = Files.readString(state.resolve("users.yaml"));
    Cmd.Result refused =
        Cmd.kickdrift("state", "restore", "--from", backup.toString(), "--state", state.toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err())
        .startsWith("kickdrift state restore: " + state.resolve("kickdrift.db") + " is in use");

    serve.destroy();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Files.delete(state.resolve("users.yaml"));
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + state.resolve("kickdrift.db"));
        Statement s = db.createStatement()) {
      try (ResultSet r =
          s.executeQuery(
              "SELECT version, type FROM flyway_schema_history ORDER BY installed_rank")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1) + " " + r.getString(2)).isEqualTo("1 BASELINE");
      }
      try (ResultSet r = s.executeQuery("SELECT ip, mac FROM leases")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1) + " " + r.getString(2))
            .isEqualTo("192.0.2.150 52:54:00:12:34:99");
      }
    }
    Cmd.Result restored =
        Cmd.kickdrift("state", "restore", "--from", backup.toString(), "--state", state.toString());
    assertThat(restored.exit()).as(restored.err()).isZero();
    assertThat(Files.readString(state.resolve("users.yaml"))).isEqualTo(users);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve("users.yaml"))))
        .isEqualTo("rw-r-----");
    Cmd.Result notABackup =
        Cmd.kickdrift("state", "restore", "--from", menu.toString(), "--state", state.toString());
    assertThat(notABackup.exit()).isEqualTo(2);
    assertThat(notABackup.err())
        .isEqualTo(
            "kickdrift state restore: "
                + menu
                + ": not a kickdrift state backup: not gzip-compressed\n");
  }
}
