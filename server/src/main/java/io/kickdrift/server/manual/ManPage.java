package io.kickdrift.server.manual;

import io.kickdrift.agent.config.ConfigKeys;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One command's man page in roff (man macros), from its picocli model: NAME, SYNOPSIS, DESCRIPTION,
 * OPTIONS with their defaults and configuration keys, ARGUMENTS, COMMANDS, FILES and SEE ALSO. For
 * example {@code new ManPage(spec, "0.1.0", date, "/etc/kickdrift/kickdrift.yaml") .roff()} for
 * {@code kickdrift serve} is the page {@code kickdrift-serve(1)}.
 */
record ManPage(CommandSpec spec, String version, LocalDate date, String configFile) {

  /** The page's name: the command path joined by dashes ({@code kickdrift-fleet-scan}). */
  String name() {
    return spec.qualifiedName("-");
  }

  String roff() {
    StringBuilder out = new StringBuilder();
    out.append(
        ".\\\" Generated from the picocli model by io.kickdrift.server.manual; do not edit.\n");
    out.append(".TH ")
        .append(escape(name().toUpperCase(java.util.Locale.ROOT)))
        .append(" 1 \"")
        .append(date)
        .append("\" \"kickdrift ")
        .append(escape(version))
        .append("\" \"kickdrift manual\"\n");
    out.append(".SH NAME\n").append(escape(name())).append(" \\- ").append(escape(summary(spec)));
    out.append("\n.SH SYNOPSIS\n.nh\n.ad l\n").append(synopsis()).append("\n.ad\n.hy\n");
    List<String> paragraphs = paragraphs(spec.usageMessage().description());
    if (!paragraphs.isEmpty()) {
      out.append(".SH DESCRIPTION\n").append(String.join("\n.PP\n", paragraphs)).append('\n');
    }
    List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
    if (!options.isEmpty()) {
      out.append(".SH OPTIONS\n");
      options.forEach(o -> option(out, o));
    }
    List<PositionalParamSpec> positionals =
        spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!positionals.isEmpty()) {
      out.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : positionals) {
        out.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n");
        out.append(String.join("\n.br\n", paragraphs(p.description()))).append('\n');
      }
    }
    List<CommandSpec> subcommands = subcommands(spec);
    if (!subcommands.isEmpty()) {
      out.append(".SH COMMANDS\n");
      for (CommandSpec sub : subcommands) {
        out.append(".TP\n\\fB")
            .append(escape(sub.name()))
            .append("\\fR\n")
            .append(escape(summary(sub)))
            .append(" See \\fB")
            .append(escape(sub.qualifiedName("-")))
            .append("\\fR(1).\n");
      }
    }
    if (spec.parent() == null) {
      out.append(".SH FILES\n.TP\n.I ")
          .append(escape(configFile))
          .append("\nThe configuration: every option below a command has a key there (each")
          .append(" command's page names it). Flags win over the environment (\\fBKICKDRIFT_\\fR")
          .append(" variables), which wins over the file.\n");
    }
    out.append(".SH SEE ALSO\n").append(seeAlso()).append('\n');
    return out.toString();
  }

  private String synopsis() {
    StringBuilder s = new StringBuilder("\\fB").append(escape(spec.qualifiedName())).append("\\fR");
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      String one = "\\fB" + escape(o.longestName()) + "\\fR" + valueLabel(o);
      if (o.isMultiValue()) {
        one += "...";
      }
      s.append("\n").append(o.required() ? one : "[" + one + "]");
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (p.hidden()) {
        continue;
      }
      String one = "\\fI" + escape(p.paramLabel()) + "\\fR" + (p.isMultiValue() ? "..." : "");
      s.append("\n").append(p.arity().min() > 0 ? one : "[" + one + "]");
    }
    if (!subcommands(spec).isEmpty()) {
      s.append("\n\\fICOMMAND\\fR");
    }
    return s.toString();
  }

  private static String valueLabel(OptionSpec o) {
    return o.arity().max() == 0 ? "" : "=\\fI" + escape(o.paramLabel()) + "\\fR";
  }

  private static void option(StringBuilder out, OptionSpec o) {
    out.append(".TP\n")
        .append(
            java.util.Arrays.stream(o.names())
                .map(n -> "\\fB" + escape(n) + "\\fR")
                .collect(Collectors.joining(", ")))
        .append(valueLabel(o))
        .append('\n');
    List<String> text = new ArrayList<>(paragraphs(o.description()));
    List<String> facts = new ArrayList<>();
    defaultValue(o).ifPresent(d -> facts.add("Default: \\fB" + escape(d) + "\\fR."));
    ConfigKeys.of(o)
        .ifPresent(
            k ->
                facts.add(
                    "Config key: \\fB"
                        + escape(k)
                        + "\\fR (environment \\fB"
                        + escape(ConfigKeys.env(k))
                        + "\\fR)."));
    if (!facts.isEmpty()) {
      text.add(String.join(" ", facts));
    }
    out.append(String.join("\n.br\n", text)).append('\n');
  }

  /**
   * The default worth printing: none for flags, empty lists, options without one, and options whose
   * text already says it in words ("default: 60s" reads better than the field's PT1M).
   */
  private static Optional<String> defaultValue(OptionSpec o) {
    if (o.arity().max() == 0 || o.usageHelp() || o.versionHelp()) {
      return Optional.empty();
    }
    if (String.join(" ", o.description()).toLowerCase(java.util.Locale.ROOT).contains("default")) {
      return Optional.empty();
    }
    String d = o.defaultValue() != null ? o.defaultValue() : initial(o);
    if (d == null || d.isEmpty() || d.equals("[]") || d.equals("{}")) {
      return Optional.empty();
    }
    return Optional.of(d);
  }

  private static String initial(ArgSpec a) {
    Object v = a.initialValue();
    return v == null ? null : String.valueOf(v);
  }

  private String seeAlso() {
    List<String> refs = new ArrayList<>();
    if (spec.parent() != null) {
      refs.add(spec.parent().qualifiedName("-"));
    }
    subcommands(spec).forEach(s -> refs.add(s.qualifiedName("-")));
    if (refs.isEmpty()) {
      refs.add(spec.root().qualifiedName("-"));
    }
    return refs.stream()
        .map(r -> "\\fB" + escape(r) + "\\fR(1)")
        .collect(Collectors.joining(",\n"));
  }

  /** Every command below this one, once each (aliases name the same command). */
  static List<CommandSpec> subcommands(CommandSpec spec) {
    Map<CommandSpec, Boolean> seen = new IdentityHashMap<>();
    List<CommandSpec> list = new ArrayList<>();
    for (CommandLine sub : spec.subcommands().values()) {
      CommandSpec s = sub.getCommandSpec();
      if (!s.usageMessage().hidden() && seen.put(s, true) == null) {
        list.add(s);
      }
    }
    return list;
  }

  /** The first sentence of a command's description, for NAME and COMMANDS. */
  static String summary(CommandSpec spec) {
    List<String> paragraphs = plain(spec.usageMessage().description());
    if (paragraphs.isEmpty()) {
      return "the " + spec.qualifiedName() + " command";
    }
    // whatis(1) lists this line: the first sentence, up to a colon that opens a list.
    String first = paragraphs.get(0);
    for (String stop : List.of(". ", ": ", "; ")) {
      int end = first.indexOf(stop);
      if (end > 0) {
        first = first.substring(0, end + (stop.equals(". ") ? 1 : 0));
      }
    }
    return first.endsWith(".") ? first : first + ".";
  }

  /** The description lines as escaped paragraphs: picocli's %n breaks lines, %% is a percent. */
  private static List<String> paragraphs(String[] description) {
    return plain(description).stream().map(ManPage::escape).toList();
  }

  private static List<String> plain(String[] description) {
    List<String> list = new ArrayList<>();
    for (String line : description) {
      for (String p : line.split("%n")) {
        String text = p.replace("%%", "%").replaceAll("\\s+", " ").strip();
        if (!text.isEmpty()) {
          list.add(text);
        }
      }
    }
    return list;
  }

  /**
   * Text safe in a roff line: backslashes printed as such, dashes as minus signs (so that options
   * copied from the page work), and no line starting with a control character.
   */
  static String escape(String text) {
    String s = text.replace("\\", "\\e").replace("-", "\\-");
    StringBuilder out = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append("\\&");
      }
      out.append(line);
    }
    return out.toString();
  }
}
