package io.kickdrift.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kickdrift-agent} command. Exit codes: 0 no drift (restore: done), 1 drift found
 * (restore: done with warnings), 2 could not scan or restore (or bad usage).
 */
@Command(
    name = "kickdrift-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    description = "Finds files that differ from what the package manager installed.",
    subcommands = {ScanCommand.class, RestoreCommand.class})
public final class AgentMain implements Runnable {
  public static final int EXIT_CLEAN = 0;
  public static final int EXIT_DRIFT = 1;
  public static final int EXIT_ERROR = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing a subcommand (scan, restore)");
  }

  public static CommandLine commandLine() {
    return configure(new CommandLine(new AgentMain()));
  }

  /**
   * The settings every command line carrying agent commands shares: bad usage and unexpected
   * exceptions exit 2, as "could not scan" does, the latter with one line in words; enum options in
   * any case.
   */
  public static CommandLine configure(CommandLine cl) {
    cl.setExitCodeExceptionMapper(e -> EXIT_ERROR);
    // An exception no command caught: one line in words, not a stack trace.
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + ErrorText.of(e));
          return EXIT_ERROR;
        });
    cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_ERROR);
    // The help documents backends in lower case (auto, dpkg, rpm).
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The version from the jar manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = AgentMain.class.getPackage().getImplementationVersion();
      return new String[] {"kickdrift-agent " + (v == null ? "dev" : v)};
    }
  }
}
