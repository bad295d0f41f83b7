package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LintCommandTest {
  private static final Path GOOD =
      Path.of("src", "test", "resources", "kickstart", "good", "rhel9.ks");

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int lint(String... files) {
    CommandLine cl = KickdriftMain.commandLine();
    cl.setErr(new PrintWriter(err));
    String[] args = new String[files.length + 1];
    args[0] = "lint";
    System.arraycopy(files, 0, args, 1, files.length);
    return cl.execute(args);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void aCleanKickstartExitsZero() {
    assertThat(lint(GOOD.toString())).isZero();
    assertThat(err.toString()).isEqualTo("1 file: 0 errors, 0 warnings" + System.lineSeparator());
  }

  @Test
  void warningsAloneStillExitZero() throws IOException {
    Path ks = write("warn.ks", Files.readString(GOOD) + "lang de_DE.UTF-8\n");
    assertThat(lint(ks.toString())).isZero();
    assertThat(err.toString())
        .contains(ks + ":40: warning: lang given again (first on line 9)")
        .contains("1 file: 0 errors, 1 warning");
  }

  @Test
  void errorsExitOneAndArePrintedOnePerLineWithTheFileName() throws IOException {
    Path bad =
        write("bad.ks", Files.readString(GOOD).replace("#version=RHEL9", "#version=RHEL9\nauth"));
    assertThat(lint(GOOD.toString(), bad.toString())).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly(
            bad + ":2: error: auth was removed in RHEL9: authconfig was removed; use authselect",
            "2 files: 1 error, 0 warnings");
  }

  @Test
  void anUnreadableFileExitsTwoAndIsNamed() {
    Path missing = dir.resolve("missing.ks");
    assertThat(lint(GOOD.toString(), missing.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("kickdrift lint: cannot read " + missing + ": no such file");
  }

  @Test
  void noFileIsAUsageError() {
    assertThat(lint()).isEqualTo(2);
  }
}
