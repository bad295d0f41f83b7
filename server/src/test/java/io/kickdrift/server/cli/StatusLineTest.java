package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final StatusLine line =
      new StatusLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private String out() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aDrawBlanksWhatTheLastOneDrew() {
    line.draw(3, "abc");
    line.draw(30, "d");
    assertThat(out())
        .isEqualTo(
            "\r\r[###...........................] abc"
                + "\r"
                + " ".repeat(36)
                + "\r[##############################] d");
  }

  @Test
  void aClearedLineHasNothingLeftToBlank() {
    line.draw(0, "x");
    line.clear();
    line.draw(0, "y");
    assertThat(out()).endsWith("\r" + " ".repeat(34) + "\r\r\r[..............................] y");
  }

  @Test
  void theLineIsCutAt100Columns() {
    line.draw(0, "h".repeat(200));
    String drawn = out().substring(out().lastIndexOf('\r') + 1);
    assertThat(drawn).hasSize(100).startsWith("[").endsWith("h");
  }
}
