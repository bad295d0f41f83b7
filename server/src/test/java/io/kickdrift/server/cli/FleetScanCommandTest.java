package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.fleet.FleetScan;
import io.kickdrift.server.fleet.SshTarget;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Ssh;
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
}
