package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.kickdrift.server.logs.Component;
import io.kickdrift.server.logs.LogFormat;
import io.kickdrift.server.logs.Logs;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class LogOptionsTest {
  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  @AfterEach
  void quiet() {
    Logs.configure(LogFormat.HUMAN, Level.OFF, Map.of(), NOWHERE);
  }

  private static LogOptions parse(String... args) {
    LogOptions o = new LogOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  private static Level level(String logger) {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(logger).getLevel();
  }

  @Test
  void bareLevelsSetTheRootAndNamedOnesTheirComponent() {
    parse("--log-level", "warn", "--log-level", "tftp=debug,http=error").apply(NOWHERE);
    assertThat(level("ROOT")).isEqualTo(Level.WARN);
    assertThat(level(Component.TFTP.logger())).isEqualTo(Level.DEBUG);
    assertThat(level(Component.HTTP.logger())).isEqualTo(Level.ERROR);
    assertThat(level(Component.DHCP.logger())).isNull(); // inherits the root's
    assertThat(level(Component.JETTY.logger())).isEqualTo(Level.OFF);
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> parse("--log-level", "nope=debug").apply(NOWHERE))
        .hasMessageStartingWith(
            "--log-level nope=debug: no component nope; expected one of serve,");
    assertThatThrownBy(() -> parse("--log-level", "tftp=loud").apply(NOWHERE))
        .hasMessageContaining("log level loud: expected trace, debug");
    assertThatThrownBy(() -> parse("--log-format", "xml").apply(NOWHERE))
        .hasMessage("--log-format xml: expected human or json");
    assertThat(List.of(Component.values())).hasSize(13);
  }
}
