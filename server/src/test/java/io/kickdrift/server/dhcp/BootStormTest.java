package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The boot storm's own arithmetic and its reading of chunked HTTP bodies. */
class BootStormTest {
  @Test
  void percentilesAreNearestRank() {
    long[] ms = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(BootStorm.rank(ms, 50)).isEqualTo(5);
    assertThat(BootStorm.rank(ms, 99)).isEqualTo(10);
    assertThat(BootStorm.rank(new long[] {7}, 50)).isEqualTo(7);
    assertThat(BootStorm.rank(new long[0], 99)).isZero();
  }

  @Test
  void aChunkedBodyIsItsChunksJoined() {
    assertThat(BootStorm.Http.unchunked("4\r\n%pac\r\n5;x=1\r\nkages\r\n0\r\nTrailer: y\r\n\r\n"))
        .isEqualTo("%packages");
  }

  /** Any text, UTF-8 on the wire, cut into chunks anywhere (inside a character too). */
  @Property
  void anyBodyCutIntoChunksReadsBack(
      @ForAll @StringLength(max = 300) String body,
      @ForAll @Size(max = 10) List<@IntRange(min = 1, max = 40) Integer> cuts) {
    // as the client reads the wire: one char per byte
    String ascii =
        new String(
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    StringBuilder wire = new StringBuilder();
    int at = 0;
    for (int cut : cuts) {
      int end = Math.min(ascii.length(), at + cut);
      if (end > at) {
        wire.append(Integer.toHexString(end - at)).append("\r\n");
        wire.append(ascii, at, end).append("\r\n");
      }
      at = end;
    }
    if (at < ascii.length()) {
      wire.append(Integer.toHexString(ascii.length() - at)).append("\r\n");
      wire.append(ascii, at, ascii.length()).append("\r\n");
    }
    wire.append("0\r\n\r\n");
    String read = BootStorm.Http.unchunked(wire.toString());
    assertThat(
            new String(
                read.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(body);
  }
}
