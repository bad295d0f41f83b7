package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentMainTest {
  @Test
  void everyCommandFollowsTheConvention() {
    // kickdrift-agent, scan, restore, config, config show
    assertThat(CliConvention.checkEveryCommand(AgentMain::commandLine)).isEqualTo(5);
  }

  @Test
  void configShowShowsEveryOptionOfEveryCommand() {
    assertThat(CliConvention.everyOptionIsShown(AgentMain::commandLine)).isGreaterThan(20);
  }
}
