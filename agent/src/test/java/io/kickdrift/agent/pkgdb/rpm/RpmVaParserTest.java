package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RpmVaParserTest {
  /** Captured from `rpm -Va` (RPM 4.18) on a root with drift. */
  private static final String OUTPUT =
      ".M.......    /etc/demo\n"
          + "S.5....T.  c /etc/demo/a.conf\n"
          + "missing   c /etc/demo/b.conf\n"
          + ".....UG..  c /etc/demo/b2.conf\n"
          + ".M.......    /usr/bin/demo\n"
          + "missing   d /usr/share/doc/demo/README\n"
          + "..?......  c /etc/shadow-\n"
          + "Unsatisfied dependencies for demo-2:1.2-3.noarch:\n"
          + "\t/bin/sh is needed by (installed) demo-2:1.2-3.noarch\n"
          + "missing     /usr/lib/with space\n";

  @Example
  void parsesRpmOutput() throws Exception {
    assertThat(RpmVaParser.parse(OUTPUT))
        .containsExactly(
            new RpmVaLine(".M.......", ' ', "/etc/demo"),
            new RpmVaLine("S.5....T.", 'c', "/etc/demo/a.conf"),
            new RpmVaLine("missing", 'c', "/etc/demo/b.conf"),
            new RpmVaLine(".....UG..", 'c', "/etc/demo/b2.conf"),
            new RpmVaLine(".M.......", ' ', "/usr/bin/demo"),
            new RpmVaLine("missing", 'd', "/usr/share/doc/demo/README"),
            new RpmVaLine("..?......", 'c', "/etc/shadow-"),
            new RpmVaLine("missing", ' ', "/usr/lib/with space"));
  }

  @Example
  void answersPerColumn() throws Exception {
    RpmVaLine l = RpmVaParser.parseLine("S.5....T.  c /etc/demo/a.conf");

    assertThat(l.has('S')).isTrue();
    assertThat(l.has('5')).isTrue();
    assertThat(l.has('T')).isTrue();
    assertThat(l.has('M')).isFalse();
    assertThat(l.missing()).isFalse();
    assertThat(RpmVaParser.parseLine("missing   c /x").has('S')).isFalse();
  }

  @Example
  void acceptsPreCapabilityEightColumnMarkers() throws Exception {
    assertThat(RpmVaParser.parseLine("S.5....T c /etc/x"))
        .isEqualTo(new RpmVaLine("S.5....T", 'c', "/etc/x"));
  }

  @Example
  void formatsAsRpmDoes() {
    assertThat(new RpmVaLine("S.5....T.", 'c', "/etc/x").format()).isEqualTo("S.5....T.  c /etc/x");
    assertThat(new RpmVaLine("missing", ' ', "/etc/y").format()).isEqualTo("missing     /etc/y");
  }

  @Example
  void rejectsMalformedLines() {
    assertFails("S.5....T.", "no space after S.5....T.");
    assertFails("S.5....T.  c etc/x", "no absolute path after S.5....T.");
    assertFails("S.5....T.  x /etc/x", "no absolute path after S.5....T.");
    assertFails("S.5  c /etc/x", "markers 'S.5' are not 8 or 9 columns");
    assertFails("5.S....T.  c /etc/x", "column 1 is '5', not S, . or ?");
    assertFails("missingc /etc/x", "no space after missing");
    assertThatThrownBy(() -> RpmVaParser.parse("S.5....T.  c /a\nbogus\n"))
        .isInstanceOf(RpmVaParseException.class)
        .hasMessage("line 2: markers 'bogus' are not 8 or 9 columns");
  }

  @Property(tries = 2000)
  void formattedLinesParseBack(@ForAll("lines") RpmVaLine line) throws Exception {
    assertThat(RpmVaParser.parseLine(line.format())).isEqualTo(line);
    assertThat(RpmVaParser.parse(line.format() + "\n")).containsExactly(line);
  }

  @Property(tries = 3000)
  void anyTextFailsOnlyWithParseException(@ForAll("noise") String text) {
    try {
      RpmVaParser.parse(text);
    } catch (RpmVaParseException e) {
      assertThat(e.getMessage()).startsWith("line ");
    }
  }

  @Provide
  Arbitrary<RpmVaLine> lines() {
    Arbitrary<String> markers =
        Arbitraries.oneOf(
            Arbitraries.just("missing"),
            Arbitraries.integers()
                .between(0, (1 << 18) - 1)
                .map(
                    bits -> {
                      StringBuilder b = new StringBuilder();
                      for (int i = 0; i < 9; i++) {
                        int v = (bits >> (2 * i)) & 3;
                        b.append(v == 0 ? '.' : v == 1 ? '?' : RpmVaLine.COLUMNS.charAt(i));
                      }
                      return b.toString();
                    }));
    Arbitrary<Character> attr = Arbitraries.of('c', 'd', 'g', 'l', 'r', ' ');
    Arbitrary<String> path =
        Arbitraries.strings()
            .withChars("abc /.-_\u00e9")
            .ofMaxLength(20)
            .map(s -> "/" + s.stripLeading());
    return Combinators.combine(markers, attr, path).as(RpmVaLine::new);
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(12),
            Arbitraries.strings().withChars("SM5DLUGTP.? cdglr/\t\nmissing").ofMaxLength(30),
            Arbitraries.of(
                "missing", "S.5....T.", "  c ", " /", "\n", "Unsatisfied dependencies for "));
    return piece.list().ofMaxSize(8).map(l -> String.join("", l));
  }

  private static void assertFails(String line, String message) {
    assertThatThrownBy(() -> RpmVaParser.parseLine(line))
        .isInstanceOf(RpmVaParseException.class)
        .hasMessage(message);
  }
}
