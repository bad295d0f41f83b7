package io.kickdrift.agent.cli;

import io.kickdrift.agent.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kickdrift-agent} command. Exit codes: 0 no drift (restore: done), 1 drift found
 * (restore: done with warnings), 2 could not scan or restore (or bad usage).
 */
@Command(
    name = "kickdrift-agent",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Finds files that differ from what the package manager installed.",
    subcommands = {ScanCommand.class, RestoreCommand.class, ConfigCommand.class})
public final class AgentMain extends CommandGroup {
  public static final int EXIT_CLEAN = 0;
  public static final int EXIT_DRIFT = 1;
  public static final int EXIT_ERROR = 2;

  public static CommandLine commandLine() {
    return configure(new CommandLine(new AgentMain()));
  }

  /**
   * The settings every command line carrying agent commands shares: each command's help text from
   * its properties file; bad usage and unexpected exceptions exit 2, as "could not scan" does, the
   * latter with one line in words; {@code --help} exits 0; enum options in any case; every option's
   * default from the environment and the configuration file (docs/config.md).
   */
  public static CommandLine configure(CommandLine cl) {
    return configure(cl, System.getenv(), Config.defaultFile(cl.getCommandName()));
  }

  /** As {@link #configure(CommandLine)}, with this environment and default configuration file. */
  public static CommandLine configure(CommandLine cl, Map<String, String> env, Path configFile) {
    return configure(cl, env, configFile, null);
  }

  /**
   * As {@link #configure(CommandLine, Map, Path)}, for a command line with only some of the
   * commands: {@code others} makes one with the commands that own the keys and variables named
   * (every command for none), which the configuration's check needs when the file or the
   * environment sets another command's options ({@link Config#install(CommandLine, Map, Path,
   * java.util.function.Function)}).
   */
  public static CommandLine configure(
      CommandLine cl,
      Map<String, String> env,
      Path configFile,
      java.util.function.Function<java.util.Set<String>, CommandLine> others) {
    withHelpText(cl);
    cl.setExitCodeExceptionMapper(e -> EXIT_ERROR);
    // An exception no command caught: one line in words, not a stack trace.
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + ErrorText.of(e));
          return EXIT_ERROR;
        });
    cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_ERROR);
    cl.setParameterExceptionHandler(AgentMain::badUsage);
    // The help documents backends in lower case (auto, dpkg, rpm).
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    Config.install(cl, env, configFile, others);
    return cl;
  }

  /**
   * Gives each command of the tree the help text in the properties file named as its class, beside
   * it ({@code ServeCommand.properties} for {@code ServeCommand}): its description as {@code
   * usage.description.N}, each option's under its longest name without the dashes. A command
   * without such a file keeps the texts of its annotations.
   */
  private static void withHelpText(CommandLine cl) {
    Class<?> type = cl.getCommand().getClass();
    if (type.getResource(type.getSimpleName() + ".properties") != null) {
      // setResourceBundle also sets it on the subcommands: theirs come after, and override it
      cl.setResourceBundle(
          ResourceBundle.getBundle(type.getName(), Locale.ROOT, type.getClassLoader()));
    }
    cl.getSubcommands().values().forEach(AgentMain::withHelpText);
  }

  /**
   * Bad usage: what was wrong, picocli's suggestion when it has one ("Did you mean: kickdrift
   * render?", "Possible solutions: --json"), and where the help is; exit 2. A command group also
   * prints its usage, which lists its commands. A misspelt option is named even when picocli
   * stopped first at a missing required one ({@code render --jsn}).
   */
  static int badUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    // a broken configuration explains what follows (an option it should have given is missing)
    Config.of(cl.getCommandSpec())
        .ifPresent(c -> c.problems().forEach(p -> err.println(c.commandName() + ": " + p)));
    err.println(e.getMessage() + configured(cl, e.getArgSpec()));
    CommandLine.ParameterException unknown = e;
    if (!(e instanceof CommandLine.UnmatchedArgumentException)) {
      List<String> names = unknownOptions(cl, args);
      if (!names.isEmpty()) {
        unknown = new CommandLine.UnmatchedArgumentException(cl, names);
        err.println(unknown.getMessage());
      }
    }
    boolean suggested = CommandLine.UnmatchedArgumentException.printSuggestions(unknown, err);
    if (!suggested && !cl.getSubcommands().isEmpty()) {
      cl.usage(err);
    } else {
      err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    }
    err.flush();
    return EXIT_ERROR;
  }

  /** Where a refused value came from when the configuration gave it, for the message. */
  private static String configured(CommandLine cl, CommandLine.Model.ArgSpec arg) {
    if (!(arg instanceof CommandLine.Model.OptionSpec o)
        || cl.getParseResult() != null && cl.getParseResult().hasMatchedOption(o)) {
      return "";
    }
    return Config.of(cl.getCommandSpec())
        .flatMap(c -> c.key(o).flatMap(c::setting))
        .map(s -> " (from " + s.origin() + ")")
        .orElse("");
  }

  /** The {@code --NAME} arguments that neither {@code cl} nor a command above it knows. */
  private static List<String> unknownOptions(CommandLine cl, String[] args) {
    List<String> unknown = new ArrayList<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || arg.equals("--")) {
        continue;
      }
      String name = arg.split("=", 2)[0];
      boolean known = false;
      for (CommandLine c = cl; c != null && !known; c = c.getParent()) {
        known = c.getCommandSpec().findOption(name) != null;
      }
      if (!known) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
