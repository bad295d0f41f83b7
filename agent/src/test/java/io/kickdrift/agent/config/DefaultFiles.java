package io.kickdrift.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commented default configuration files ({@code dist/src/etc/*.yaml}): written from the picocli
 * model, every key commented out, dotted ({@code #serve.http-port: 80}), with its built-in default
 * and the first sentence of its help, so uncommenting one line works. Both CLIs' tests check their
 * file with {@link #check}.
 */
public final class DefaultFiles {
  private DefaultFiles() {}

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=+-]+");

  /**
   * The file's text is what the model gives now (else the new text is written to {@code
   * target/NAME} to copy over), it loads as it is, and uncommented (a leading {@code #} dropped
   * where no space follows it) it sets every key with no unknown one.
   */
  public static void check(Supplier<CommandLine> fresh, Path file, String header)
      throws IOException {
    String expected = text(fresh.get(), header);
    String actual = Files.exists(file) ? Files.readString(file) : "";
    if (!actual.equals(expected)) {
      Path made = Path.of("target", file.getFileName().toString());
      Files.writeString(made, expected);
      throw new AssertionError(
          file + " is not what the options say now: cp " + made.toAbsolutePath() + " " + file);
    }
    assertThat(problems(fresh, file)).as("%s as it is", file).isEmpty();
    Path uncommented = Files.createTempFile("uncommented", ".yaml");
    try {
      Files.writeString(uncommented, uncomment(actual));
      assertThat(problems(fresh, uncommented)).as("%s uncommented", file).isEmpty();
      CommandLine cl = AgentMain.configure(fresh.get(), Map.of(), uncommented);
      Config config = Config.of(cl.getCommandSpec()).orElseThrow();
      for (String key : config.keys().keySet()) {
        if (!defaultOf(key, config.keys().get(key)).isEmpty()) {
          assertThat(config.setting(key)).as("%s uncommented sets %s", file, key).isPresent();
        }
      }
    } finally {
      Files.deleteIfExists(uncommented);
    }
  }

  /** Drops the {@code #} that starts a line when a key follows it (no space, no other #). */
  static String uncomment(String text) {
    return text.lines()
        .map(
            l ->
                l.startsWith("#") && l.length() > 1 && l.charAt(1) != ' ' && l.charAt(1) != '#'
                    ? l.substring(1)
                    : l)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static List<String> problems(Supplier<CommandLine> fresh, Path file) {
    CommandLine cl = AgentMain.configure(fresh.get(), Map.of(), file);
    return Config.of(cl.getCommandSpec()).orElseThrow().problems();
  }

  /** The commented file for the command tree of {@code root}. */
  static String text(CommandLine root, String header) {
    CommandLine cl = AgentMain.configure(root, Map.of(), Path.of("/nonexistent"));
    Config config = Config.of(cl.getCommandSpec()).orElseThrow();
    // by first segment (a command, or a shared key), a blank line between
    Map<String, Map<String, List<OptionSpec>>> groups = new TreeMap<>();
    config
        .keys()
        .forEach(
            (key, options) -> {
              int dot = key.indexOf('.');
              String top = dot < 0 ? key : key.substring(0, dot);
              String rest = dot < 0 ? "" : key.substring(dot + 1);
              groups.computeIfAbsent(top, k -> new TreeMap<>()).put(rest, options);
            });
    StringBuilder out = new StringBuilder(header);
    groups.forEach(
        (top, keys) -> {
          out.append('\n');
          keys.forEach(
              (rest, options) -> {
                String key = rest.isEmpty() ? top : top + "." + rest;
                String value = yaml(defaultOf(key, options));
                for (String line : wrap(help(options))) {
                  out.append("# ").append(line).append('\n');
                }
                out.append('#').append(key).append(':');
                out.append(value.isEmpty() ? "" : " " + value).append('\n');
              });
        });
    return out.toString();
  }

  private static String help(List<OptionSpec> options) {
    String text = String.join(" ", options.get(0).description()).replaceAll("\\s+", " ").strip();
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  /** The help's words in lines of at most 98 characters with their "# ". */
  private static List<String> wrap(String text) {
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > 96) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  /**
   * Defaults that depend on the machine (the number of cores): written empty, so the file is the
   * same wherever it is made; the help says what the default is.
   */
  private static final java.util.Set<String> MACHINE_DEPENDENT = java.util.Set.of("scan.threads");

  /** The built-in default as the file writes it; empty when the option has none. */
  static String defaultOf(String key, List<OptionSpec> options) {
    if (key.equals("state.dir")) {
      return "/var/lib/kickdrift";
    }
    if (MACHINE_DEPENDENT.contains(key)) {
      return "";
    }
    OptionSpec o = options.get(0);
    List<String> values = Config.builtIn(o);
    if (!o.isMultiValue()) {
      return values.isEmpty() ? "" : values.get(0);
    }
    if (values.isEmpty()) {
      return "";
    }
    if (Map.class.isAssignableFrom(o.type())) {
      return "{"
          + values.stream()
              .map(v -> v.split("=", 2))
              .map(kv -> yaml(kv[0]) + ": " + yaml(kv[1]))
              .collect(Collectors.joining(", "))
          + "}";
    }
    return "[" + values.stream().map(DefaultFiles::yaml).collect(Collectors.joining(", ")) + "]";
  }

  private static String yaml(String value) {
    if (value.isEmpty() || value.startsWith("[") || value.startsWith("{")) {
      return value;
    }
    return PLAIN.matcher(value).matches() ? value : "\"" + value.replace("\"", "\\\"") + "\"";
  }
}
