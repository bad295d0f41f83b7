package io.kickdrift.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a kickdrift subcommand in the test's JVM, its output and its errors into the writers. */
public final class KickdriftCli {
  private KickdriftCli() {}

  /**
   * {@code kickdrift init --state DIR}: the state every command but serve needs; returns {@code
   * dir}.
   */
  public static java.nio.file.Path initState(java.nio.file.Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = run(out, err, "init", "--state", dir.toString());
    if (exit != 0) {
      throw new AssertionError("kickdrift init --state " + dir + ": " + exit + ": " + err + out);
    }
    return dir;
  }

  /** The exit status of {@code kickdrift SUBCOMMAND ARGS...}. */
  public static int run(StringWriter out, StringWriter err, String subcommand, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = subcommand;
    System.arraycopy(args, 0, full, 1, args.length);
    CommandLine cl = KickdriftMain.commandLine(full); // as main builds it
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(full);
  }
}
