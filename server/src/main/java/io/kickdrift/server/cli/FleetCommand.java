package io.kickdrift.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kickdrift fleet}: work on many inventory hosts over SSH. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "Works on the inventory's hosts over SSH.",
    subcommands = {FleetScanCommand.class})
final class FleetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand (scan)");
  }
}
