package io.kickdrift.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a kickdrift subcommand in the test's JVM, its output and its errors into the writers. */
public final class KickdriftCli {
  private KickdriftCli() {}

  /** The exit status of {@code kickdrift SUBCOMMAND ARGS...}. */
  public static int run(StringWriter out, StringWriter err, String subcommand, String... args) {
    CommandLine cl = KickdriftMain.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = subcommand;
    System.arraycopy(args, 0, full, 1, args.length);
    return cl.execute(full);
  }
}
