package io.kickdrift.server.cli;

import io.kickdrift.agent.config.DefaultFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KickdriftDefaultFileTest {
  static final String HEADER =
      "# /etc/kickdrift/kickdrift.yaml: defaults for every kickdrift command (docs/config.md).\n"
          + "# Precedence: command-line flags > KICKDRIFT_* variables (KICKDRIFT_SERVE_HTTP_PORT for\n"
          + "# serve.http-port) > this file > the built-in defaults written here. Uncomment a line\n"
          + "# (drop its '#') to set it. Every command finds the state through state.dir.\n"
          + "# Check with: kickdrift config show\n";

  @Test
  void theCommentedFileHasEveryKeyWithItsDefault() throws Exception {
    DefaultFiles.check(
        KickdriftMain::tree, Path.of("..", "dist", "src", "etc", "kickdrift.yaml"), HEADER);
  }
}
