package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.AgentMain;
import io.kickdrift.agent.cli.ConfigCommand;
import io.kickdrift.agent.cli.RestoreCommand;
import io.kickdrift.agent.cli.ScanCommand;
import io.kickdrift.agent.cli.Version;
import io.kickdrift.agent.config.Config;
import io.kickdrift.agent.config.ConfigKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    description = "Provisions bare metal and discovers config drift.")
public final class KickdriftMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand");
  }

  /** The commands, in the order the help lists them. */
  private static final List<Class<?>> COMMANDS =
      List.of(
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
          AccountsCommands.TokenCommand.class);

  /** Every command: for the help, a misspelt command's suggestion, and the tests. */
  public static CommandLine commandLine() {
    return AgentMain.configure(tree(COMMANDS));
  }

  /** Every command, before {@link AgentMain#configure}. */
  public static CommandLine tree() {
    return tree(COMMANDS);
  }

  private static CommandLine tree(List<Class<?>> commands) {
    CommandLine cl = new CommandLine(new KickdriftMain());
    commands.forEach(cl::addSubcommand);
    return cl;
  }

  /**
   * The command line for {@code args}: when the first names a command, with that command alone (the
   * configuration's check builds the rest if the file or the environment sets their options), else,
   * and for {@code config}, which reads them all, with every one. Picocli reads each command it is
   * given, its options and help text, before it parses anything: the whole tree took 0.15 s more
   * than one command, at every start (docs/benchmarks.md).
   */
  public static CommandLine commandLine(String... args) {
    return commandLine(System.getenv(), Config.defaultFile("kickdrift"), args);
  }

  /** As {@link #commandLine(String...)}, with this environment and default configuration file. */
  static CommandLine commandLine(Map<String, String> env, Path defaultFile, String... args) {
    if (args.length > 0) {
      for (Class<?> c : COMMANDS) {
        Command named = c.getAnnotation(Command.class);
        if (c == ConfigCommand.class) {
          continue; // it reads every command's options
        }
        if (named.name().equals(args[0]) || List.of(named.aliases()).contains(args[0])) {
          CommandLine[] whole = new CommandLine[1];
          return AgentMain.configure(
              tree(List.of(c)),
              env,
              defaultFile,
              names -> {
                List<Class<?>> owners = owners(names);
                if (owners.isEmpty()) {
                  if (whole[0] == null) {
                    whole[0] = AgentMain.configure(tree(), env, defaultFile);
                  }
                  return whole[0];
                }
                return AgentMain.configure(tree(owners), env, defaultFile);
              });
        }
      }
    }
    return AgentMain.configure(tree(), env, defaultFile);
  }

  /**
   * The commands that own these configuration keys ({@code serve.http-port}: serve) or variables
   * ({@code KICKDRIFT_SERVE_HTTP_PORT}); empty when there are none or one is no command's.
   */
  static List<Class<?>> owners(java.util.Set<String> names) {
    java.util.Set<Class<?>> owners = new java.util.LinkedHashSet<>();
    for (String n : names) {
      Class<?> owner = null;
      int longest = 0;
      for (Class<?> c : COMMANDS) {
        String name = c.getAnnotation(Command.class).name();
        String prefix = n.startsWith("KICKDRIFT_") ? ConfigKeys.env(name) + "_" : name + ".";
        if (n.startsWith(prefix) && prefix.length() > longest) {
          owner = c;
          longest = prefix.length();
        }
      }
      if (owner == null) {
        return List.of();
      }
      owners.add(owner);
    }
    return List.copyOf(owners);
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }
}
