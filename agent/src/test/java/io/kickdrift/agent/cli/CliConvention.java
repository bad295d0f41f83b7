package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line convention, checked over every command of a command tree found by walking
 * picocli's model (so a new command is covered without a line here): {@code --help} exits 0 with
 * the usage on stdout; a misspelt option, and under a command group a misspelt command, exit 2 with
 * a message and a suggestion on stderr, and a command group alone with a message; the root's {@code
 * --version} is its name and the jar's version; the command and each of its options and parameters
 * have a help text, and the command's properties file names no option it does not have. Both CLIs'
 * tests call it ({@code kickdrift}, {@code kickdrift-agent}).
 */
public final class CliConvention {
  private CliConvention() {}

  /** What one run printed and returned. */
  public record Run(int exit, String out, String err) {}

  /** Runs {@code args} on a fresh command line. */
  public static Run run(Supplier<CommandLine> fresh, List<String> args) {
    CommandLine cl = fresh.get();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** The path of names to every command of the tree, the root's (empty) first. */
  public static List<List<String>> commands(CommandLine root) {
    List<List<String>> all = new ArrayList<>();
    walk(root, List.of(), all);
    return all;
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
    all.add(path);
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              // aliases lead to the same command: walk it once, by its name
              if (name.equals(sub.getCommandName())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(name);
                walk(sub, List.copyOf(longer), all);
              }
            });
  }

  /** Checks the convention on every command of the tree {@code fresh} builds; returns how many. */
  public static int checkEveryCommand(Supplier<CommandLine> fresh) {
    List<List<String>> commands = commands(fresh.get());
    versionIsTheNameAndTheNumber(fresh);
    for (List<String> path : commands) {
      CommandLine cl = find(fresh.get(), path);
      String shown = String.join(" ", cl.getCommandSpec().qualifiedName());
      helpExitsZero(fresh, path, shown);
      everythingIsDescribed(cl, shown);
      misspeltOptionExitsTwo(fresh, path, cl, shown);
      if (!cl.getSubcommands().isEmpty()) {
        misspeltCommandExitsTwo(fresh, path, cl, shown);
        aloneExitsTwo(fresh, path, cl, shown);
      }
    }
    return commands.size();
  }

  private static void helpExitsZero(Supplier<CommandLine> fresh, List<String> path, String shown) {
    Run r = run(fresh, with(path, "--help"));
    assertThat(r.exit()).as(shown + " --help: exit status; stderr: " + r.err()).isZero();
    assertThat(r.out()).as(shown + " --help").contains("Usage: " + shown);
  }

  /**
   * {@code --version} of the root: its name and the version of the jar ({@code dev} outside one).
   */
  private static void versionIsTheNameAndTheNumber(Supplier<CommandLine> fresh) {
    Run r = run(fresh, List.of("--version"));
    String name = fresh.get().getCommandName();
    assertThat(r.exit()).as(name + " --version: exit status").isZero();
    assertThat(r.out().strip()).as(name + " --version").isEqualTo(name + " " + Version.number());
  }

  /** A command group given alone is bad usage; a {@link CommandGroup} names its commands. */
  private static void aloneExitsTwo(
      Supplier<CommandLine> fresh, List<String> path, CommandLine cl, String shown) {
    String names = String.join(", ", cl.getSubcommands().keySet());
    Run r = run(fresh, path);
    assertThat(r.exit()).as(shown + " alone: exit status").isEqualTo(2);
    assertThat(r.err())
        .as(shown + " alone")
        .contains(
            cl.getCommand() instanceof CommandGroup
                ? "missing a subcommand (" + names + ")"
                : "missing a subcommand");
  }

  /**
   * The help says what the command and each option and parameter are for: a key missing from the
   * command's properties file (AgentMain.configure reads it) would leave a blank line in the help,
   * and a key no option has (a typo, a renamed option) would be read by nothing.
   */
  private static void everythingIsDescribed(CommandLine cl, String shown) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    String file = spec.userObject().getClass().getSimpleName() + ".properties";
    assertThat(String.join("", spec.usageMessage().description()))
        .as(shown + ": its description (usage.description.0 of " + file + ")")
        .isNotBlank();
    Set<String> keys = new HashSet<>();
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      String key = o.descriptionKey().isEmpty() ? o.longestName().replaceFirst("^-+", "") : "";
      keys.add(o.descriptionKey().isEmpty() ? key : o.descriptionKey());
      assertThat(String.join("", o.description()))
          .as(shown + " " + o.longestName() + ": its help text (" + key + " in " + file + ")")
          .isNotBlank();
    }
    for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
      keys.add(p.descriptionKey());
      assertThat(String.join("", p.description()))
          .as(shown + " " + p.paramLabel() + ": its help text (its descriptionKey in " + file + ")")
          .isNotBlank();
    }
    ResourceBundle bundle = spec.resourceBundle();
    if (bundle != null
        && spec.userObject().getClass().getName().equals(bundle.getBaseBundleName())) {
      assertThat(bundle.keySet().stream().filter(k -> !k.startsWith("usage.")))
          .as(file + ": keys of no option of " + shown)
          .allMatch(keys::contains);
    }
  }

  private static void misspeltOptionExitsTwo(
      Supplier<CommandLine> fresh, List<String> path, CommandLine cl, String shown) {
    String option = someLongOption(cl);
    refused(fresh, path, option + "x", shown, "Unknown option: '" + option + "x'", option);
  }

  private static void misspeltCommandExitsTwo(
      Supplier<CommandLine> fresh, List<String> path, CommandLine cl, String shown) {
    String command = cl.getSubcommands().keySet().iterator().next();
    refused(
        fresh,
        path,
        command + "x",
        shown,
        "'" + command + "x'",
        "Did you mean: " + cl.getCommandName() + " " + command);
    refused(fresh, path, "no-such-command", shown, "'no-such-command'");
  }

  /** {@code path arg} exits 2 and says each of {@code expected} on stderr. */
  private static void refused(
      Supplier<CommandLine> fresh,
      List<String> path,
      String arg,
      String shown,
      String... expected) {
    Run r = run(fresh, with(path, arg));
    assertThat(r.exit()).as(shown + " " + arg + ": exit status").isEqualTo(2);
    assertThat(r.err()).as(shown + " " + arg + ": the message and a suggestion").contains(expected);
  }

  /** The command's longest option name other than --help and --version: a typo is near it. */
  private static String someLongOption(CommandLine cl) {
    return cl.getCommandSpec().options().stream()
        .map(OptionSpec::longestName)
        .filter(n -> n.startsWith("--") && !n.equals("--help") && !n.equals("--version"))
        .findFirst()
        .orElse("--help");
  }

  private static CommandLine find(CommandLine root, List<String> path) {
    CommandLine cl = root;
    for (String name : path) {
      cl = cl.getSubcommands().get(name);
    }
    return cl;
  }

  private static List<String> with(List<String> path, String arg) {
    List<String> args = new ArrayList<>(path);
    args.add(arg);
    return args;
  }

  /**
   * {@code config show --json} names a key for every option of every command but help, version and
   * {@code --config}, and lists the command among those that read it: an option added later cannot
   * be left out of the configuration. Returns how many options were checked.
   */
  public static int everyOptionIsShown(Supplier<CommandLine> fresh) {
    Run shown = run(fresh, List.of("config", "show", "--json"));
    assertThat(shown.exit()).as(shown.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode doc;
    try {
      doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(shown.out());
    } catch (java.io.IOException e) {
      throw new AssertionError("config show --json printed no JSON: " + shown.out(), e);
    }
    java.util.Map<String, Set<String>> commandsByKey = new java.util.HashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode k : doc.get("keys")) {
      Set<String> commands = new HashSet<>();
      k.get("commands").forEach(c -> commands.add(c.asText()));
      commandsByKey.put(k.get("key").asText(), commands);
    }
    CommandLine root = fresh.get();
    io.kickdrift.agent.config.Config config =
        io.kickdrift.agent.config.Config.of(root.getCommandSpec()).orElseThrow();
    int checked = 0;
    for (List<String> path : commands(root)) {
      CommandLine cl = find(root, path);
      String name = cl.getCommandSpec().qualifiedName();
      for (OptionSpec o : cl.getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp() || o.longestName().equals("--config")) {
          continue;
        }
        String key = config.key(o).orElse(null);
        assertThat(key).as(name + " " + o.longestName() + ": its configuration key").isNotNull();
        assertThat(commandsByKey.getOrDefault(key, Set.of()))
            .as(name + " " + o.longestName() + ": config show lists " + key + " for it")
            .contains(name);
        checked++;
      }
    }
    return checked;
  }
}
