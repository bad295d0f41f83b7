package io.kickdrift.server.cli;

import ch.qos.logback.classic.Level;
import io.kickdrift.server.logs.Component;
import io.kickdrift.server.logs.LogFormat;
import io.kickdrift.server.logs.Logs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --log-format human|json} and {@code --log-level [COMPONENT=]LEVEL} (repeatable), for the
 * server's long-running commands; their config keys are {@code log.format} and {@code log.level}.
 */
final class LogOptions {
  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description = "human (default): TIME message; json: one JSON object a line.")
  String format = "human";

  @Option(
      names = "--log-level",
      paramLabel = "[COMPONENT=]LEVEL",
      description =
          "A level (trace, debug, info, warn, error, off) for one component (serve, lifecycle,"
              + " http, tftp, dhcp, dns, fleet, render, state, jetty, sshd, jgit, flyway), or bare for all;"
              + " repeatable. Default info; the libraries (jetty, sshd, jgit, flyway) off.")
  List<String> levels = new ArrayList<>();

  /** Configures Logback to write to {@code out}; an error names the bad value. */
  void apply(PrintStream out) {
    LogFormat f =
        switch (format.toLowerCase(Locale.ROOT)) {
          case "human" -> LogFormat.HUMAN;
          case "json" -> LogFormat.JSON;
          default ->
              throw new IllegalArgumentException(
                  "--log-format " + format + ": expected human or json");
        };
    Level root = Level.INFO;
    Map<Component, Level> each = new EnumMap<>(Component.class);
    for (String given : levels) {
      for (String one : given.split(",")) {
        int eq = one.indexOf('=');
        if (eq < 0) {
          root = Logs.level(one);
          continue;
        }
        String name = one.substring(0, eq).strip();
        Component c =
            Component.named(name)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--log-level "
                                + one
                                + ": no component "
                                + name
                                + "; expected one of "
                                + words()));
        each.put(c, Logs.level(one.substring(eq + 1)));
      }
    }
    Logs.configure(f, root, each, out);
  }

  private static String words() {
    List<String> w = new ArrayList<>();
    for (Component c : Component.values()) {
      w.add(c.word());
    }
    return String.join(", ", w);
  }
}
