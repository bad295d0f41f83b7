package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.scan.GlobRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentlessTest {
  /** Answers every command with the same output. */
  static RemoteShell answering(int exit, String stdout, String stderr) {
    return new RemoteShell() {
      @Override
      public Output run(String command) {
        return new Output(exit, stdout.getBytes(StandardCharsets.UTF_8), stderr);
      }

      @Override
      public String name() {
        return "web01 (10.0.0.5:22)";
      }
    };
  }

  static Agentless.Request request() {
    return new Agentless.Request(
        "web01", "/", List.of("/etc"), false, GlobRules.empty(), GlobRules.empty());
  }

  @Test
  void aHostWithoutAPackageManagerIsAnError() {
    assertThatThrownBy(() -> Agentless.scan(answering(0, "none\n", ""), request()))
        .hasMessage("neither dpkg nor rpm found on web01 (10.0.0.5:22)");
  }

  @Test
  void rpmWithoutAnSqliteDatabaseIsNotSupported() {
    assertThatThrownBy(() -> Agentless.scan(answering(0, "rpm\n", ""), request()))
        .hasMessageStartingWith(
            "web01 (10.0.0.5:22): agentless scans of RPM hosts need an sqlite rpm database");
  }

  @Test
  void aFailedCommandNamesHostCommandAndLastStderrLine() {
    assertThatThrownBy(
            () -> Agentless.run(answering(2, "", "first\nsecond\n"), "dpkg --verify", "x", 0, 1))
        .hasMessage("web01 (10.0.0.5:22): dpkg --verify failed (exit 2): second");
    assertThatThrownBy(() -> Agentless.run(answering(127, "", ""), "md5sum", "x", 0))
        .hasMessage("web01 (10.0.0.5:22): md5sum failed (exit 127): (no message)");
  }

  @Test
  void batchesStayUnderTheCommandLimit() {
    List<String> words =
        new ArrayList<>(Collections.nCopies(5000, "'/etc/" + "x".repeat(90) + "'"));
    List<List<String>> batches = Agentless.batches(words, 200);
    assertThat(batches).hasSizeGreaterThan(1);
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(5000);
    for (List<String> b : batches) {
      assertThat(200 + String.join(" ", b).length()).isLessThanOrEqualTo(Agentless.MAX_COMMAND);
    }
  }

  @Test
  void requestsAreChecked() {
    assertThatThrownBy(
            () ->
                new Agentless.Request(
                    "h", "/", List.of("etc"), false, GlobRules.empty(), GlobRules.empty()))
        .hasMessage("agentless scan: path is not absolute: etc");
    assertThat(
            new Agentless.Request(
                    "h", "/srv/root/", List.of(), false, GlobRules.empty(), GlobRules.empty())
                .prefix())
        .isEqualTo("/srv/root");
  }
}
