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
  void fieldsReachJsonLinesWhateverTheFormatBefore() {
    var log = LoggerFactory.getLogger(Component.HTTP.logger());
    Logs.configure(LogFormat.HUMAN, Level.INFO, Map.of(), new PrintStream(out, true));
    try (LogFields f = LogFields.of("peer", "192.0.2.1:4711")) {
      log.info("human");
    }
    Logs.configure(LogFormat.JSON, Level.INFO, Map.of(), new PrintStream(out, true));
    try (LogFields f = LogFields.of("peer", "192.0.2.2:4711")) {
      log.info("json");
    }
    log.info("after");

    String[] lines = written().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).endsWith("human").doesNotContain("192.0.2.1");
    assertThat(lines[1]).contains("\"message\":\"json\"", "\"peer\":\"192.0.2.2:4711\"");
    assertThat(lines[2]).contains("\"message\":\"after\"").doesNotContain("peer");
  }

  @Test
  void aBadLevelIsNamed() {
    assertThatThrownBy(() -> Logs.level("loud"))
        .hasMessage("log level loud: expected trace, debug, info, warn, error or off");
    assertThat(Logs.level("Debug")).isEqualTo(Level.DEBUG);
  }
}
