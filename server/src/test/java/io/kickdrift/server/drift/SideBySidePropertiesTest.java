package io.kickdrift.server.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.drift.FileDiff.Kind;
import io.kickdrift.server.drift.FileDiff.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * For any two texts, the rows reproduce both: read top to bottom, the left column is the old text
 * and the right column the new one, line for line, each skipped row standing for lines both texts
 * hold alike.
 */
class SideBySidePropertiesTest {

  /**
   * Two texts: mostly a text and an edit of it (lines replaced, inserted, deleted), so that long
   * unchanged runs get collapsed; sometimes two unrelated texts.
   */
  @Provide
  Arbitrary<List<String>> pairs() {
    Arbitrary<String> line =
        Arbitraries.oneOf(
            Arbitraries.of("a", "b", "c", "", "  x = 1", "é ü", "tab\there", "cr\r", "💡"),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12));
    Arbitrary<List<String>> lines = line.list().ofMaxSize(60);
    Arbitrary<List<int[]>> edits =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(0, 8))
            .as((kind, at, what) -> new int[] {kind, at, what})
            .list()
            .ofMaxSize(4);
    Arbitrary<List<String>> edited =
        Combinators.combine(lines, edits, Arbitraries.of(true, false), Arbitraries.of(true, false))
            .as(
                (a, e, nlA, nlB) -> {
                  List<String> b = new ArrayList<>(a);
                  for (int[] edit : e) {
                    int at = Math.min(edit[1], b.size());
                    String text = "edit " + edit[2];
                    if (edit[0] == 0) {
                      b.add(at, text);
                    } else if (at < b.size()) {
                      if (edit[0] == 1) {
                        b.remove(at);
                      } else {
                        b.set(at, text);
                      }
                    }
                  }
                  return List.of(text(a, nlA), text(b, nlB));
                });
    Arbitrary<List<String>> unrelated =
        Combinators.combine(lines, lines).as((a, b) -> List.of(text(a, true), text(b, false)));
    return Arbitraries.frequencyOf(Tuple.of(4, edited), Tuple.of(1, unrelated));
  }

  static String text(List<String> lines, boolean finalNewline) {
    return String.join("\n", lines) + (finalNewline && !lines.isEmpty() ? "\n" : "");
  }

  @Property(tries = 500)
  void rowsReproduceBothTexts(@ForAll("pairs") List<String> pair) {
    String old = pair.get(0);
    String now = pair.get(1);
    SideBySide.Result r = SideBySide.rows(utf8(old), utf8(now), SideBySide.CONTEXT);
    assertThat(r.binary()).isFalse();
    List<String> a = lines(old);
    List<String> b = lines(now);
    int nl = 1;
    int nr = 1;
    for (Row row : r.rows()) {
      switch (row.kind()) {
        case SAME -> {
          assertThat(row.leftNo()).isEqualTo(nl);
          assertThat(row.rightNo()).isEqualTo(nr);
          assertThat(row.left()).isEqualTo(a.get(nl++ - 1)).isEqualTo(row.right());
          assertThat(row.right()).isEqualTo(b.get(nr++ - 1));
        }
        case CHANGED -> {
          assertThat(row.leftNo()).isEqualTo(nl);
          assertThat(row.rightNo()).isEqualTo(nr);
          assertThat(row.left()).isEqualTo(a.get(nl++ - 1));
          assertThat(row.right()).isEqualTo(b.get(nr++ - 1));
        }
        case REMOVED -> {
          assertThat(row.leftNo()).isEqualTo(nl);
          assertThat(row.rightNo()).isZero();
          assertThat(row.left()).isEqualTo(a.get(nl++ - 1));
        }
        case ADDED -> {
          assertThat(row.leftNo()).isZero();
          assertThat(row.rightNo()).isEqualTo(nr);
          assertThat(row.right()).isEqualTo(b.get(nr++ - 1));
        }
        case SKIPPED -> {
          assertThat(row.leftNo()).isEqualTo(nl);
          assertThat(row.rightNo()).isEqualTo(nr);
          assertThat(row.skipped()).isPositive();
          assertThat(a.subList(nl - 1, nl - 1 + row.skipped()))
              .isEqualTo(b.subList(nr - 1, nr - 1 + row.skipped()));
          nl += row.skipped();
          nr += row.skipped();
        }
      }
    }
    assertThat(nl - 1).as("left lines covered").isEqualTo(a.size());
    assertThat(nr - 1).as("right lines covered").isEqualTo(b.size());
    if (old.equals(now)) {
      assertThat(r.rows()).allMatch(row -> row.kind() == Kind.SKIPPED);
    }
  }

  /**
   * Lines as git counts them: split at LF, a final LF ends the last line rather than adding one.
   */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (text.isEmpty() || text.endsWith("\n")) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
