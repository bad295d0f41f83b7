package io.kickdrift.agent.config;

import io.kickdrift.agent.config.YamlTree.Entries;
import io.kickdrift.agent.config.YamlTree.Items;
import io.kickdrift.agent.config.YamlTree.Node;
import io.kickdrift.agent.config.YamlTree.Scalar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * Every option's default from the environment ({@code KICKDRIFT_*}), else the configuration file,
 * else the option's own: picocli asks it for each option the command line did not give, so flags
 * win over both. The file is {@code --config FILE}, else {@code $KICKDRIFT_CONFIG}, else the
 * command's default file when it exists; it is read once, and all of it is checked (unknown keys,
 * values the options refuse) before any command runs.
 *
 * <pre>
 * Config.install(commandLine, System.getenv(), Config.defaultFile("kickdrift"));
 * </pre>
 */
public final class Config implements IDefaultValueProvider {
  private final CommandLine root;

  /** Makes the command line of every command, when {@code root} has only some; else null. */
  private final Function<Set<String>, CommandLine> others;

  /** The trees {@link #others} made, by what they were made for: each once. */
  private final Map<Set<String>, CommandLine> made = new HashMap<>();

  private final Map<String, String> env;
  private final Path defaultFile;
  private Path given;
  private Loaded loaded;

  /**
   * Where a setting came from and what it says: one value, or a list's items, or a map's entries as
   * {@code KEY=VALUE}.
   */
  public record Setting(String key, List<String> values, String origin) {
    public Setting {
      values = List.copyOf(values);
    }

    /** The values as a command line would write them, separated by commas. */
    public String value() {
      return String.join(",", values);
    }
  }

  /**
   * What a multi-value option's default is split on when the option has no split of its own:
   * picocli takes a default as one argument, and no argument a person types holds this character.
   */
  private static final String ITEMS = "\u001f";

  /** What the file and the environment set, by key, and what is wrong with them. */
  private record Loaded(
      Path file,
      Map<String, List<OptionSpec>> known,
      Map<String, Setting> settings,
      List<String> problems,
      Set<String> unplaced) {}

  private Config(
      CommandLine root,
      Map<String, String> env,
      Path defaultFile,
      Function<Set<String>, CommandLine> others) {
    this.root = root;
    this.others = others;
    this.env = Map.copyOf(env);
    this.defaultFile = defaultFile;
  }

  /** The file read when neither {@code --config} nor {@code $KICKDRIFT_CONFIG} names one. */
  public static Path defaultFile(String commandName) {
    return Path.of(
        "/etc/kickdrift", commandName.equals("kickdrift-agent") ? "agent.yaml" : "kickdrift.yaml");
  }

  /**
   * Adds {@code --config FILE} to every command of {@code root}'s tree, makes this the default
   * provider of all of them, and has the command line check the whole configuration (exit 2 with
   * every problem on stderr) before a command runs.
   */
  public static Config install(CommandLine root, Map<String, String> env, Path defaultFile) {
    return install(root, env, defaultFile, null);
  }

  /**
   * As {@link #install(CommandLine, Map, Path)}, for a command line that carries only some of the
   * commands: the file's keys and the {@code KICKDRIFT_} variables it cannot place are checked
   * against the tree {@code others} makes for them (the commands they name; every command for an
   * empty set), built only then.
   */
  public static Config install(
      CommandLine root,
      Map<String, String> env,
      Path defaultFile,
      Function<Set<String>, CommandLine> others) {
    Config config = new Config(root, env, defaultFile, others);
    splitDefaults(root);
    root.getCommandSpec()
        .addOption(
            OptionSpec.builder(ConfigKeys.CONFIG_OPTION)
                .paramLabel("FILE")
                .descriptionKey("")
                .type(Path.class)
                .scopeType(ScopeType.INHERIT)
                .description(
                    "Read option defaults from FILE (default $KICKDRIFT_CONFIG, else "
                        + defaultFile
                        + " when it exists; docs/config.md).")
                .setter(
                    new CommandLine.Model.ISetter() {
                      @Override
                      public <T> T set(T value) {
                        // picocli resets every copy of an inherited option to null; keep the given
                        if (value != null && !value.equals(config.given)) {
                          config.given = (Path) value;
                          config.loaded = null;
                        }
                        return null;
                      }
                    })
                .getter(
                    new CommandLine.Model.IGetter() {
                      @Override
                      @SuppressWarnings("unchecked")
                      public <T> T get() {
                        return (T) config.given;
                      }
                    })
                .build());
    root.setDefaultValueProvider(config);
    root.setExecutionStrategy(config::execute);
    return config;
  }

  /** Gives each multi-value option without a split one that only defaults use ({@link #ITEMS}). */
  private static void splitDefaults(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    for (OptionSpec o : new ArrayList<>(spec.options())) {
      if (o.isMultiValue() && o.splitRegex().isEmpty() && !o.inherited()) {
        spec.remove(o);
        spec.addOption(o.toBuilder().splitRegex(ITEMS).splitRegexSynopsisLabel("").build());
      }
    }
    cl.getSubcommands().values().forEach(Config::splitDefaults);
  }

  /** The configuration of the command line {@code spec} is part of, if it has one. */
  public static Optional<Config> of(CommandSpec spec) {
    return spec.defaultValueProvider() instanceof Config c ? Optional.of(c) : Optional.empty();
  }

  private int execute(ParseResult parsed) {
    boolean help = false;
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      help |= p.isUsageHelpRequested() || p.isVersionHelpRequested();
    }
    List<String> problems = loaded().problems();
    if (!help && !problems.isEmpty()) {
      CommandLine cl = parsed.commandSpec().commandLine();
      problems.forEach(p -> cl.getErr().println(commandName() + ": " + p));
      cl.getErr().flush();
      return 2;
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || o.usageHelp() || o.versionHelp() || o.inherited()) {
      return null;
    }
    Loaded l = loaded();
    String key = keyOf(o);
    Setting s = key == null ? null : l.settings().get(key);
    if (s == null) {
      return null;
    }
    return String.join(o.isMultiValue() ? o.splitRegex().replace("\\", "") : ",", s.values());
  }

  /** The file read: {@code --config}'s, the variable's, or the default one when it exists. */
  public Optional<Path> file() {
    return Optional.ofNullable(loaded().file());
  }

  /** What the environment or the file sets for {@code key}. */
  public Optional<Setting> setting(String key) {
    return Optional.ofNullable(loaded().settings().get(key));
  }

  /** The key of {@code option}, or empty for help, version and {@code --config}. */
  public Optional<String> key(OptionSpec option) {
    return Optional.ofNullable(keyOf(option));
  }

  /** Every key of the command tree, sorted, with the options that read it. */
  public Map<String, List<OptionSpec>> keys() {
    return loaded().known();
  }

  /**
   * The value {@code option} has when nothing sets it, as the file would write it: one value, a
   * list's items, a map's {@code KEY=VALUE} entries; durations as {@code 5m}, not {@code PT5M}.
   * Empty when the option has none.
   */
  public static List<String> builtIn(OptionSpec option) {
    if (option.defaultValue() != null) {
      return List.of(option.defaultValue());
    }
    Object initial = option.initialValue();
    List<String> values = new ArrayList<>();
    if (initial instanceof Map<?, ?> map) {
      map.forEach((k, v) -> values.add(k + "=" + text(v)));
    } else if (initial instanceof Collection<?> c) {
      c.forEach(v -> values.add(text(v)));
    } else if (initial != null) {
      values.add(text(initial));
    }
    return values;
  }

  private static String text(Object value) {
    if (value instanceof Duration d) {
      // the largest unit that divides it: kickdrift's duration syntax (docs/cli.md)
      long ms = d.toMillis();
      long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
      String[] units = {"d", "h", "m", "s"};
      for (int i = 0; i < sizes.length; i++) {
        if (ms != 0 && ms % sizes[i] == 0) {
          return ms / sizes[i] + units[i];
        }
      }
      return ms + "ms";
    }
    return value instanceof Enum<?> e
        ? e.name().toLowerCase(java.util.Locale.ROOT)
        : value.toString();
  }

  /** The name of the command line's root, which messages start with. */
  public String commandName() {
    return root.getCommandName();
  }

  /** The problems of the file and the environment, one line each; empty when it can be used. */
  public List<String> problems() {
    return loaded().problems();
  }

  private String keyOf(OptionSpec o) {
    for (Map.Entry<String, List<OptionSpec>> e : loaded().known().entrySet()) {
      for (OptionSpec known : e.getValue()) {
        if (known == o) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  private synchronized Loaded loaded() {
    if (loaded == null) {
      loaded = load();
    }
    return loaded;
  }

  private Loaded load() {
    Map<String, List<OptionSpec>> known = new TreeMap<>();
    walk(root, "", known);
    Loaded l = load(known);
    // another command's keys or variables: the commands they name, then, if some are still not
    // placed, every command; this tree's options stay first in each key's list
    Set<CommandLine> walked = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (int round = 0; others != null && !l.unplaced().isEmpty() && round < 2; round++) {
      CommandLine tree = made.computeIfAbsent(round == 0 ? l.unplaced() : Set.of(), others);
      if (!walked.add(tree)) {
        break;
      }
      walk(tree, "", known);
      l = load(known);
    }
    return l;
  }

  private Loaded load(Map<String, List<OptionSpec>> known) {
    List<String> unknown = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Setting> settings = new LinkedHashMap<>();
    Path file = null;
    String named = env.get(ConfigKeys.CONFIG_ENV);
    if (given != null || (named != null && !named.isBlank())) {
      file = given != null ? given : Path.of(named);
      if (!Files.isRegularFile(file)) {
        String by = given != null ? ConfigKeys.CONFIG_OPTION : "$" + ConfigKeys.CONFIG_ENV;
        problems.add(file + " (" + by + "): no such file");
        file = null;
      }
    } else if (Files.isRegularFile(defaultFile)) {
      file = defaultFile;
    }
    if (file != null) {
      try {
        new FileValues(file, known, settings, problems, unknown).walk(YamlTree.read(file), "");
      } catch (ConfigException e) {
        problems.add(e.getMessage());
      }
    }
    for (Map.Entry<String, List<OptionSpec>> e : known.entrySet()) {
      String key = e.getKey();
      for (String var : variables(key)) {
        String value = env.get(var);
        if (value != null) {
          boolean multi = e.getValue().stream().anyMatch(OptionSpec::isMultiValue);
          List<String> values = multi ? List.of(value.split(",")) : List.of(value);
          List<String> wrong = Values.check(e.getValue(), values);
          if (wrong.isEmpty()) {
            settings.put(key, new Setting(key, values, "env " + var));
          } else {
            wrong.forEach(w -> problems.add("$" + var + ": " + key + ": " + w));
          }
          break;
        }
      }
    }
    Set<String> variables = new HashSet<>(ConfigKeys.LAUNCHER_ENV);
    variables.add(ConfigKeys.CONFIG_ENV);
    known.keySet().forEach(k -> variables.addAll(variables(k)));
    Set<String> unplaced = new TreeSet<>(unknown);
    env.keySet().stream()
        .filter(v -> v.startsWith("KICKDRIFT_") && !variables.contains(v))
        .forEach(unplaced::add);
    return new Loaded(file, known, settings, List.copyOf(problems), Set.copyOf(unplaced));
  }

  /** The variables of {@code key}, the first set wins: its own, then an older alias. */
  static List<String> variables(String key) {
    String alias = ConfigKeys.ENV_ALIASES.get(key);
    return alias == null ? List.of(ConfigKeys.env(key)) : List.of(ConfigKeys.env(key), alias);
  }

  private static void walk(CommandLine cl, String path, Map<String, List<OptionSpec>> known) {
    for (OptionSpec o : cl.getCommandSpec().options()) {
      String key = ConfigKeys.of(path, o);
      if (key != null) {
        known.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
      }
    }
    Map<CommandLine, Boolean> seen = new IdentityHashMap<>();
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              // aliases lead to the same command: walk it once, by its name
              if (name.equals(sub.getCommandName()) && seen.put(sub, true) == null) {
                walk(sub, path.isEmpty() ? name : path + "." + name, known);
              }
            });
  }

  /** The file's values, checked against the options their keys name. */
  private record FileValues(
      Path file,
      Map<String, List<OptionSpec>> known,
      Map<String, Setting> settings,
      List<String> problems,
      List<String> unknown) {
    void walk(Entries map, String prefix) {
      map.entries()
          .forEach(
              (name, node) -> {
                String key = prefix.isEmpty() ? name : prefix + "." + name;
                int line = map.keyLines().get(name);
                List<OptionSpec> options = known.get(key);
                if (options != null) {
                  take(key, options, node);
                } else if (node instanceof Entries inner && isPrefix(key)) {
                  walk(inner, key);
                } else {
                  unknown.add(key);
                  problems.add(where(line) + "unknown key " + key + suggestion(key));
                }
              });
    }

    private boolean isPrefix(String key) {
      String dotted = key + ".";
      return known.keySet().stream().anyMatch(k -> k.startsWith(dotted));
    }

    private void take(String key, List<OptionSpec> options, Node node) {
      boolean multi = options.stream().anyMatch(OptionSpec::isMultiValue);
      List<String> values = new ArrayList<>();
      if (node instanceof Scalar s) {
        values.add(s.text());
      } else if (node instanceof Items list) {
        if (!multi) {
          problems.add(where(node.line()) + key + ": expected one value, not a list");
          return;
        }
        for (Node item : list.items()) {
          if (!(item instanceof Scalar one)) {
            problems.add(where(item.line()) + key + ": expected a list of single values");
            return;
          }
          values.add(one.text());
        }
      } else if (node instanceof Entries map) {
        if (!multi) {
          problems.add(where(node.line()) + key + ": expected one value, not a map");
          return;
        }
        for (Map.Entry<String, Node> e : map.entries().entrySet()) {
          if (!(e.getValue() instanceof Scalar one)) {
            problems.add(
                where(e.getValue().line()) + key + "." + e.getKey() + ": expected one value");
            return;
          }
          values.add(e.getKey() + "=" + one.text());
        }
      }
      List<String> wrong = new ArrayList<>(Values.check(options, values));
      boolean commas = options.stream().anyMatch(o -> o.splitRegex().equals(","));
      if (commas && values.stream().anyMatch(v -> v.contains(","))) {
        wrong.add("a value holds a comma; write a YAML list instead");
      }
      if (!wrong.isEmpty()) {
        wrong.forEach(w -> problems.add(where(node.line()) + key + ": " + w));
        return;
      }
      Setting earlier = settings.get(key);
      if (earlier != null) {
        problems.add(where(node.line()) + key + " again (first at " + earlier.origin() + ")");
        return;
      }
      settings.put(key, new Setting(key, values, file + ":" + node.line()));
    }

    private String where(int line) {
      return file + ":" + line + ": ";
    }

    private String suggestion(String key) {
      return Values.closest(key, known.keySet()).map(k -> " (did you mean " + k + "?)").orElse("");
    }
  }
}
