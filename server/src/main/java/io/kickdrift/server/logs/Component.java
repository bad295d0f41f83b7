package io.kickdrift.server.logs;

import java.util.Locale;
import java.util.Optional;

/**
 * The parts of kickdrift whose log levels can be set one by one ({@code --log-level tftp=debug}),
 * each the SLF4J logger (a package) its lines go to. The last four are libraries, silent unless a
 * level is given for them, as before Logback (slf4j-nop).
 */
public enum Component {
  SERVE("serve", "io.kickdrift.server.serve"),
  LIFECYCLE("lifecycle", "io.kickdrift.server.serve.lifecycle"),
  HTTP("http", "io.kickdrift.server.serve.http"),
  TFTP("tftp", "io.kickdrift.server.tftp"),
  DHCP("dhcp", "io.kickdrift.server.dhcp"),
  DNS("dns", "io.kickdrift.server.dns"),
  FLEET("fleet", "io.kickdrift.server.fleet"),
  RENDER("render", "io.kickdrift.server.render"),
  STATE("state", "io.kickdrift.server.state"),
  JETTY("jetty", "org.eclipse.jetty"),
  SSHD("sshd", "org.apache.sshd"),
  JGIT("jgit", "org.eclipse.jgit"),
  FLYWAY("flyway", "org.flywaydb");

  private final String word;
  private final String logger;

  Component(String word, String logger) {
    this.word = word;
    this.logger = logger;
  }

  /** The short name on the command line and in JSON lines ({@code tftp}). */
  public String word() {
    return word;
  }

  /** The SLF4J logger name: the component's package. */
  public String logger() {
    return logger;
  }

  boolean library() {
    return this == JETTY || this == SSHD || this == JGIT || this == FLYWAY;
  }

  /** The component named {@code word}, in any case. */
  public static Optional<Component> named(String word) {
    for (Component c : values()) {
      if (c.word.equals(word.toLowerCase(Locale.ROOT))) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The component a logger belongs to: the one with the longest name that prefixes it. */
  static Optional<Component> of(String loggerName) {
    Component best = null;
    for (Component c : values()) {
      boolean under = loggerName.equals(c.logger) || loggerName.startsWith(c.logger + ".");
      if (under && (best == null || c.logger.length() > best.logger.length())) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }
}
