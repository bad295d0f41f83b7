package io.kickdrift.server.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.drift.FileDiff.Kind;
import io.kickdrift.server.drift.FileDiff.Row;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SideBySideTest {

  @Test
  void aNulInTheFirstEightKibMakesAFileBinaryAndOneAfterDoesNot() {
    byte[] early = new byte[SideBySide.BINARY_PROBE + 10];
    java.util.Arrays.fill(early, (byte) 'a');
    early[SideBySide.BINARY_PROBE - 1] = 0;
    assertThat(SideBySide.isBinary(early)).isTrue();
    early[SideBySide.BINARY_PROBE - 1] = 'a';
    early[SideBySide.BINARY_PROBE] = 0;
    assertThat(SideBySide.isBinary(early)).isFalse();

    SideBySide.Result r = SideBySide.rows("a\n".getBytes(), new byte[] {'a', 0}, 3);
    assertThat(r.binary()).isTrue();
    assertThat(r.rows()).isEmpty();
  }

  @Test
  void longLinesAreCutNeverInsideACharacter() {
    String smile = "\uD83D\uDE00"; // two chars, one code point
    String line = "x".repeat(SideBySide.MAX_LINE - 1) + smile + "tail";
    // The 2,000th char is the high surrogate: the cut keeps 1,999 and no half character.
    assertThat(SideBySide.cut(line)).isEqualTo("x".repeat(SideBySide.MAX_LINE - 1) + "…");
    assertThat(SideBySide.cut("short")).isEqualTo("short");
    String exact = "y".repeat(SideBySide.MAX_LINE);
    assertThat(SideBySide.cut(exact)).isSameAs(exact);

    boolean[] cut = {false};
    String text = "a\n" + "z".repeat(SideBySide.MAX_LINE + 5) + "\nb\n";
    assertThat(SideBySide.cutLines(text.getBytes(StandardCharsets.UTF_8), cut))
        .isEqualTo("a\n" + "z".repeat(SideBySide.MAX_LINE) + "…\nb\n");
    assertThat(cut[0]).isTrue();

    SideBySide.Result r =
        SideBySide.rows("a\n".getBytes(), text.getBytes(StandardCharsets.UTF_8), 3);
    assertThat(r.cut()).isTrue();
    assertThat(r.rows())
        .containsExactly(
            new Row(Kind.SAME, 1, "a", 1, "a", 0),
            new Row(Kind.ADDED, 0, null, 2, "z".repeat(SideBySide.MAX_LINE) + "…", 0),
            new Row(Kind.ADDED, 0, null, 3, "b", 0));
  }

  @Test
  void aReplacedBlockPairsLinesThenListsTheRest() {
    SideBySide.Result r = SideBySide.rows("k\n1\n2\n3\nk\n".getBytes(), "k\nA\nk\n".getBytes(), 3);
    assertThat(r.rows())
        .containsExactly(
            new Row(Kind.SAME, 1, "k", 1, "k", 0),
            new Row(Kind.CHANGED, 2, "1", 2, "A", 0),
            new Row(Kind.REMOVED, 3, "2", 0, null, 0),
            new Row(Kind.REMOVED, 4, "3", 0, null, 0),
            new Row(Kind.SAME, 5, "k", 3, "k", 0));
  }

  @Test
  void identicalTextsAreOneSkippedRowAndEmptyTextsNone() {
    assertThat(SideBySide.rows("a\nb\n".getBytes(), "a\nb\n".getBytes(), 3).rows())
        .containsExactly(new Row(Kind.SKIPPED, 1, null, 1, null, 2));
    assertThat(SideBySide.rows(new byte[0], new byte[0], 3).rows()).isEmpty();
  }

  @Test
  void aMissingFinalNewlineIsAChangeAsGitSeesIt() {
    assertThat(SideBySide.rows("a\n".getBytes(), "a".getBytes(), 3).rows())
        .containsExactly(new Row(Kind.CHANGED, 1, "a", 1, "a", 0));
  }
}
