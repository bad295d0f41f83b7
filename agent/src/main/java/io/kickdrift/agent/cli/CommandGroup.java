package io.kickdrift.agent.cli;

import picocli.CommandLine;

/** A command that only groups others: given alone, it is bad usage that names them. */
public abstract class CommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "missing a subcommand (" + String.join(", ", spec.subcommands().keySet()) + ")");
  }
}
