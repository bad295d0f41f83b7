package io.kickdrift.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentDefaultFileTest {
  static final String HEADER =
      "# /etc/kickdrift/agent.yaml: defaults for kickdrift-agent (docs/config.md).\n"
          + "# Precedence: command-line flags > KICKDRIFT_* variables (KICKDRIFT_SCAN_REPO for\n"
          + "# scan.repo) > this file > the built-in defaults written here. Uncomment a line (drop\n"
          + "# its '#') to set it; the scheduled scan (kickdrift-agent-scan.timer) reads scan.*.\n"
          + "# Check with: kickdrift-agent config show\n";

  @Test
  void theCommentedFileHasEveryKeyWithItsDefault() throws Exception {
    DefaultFiles.check(
        () -> new picocli.CommandLine(new AgentMain()),
        Path.of("..", "dist", "src", "etc", "agent.yaml"),
        HEADER);
  }

  @Test
  void uncommentingDropsTheHashBeforeKeysOnly() {
    assertThat(DefaultFiles.uncomment("# help\n#scan.repo: /r\n##x\n"))
        .isEqualTo("# help\nscan.repo: /r\n##x\n");
  }

  @Test
  void aKeyWrittenNestedAndDottedIsAnError() throws Exception {
    Path f = Files.createTempFile("twice", ".yaml");
    try {
      Files.writeString(f, "scan:\n  all: true\nscan.all: false\n");
      var cl = AgentMain.configure(new picocli.CommandLine(new AgentMain()), java.util.Map.of(), f);
      assertThat(Config.of(cl.getCommandSpec()).orElseThrow().problems())
          .containsExactly(f + ":3: scan.all again (first at " + f + ":2)");
    } finally {
      Files.delete(f);
    }
  }
}
