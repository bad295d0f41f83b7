package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.AgentMain;
import io.kickdrift.agent.cli.ConfigCommand;
import io.kickdrift.agent.cli.RestoreCommand;
import io.kickdrift.agent.cli.ScanCommand;
import io.kickdrift.agent.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kickdrift} command of the server jar. It carries every agent command, so one jar does
 * both jobs. Exit codes: 0 success or no drift, 1 drift found, 2 error or bad usage.
 */
@Command(
    name = "kickdrift",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Provisions bare metal and discovers config drift.",
    subcommands = {
      ScanCommand.class,
      RestoreCommand.class,
      RenderCommand.class,
      PasswdCommand.class,
      LintCommand.class,
      HostsCommand.class,
      NetbootCommand.class,
      ServeCommand.class,
      FleetCommand.class,
      DnsCommand.class,
      DoctorCommand.class,
      LoadersCommand.class,
      ImportCommand.class,
      TftpCommand.class,
      DhcpCommand.class,
      RepoCommand.class,
      DriftCommand.class,
      AdoptCommand.class,
      ClaimCommand.class,
      ExportCommand.class,
      StateCommand.class,
      ConfigCommand.class,
      InitCommand.class,
      AccountsCommands.UserCommand.class,
      AccountsCommands.TokenCommand.class
    })
public final class KickdriftMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand");
  }

  public static CommandLine commandLine() {
    return AgentMain.configure(new CommandLine(new KickdriftMain()));
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
