package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.fleet.FleetScan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetProgressTest {
  static FleetScan.HostResult ok(String host) {
    return new FleetScan.HostResult(
        host, "agent", 2, 1500, "0123456789abcdef", "x: 2 new", null, List.of("a warning"));
  }

  static FleetScan.HostResult failed(String host) {
    return new FleetScan.HostResult(
        host, null, -1, 500, null, null, host + " (10.0.0.9:22): connection refused", List.of());
  }

  /** What a progress of {@code hosts} hosts prints as web01 starts scanning, then these end. */
  private static String shown(boolean terminal, int hosts, FleetScan.HostResult... finished) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    FleetProgress p =
        new FleetProgress(new PrintStream(b, true, StandardCharsets.UTF_8), terminal, hosts);
    p.step("web01", "scanning");
    for (FleetScan.HostResult result : finished) {
      p.finished(result);
    }
    p.done();
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutATerminalEachHostIsOnePlainLine() {
    assertThat(shown(false, 2, ok("web01"), failed("dead01")).lines().toList())
        .containsExactly(
            "web01: agent, 2 findings, 1.5 s: 0123456789ab x: 2 new",
            "web01: warning: a warning",
            "FAILED dead01 (10.0.0.9:22): connection refused (0.5 s)");
  }

  @Test
  void onATerminalTheBarIsRedrawnInPlaceAndFailuresPrintedAboveIt() {
    String out = shown(true, 4, failed("dead01"));
    assertThat(out)
        .contains("\r[..............................] 0/4 hosts, 1 running: web01 scanning");
    assertThat(out)
        .contains("FAILED dead01 (10.0.0.9:22): connection refused (0.5 s)\n")
        .contains(
            "[#######.......................] 1/4 hosts, 1 failed, 1 running: web01 scanning");
    // Done: the bar line is blanked, so the table starts on a clean line.
    assertThat(out).endsWith("\r");
    assertThat(out).doesNotContain("\n[");
  }
}
