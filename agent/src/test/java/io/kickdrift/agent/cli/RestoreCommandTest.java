package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RestoreCommandTest {
  @Test
  void repoHostAndRootAreRequired() {
    CommandLine cl = AgentMain.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("restore", "--repo", "/nonexistent")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required options", "--host", "--root");
  }

  @Test
  void aDirectoryThatIsNoRepositoryExitsTwoNamingIt(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path notRepo = Files.createDirectories(dir.resolve("plain"));
    RestoreCommand c = new RestoreCommand();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit =
        new CommandLine(c)
            .execute("--repo", notRepo.toString(), "--host", "web01", "--root", root.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("kickdrift-agent restore: " + notRepo + ": not a git repository\n");
    try (var s = Files.list(notRepo)) {
      assertThat(s).as("nothing created in it").isEmpty();
    }
  }

  @Test
  void aRootThatIsNotADirectoryExitsTwo(@TempDir Path dir) {
    RestoreCommand c = new RestoreCommand();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    Path missing = dir.resolve("missing");
    int exit =
        new CommandLine(c)
            .execute("--repo", dir.toString(), "--host", "web01", "--root", missing.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(missing + ": not a directory");
  }
}
