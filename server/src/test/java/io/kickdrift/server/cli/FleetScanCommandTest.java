package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.fleet.FleetScan;
import io.kickdrift.server.fleet.SshTarget;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Ssh;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetScanCommandTest {
  static FleetScan.HostResult ok(String host, int findings, String commit) {
    return new FleetScan.HostResult(
        host,
        "agent",
        findings,
        1234,
        commit,
        commit == null ? "nothing new" : "x: 1 new",
        null,
        List.of());
  }

  static FleetScan.HostResult failed(String host) {
    return new FleetScan.HostResult(
        host, null, -1, 5000, null, null, host + " (10.0.0.9:22): connection refused", List.of());
  }

  @Test
  void exitStatusIsCleanDriftOrFailed() {
    assertThat(FleetScanCommand.exitStatus(List.of(ok("a", 0, null)))).isZero();
    assertThat(FleetScanCommand.exitStatus(List.of(ok("a", 0, null), ok("b", 2, "c0ffee0000000"))))
        .isEqualTo(1);
    assertThat(FleetScanCommand.exitStatus(List.of(ok("b", 2, null), failed("c")))).isEqualTo(2);
  }

  @Test
  void theTableHasOneRowPerHostAndACount() {
    String t =
        FleetScanCommand.table(
            List.of(ok("web01", 3, "0123456789abcdef"), ok("db01", 0, null), failed("dead01")));
    assertThat(t.lines().toList())
        .containsExactly(
            "HOST    WAY        FINDINGS      TIME  RESULT",
            "web01   agent             3     1.2 s  committed 0123456789ab: x: 1 new",
            "db01    agent             0     1.2 s  nothing new",
            "dead01  -                 -     5.0 s  FAILED: dead01 (10.0.0.9:22): connection refused",
            "3 hosts: 1 clean, 1 with drift, 1 failed");
  }

  static Host host(String name, String ip, int port) {
    return new Host(
        name,
        List.of(new Interface("eth0", "52:54:00:00:00:01", ip)),
        "p",
        false,
        Map.of(),
        new Ssh("scan", port));
  }

  @Test
  void hostsAreChosenByGlobAndReachedAtTheirFirstAddress() {
    List<SshTarget> t =
        FleetScanCommand.select(
            List.of(
                host("web01", "10.0.0.1", 22),
                host("web02", "10.0.0.2", 2222),
                host("db01", "10.0.0.3", 22)),
            List.of("web*"));
    assertThat(t)
        .containsExactly(
            new SshTarget("web01", "10.0.0.1", 22, "scan"),
            new SshTarget("web02", "10.0.0.2", 2222, "scan"));
    assertThat(FleetScanCommand.select(List.of(host("a.b", "10.0.0.1", 22)), List.of("a?b")))
        .hasSize(1);
    assertThat(FleetScanCommand.select(List.of(host("axb", "10.0.0.1", 22)), List.of("a.b")))
        .isEmpty();
  }

  @Test
  void theLeanAgentJarIsFoundWhereThePackagesOrTheBuildPutIt(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path pkg = dir.resolve("usr/share/kickdrift/kickdrift.jar");
    java.nio.file.Files.createDirectories(pkg.getParent());
    java.nio.file.Files.writeString(pkg, "server");
    assertThat(FleetScanCommand.leanAgentJar(pkg)).isEmpty();
    java.nio.file.Path agent = dir.resolve("usr/share/kickdrift-agent/kickdrift-agent.jar");
    java.nio.file.Files.createDirectories(agent.getParent());
    java.nio.file.Files.writeString(agent, "agent");
    assertThat(FleetScanCommand.leanAgentJar(pkg)).contains(agent);

    java.nio.file.Path built = dir.resolve("checkout/server/target/kickdrift.jar");
    java.nio.file.Files.createDirectories(built.getParent());
    java.nio.file.Path lean = dir.resolve("checkout/agent/target/kickdrift-agent.jar");
    java.nio.file.Files.createDirectories(lean.getParent());
    java.nio.file.Files.writeString(lean, "agent");
    assertThat(FleetScanCommand.leanAgentJar(built)).contains(lean);
  }

  record Run(int exit, String out, String err) {}

  static Run fleetScan(String... args) {
    FleetScanCommand command = new FleetScanCommand();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    command.out = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    command.err = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
    command.terminal = false;
    int exit =
        new picocli.CommandLine(command)
            .setErr(new java.io.PrintWriter(command.err, true))
            .setOut(new java.io.PrintWriter(command.out, true))
            .execute(args);
    return new Run(
        exit,
        out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * A named scan on SQLite (no --database): its outcomes are kept, and running the same job again
   * prints them without contacting any host. Here both hosts refuse the connection.
   */
  @Test
  void aJobOnSqliteKeepsItsOutcomesAndIsNotScannedTwice(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path inventory =
        java.nio.file.Files.writeString(
            dir.resolve("inventory.yaml"),
            "distros:\n  - {name: d, family: rocky, version: \"9\", kernel: k, initrd: i,"
                + " install-tree: http://192.0.2.1/t}\n"
                + "subnets:\n  - {network: 127.0.0.0/8}\n"
                + "profiles:\n  - {name: p, distro: d}\nhosts:\n"
                + "  - {name: a, profile: p, interfaces: [{name: e, mac: \"52:54:00:00:00:01\","
                + " ip: 127.0.0.1}], ssh: {port: "
                + closed
                + "}}\n"
                + "  - {name: b, profile: p, interfaces: [{name: e, mac: \"52:54:00:00:00:02\","
                + " ip: 127.0.0.2}], ssh: {port: "
                + closed
                + "}}\n");
    Path key = dir.resolve("id");
    io.kickdrift.testkit.OpenSshd.keygen(key);
    String[] args = {
      "--inventory",
      inventory.toString(),
      "--repo",
      dir.resolve("repo.git").toString(),
      "--identity",
      key.toString(),
      "--known-hosts",
      dir.resolve("known_hosts").toString(),
      "--no-ssh-agent",
      "--ssh-config",
      "none",
      "--way",
      "AGENTLESS",
      "--connect-timeout",
      "2s",
      "--state",
      dir.resolve("state").toString(),
      "--job",
      "j1"
    };
    Run first = fleetScan(args);
    assertThat(first.exit()).as(first.out() + first.err()).isEqualTo(2);
    assertThat(first.out()).as(first.err()).contains("2 hosts: 0 clean, 0 with drift, 2 failed");
    Run again = fleetScan(args);
    assertThat(again.out()).isEqualTo(first.out());
    try (var jobs =
        new io.kickdrift.server.fleet.ScanJobs(
            io.kickdrift.server.state.Database.sqlite(dir.resolve("state")))) {
      assertThat(jobs.rows("j1"))
          .extracting(io.kickdrift.server.fleet.ScanJobs.Row::attempts)
          .containsExactly(1, 1);
    }

    Run noJob =
        fleetScan(
            "--inventory",
            inventory.toString(),
            "--repo",
            "r",
            "--database",
            "postgresql://kd@192.0.2.1/kd");
    assertThat(noJob.exit()).isEqualTo(2);
    assertThat(noJob.err()).contains("give --job NAME");
    assertThat(first.err()).as("no state printed twice").doesNotContain("taken again");
  }
}
