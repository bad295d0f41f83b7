package io.kickdrift.server.cli;

import io.kickdrift.server.kickstart.KickstartLint;
import io.kickdrift.server.kickstart.LintProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lint}: what Anaconda would reject in kickstart files, before a machine boots. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Checks kickstart files: the #version= header, %%sections and %%end, commands unknown,"
          + " removed or deprecated in that version, the install source, bootloader and rootpw,"
          + " passwords in plain text, commands given twice. See docs/kickstart-lint.md.",
      "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read."
    })
public final class LintCommand implements Callable<Integer> {
  static final int EXIT_CLEAN = 0;
  static final int EXIT_ERRORS = 1;
  static final int EXIT_UNREADABLE = 2;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Kickstart files to check.")
  List<Path> files;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    int errors = 0;
    int warnings = 0;
    boolean unreadable = false;
    for (Path file : files) {
      String text;
      try {
        // Lenient decoding: a stray Latin-1 byte in a comment is not worth refusing the file.
        text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("kickdrift lint: cannot read " + file + ": " + reason(e));
        unreadable = true;
        continue;
      }
      for (LintProblem p : KickstartLint.lint(file.toString(), text)) {
        err.println(p);
        if (p.severity() == LintProblem.Severity.ERROR) {
          errors++;
        } else {
          warnings++;
        }
      }
    }
    err.println(
        files.size()
            + (files.size() == 1 ? " file: " : " files: ")
            + count(errors, "error")
            + ", "
            + count(warnings, "warning")
            + (unreadable ? ", some files could not be read" : ""));
    err.flush();
    return unreadable ? EXIT_UNREADABLE : errors > 0 ? EXIT_ERRORS : EXIT_CLEAN;
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
