package io.kickdrift.server.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void quiet() {
    Logs.configure(
        LogFormat.HUMAN, Level.OFF, Map.of(), new PrintStream(OutputStream.nullOutputStream()));
  }

  private String written() {
    Logs.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aComponentsLevelShowsItsDebugLinesOnly() {
    Logs.configure(
        LogFormat.HUMAN,
        Level.INFO,
        Map.of(Component.TFTP, Level.DEBUG),
        new PrintStream(out, true));
    LoggerFactory.getLogger("io.kickdrift.server.tftp.TftpServer").debug("tftp debug");
    LoggerFactory.getLogger(Component.HTTP.logger()).debug("http debug");
    LoggerFactory.getLogger(Component.HTTP.logger()).info("http info");
    assertThat(written()).contains("DEBUG tftp debug", "http info").doesNotContain("http debug");
  }

  @Test
  void librariesStaySilentUnlessNamed() {
    Logs.configure(LogFormat.HUMAN, Level.DEBUG, Map.of(), new PrintStream(out, true));
    LoggerFactory.getLogger("org.eclipse.jetty.server.Server").warn("jetty");
    LoggerFactory.getLogger("io.kickdrift.server.dns").debug("dns debug");
    assertThat(written()).contains("dns debug").doesNotContain("jetty");
  }

  @Test
  void aBadLevelIsNamed() {
    assertThatThrownBy(() -> Logs.level("loud"))
        .hasMessage("log level loud: expected trace, debug, info, warn, error or off");
    assertThat(Logs.level("Debug")).isEqualTo(Level.DEBUG);
  }
}
