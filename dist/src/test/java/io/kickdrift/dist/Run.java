package io.kickdrift.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of a peer tool: its exit status and its output (stdout and stderr, merged). */
record Run(List<String> command, int status, String output) {

  static Run of(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("dist-run", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(String.join(" ", command) + ": still running after 3 minutes");
      }
      return new Run(
          List.of(command), p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static Run of(String... command) throws IOException, InterruptedException {
    return of(Map.of(), command);
  }

  /** Exit status 0, or an assertion error that shows the command and what it said. */
  Run ok() {
    assertThat(status).as("%s said:%n%s", String.join(" ", command), output).isZero();
    return this;
  }
}
