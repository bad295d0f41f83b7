package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentMainTest {
  @Test
  void everyCommandFollowsTheConvention() {
    // kickdrift-agent, scan, restore
    assertThat(CliConvention.checkEveryCommand(AgentMain::commandLine)).isEqualTo(3);
  }

  @Test
  void versionIsTheCommandsNameAndTheJarsVersion() {
    CliConvention.Run r = CliConvention.run(AgentMain::commandLine, List.of("--version"));
    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).isEqualTo("kickdrift-agent " + Version.number());
  }

  @Test
  void noSubcommandIsBadUsageThatNamesThem() {
    CliConvention.Run r = CliConvention.run(AgentMain::commandLine, List.of());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("missing a subcommand (scan, restore)");
  }
}
