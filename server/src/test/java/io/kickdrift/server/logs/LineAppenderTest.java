package io.kickdrift.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineAppenderTest {
  private final LoggerContext context = new LoggerContext();

  private LoggingEvent event(String logger, Level level, String message) {
    LoggingEvent e = new LoggingEvent(null, context.getLogger(logger), level, message, null, null);
    e.setTimeStamp(1_764_000_000_123L);
    return e;
  }

  @Test
  void jsonIsOneObjectALineWithTheComponentAndTheFields() throws Exception {
    LoggingEvent e = event("io.kickdrift.server.tftp.TftpServer", Level.DEBUG, "a \"b\"\nforged");
    e.setMDCPropertyMap(Map.of("peer", "127.0.0.1:4711", "path", "pxelinux.cfg/default"));
    String line = LineAppender.json(e);
    assertThat(line).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("time").asText()).isEqualTo("2025-11-24T16:00:00.123Z");
    assertThat(json.get("level").asText()).isEqualTo("DEBUG");
    assertThat(json.get("component").asText()).isEqualTo("tftp");
    assertThat(json.get("logger").asText()).isEqualTo("io.kickdrift.server.tftp.TftpServer");
    assertThat(json.get("message").asText()).isEqualTo("a \"b\"\nforged");
    assertThat(json.get("peer").asText()).isEqualTo("127.0.0.1:4711");
    assertThat(json.get("path").asText()).isEqualTo("pxelinux.cfg/default");
  }

  @Test
  void theLongestPackageNamesTheComponent() {
    assertThat(Component.of("io.kickdrift.server.serve.lifecycle")).contains(Component.LIFECYCLE);
    assertThat(Component.of("io.kickdrift.server.serve.Serve")).contains(Component.SERVE);
    assertThat(Component.of("io.kickdrift.server.servex")).isEmpty();
    LoggingEvent other = event("com.example.Other", Level.INFO, "x");
    other.setMDCPropertyMap(Map.of());
    assertThat(LineAppender.json(other)).contains("\"component\":\"com.example.Other\"");
  }

  @Test
  void humanLinesAreAsServeWroteThemWithOtherLevelsNamed() {
    assertThat(LineAppender.human(event("io.kickdrift.server.serve", Level.INFO, "stopped")))
        .isEqualTo("2025-11-24T16:00:00.123Z stopped");
    assertThat(LineAppender.human(event("io.kickdrift.server.tftp", Level.DEBUG, "RRQ")))
        .isEqualTo("2025-11-24T16:00:00.123Z DEBUG RRQ");
  }
}
