package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentMainTest {
  @Test
  void everyCommandFollowsTheConvention() {
    // kickdrift-agent, scan, restore
    assertThat(CliConvention.checkEveryCommand(AgentMain::commandLine)).isEqualTo(3);
  }
}
