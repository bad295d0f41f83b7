package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class ControlParserTest {
  private final List<String> warnings = new ArrayList<>();

  private static Tuple st(int line, Map<String, String> fields) {
    return tuple(line, fields);
  }

  /** Asserts the paragraphs parsed, each as the line it starts on and its fields. */
  private static void assertStanzas(List<Stanza> parsed, Tuple... expected) {
    assertThat(parsed).extracting(Stanza::line, Stanza::fields).containsExactly(expected);
  }

  private static Map<String, String> fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void twoParagraphsWithTheLineEachStartsOn() throws Exception {
    List<Stanza> s =
        ControlParser.parse("status", "Package: a\nVersion: 1\n\n\nPackage: b\nVersion: 2\n");

    assertStanzas(
        s,
        st(1, fields("Package", "a", "Version", "1")),
        st(5, fields("Package", "b", "Version", "2")));
  }

  @Test
  void continuationLinesJoinWithNewlineDroppingOneLeadingBlank() throws Exception {
    String text = "Package: a\nDescription: short\n long line\n .\n\tindented  more\nVersion: 1\n";

    Stanza s = ControlParser.parse("status", text).get(0);

    assertThat(s.get("Description")).isEqualTo("short\nlong line\n.\nindented  more");
    assertThat(s.get("Version")).isEqualTo("1");
  }

  @Test
  void emptyFirstLineValueKeepsLeadingNewlineForContinuations() throws Exception {
    Stanza s = ControlParser.parse("status", "Conffiles:\n /etc/a 1\n /etc/b 2\n").get(0);

    assertThat(s.get("Conffiles")).isEqualTo("\n/etc/a 1\n/etc/b 2");
  }

  @Test
  void valuesAreStrippedAndNamesCaseInsensitive() throws Exception {
    Stanza s = ControlParser.parse("status", "Package:   a  \n").get(0);

    assertThat(s.get("package")).isEqualTo("a");
    assertThat(s.get("PACKAGE")).isEqualTo("a");
    assertThat(s.get("Version")).isNull();
  }

  @Test
  void commentLinesAreSkippedAndDoNotStartAParagraph() throws Exception {
    List<Stanza> s =
        ControlParser.parse(
            "control", "# leading comment\nSource: x\n# inside\n\n# alone\n\nPackage: y\n");

    assertStanzas(s, st(2, fields("Source", "x")), st(7, fields("Package", "y")));
  }

  @Test
  void crlfLineEndingsAreAccepted() throws Exception {
    List<Stanza> s =
        ControlParser.parse(
            "status", "Package: a\r\nDescription: d\r\n more\r\n\r\nPackage: b\r\n");

    assertStanzas(
        s, st(1, fields("Package", "a", "Description", "d\nmore")), st(5, fields("Package", "b")));
  }

  @Test
  void whitespaceOnlyLineSeparatesParagraphs() throws Exception {
    assertThat(ControlParser.parse("status", "Package: a\n \t\nPackage: b"))
        .extracting(x -> x.get("Package"))
        .containsExactly("a", "b");
  }

  @Test
  void emptyAndBlankTextHaveNoParagraphs() throws Exception {
    assertThat(ControlParser.parse("status", "")).isEmpty();
    assertThat(ControlParser.parse("status", "\n\n\r\n")).isEmpty();
  }

  @Test
  void lastParagraphWithoutFinalNewlineIsKept() throws Exception {
    assertStanzas(
        ControlParser.parse("status", "Package: a\nVersion: 1"),
        st(1, fields("Package", "a", "Version", "1")));
  }

  @Test
  void strictModeFailsOnDuplicateFieldNamingFileAndLine() {
    assertThatThrownBy(() -> ControlParser.parse("status", "Package: a\nVersion: 1\nPackage: b\n"))
        .isInstanceOf(DpkgParseException.class)
        .hasMessageStartingWith("status:3: duplicate field Package");
  }

  @Test
  void strictModeFailsOnLineWithoutColon() {
    assertThatThrownBy(() -> ControlParser.parse("status", "Package: a\n\nPackage: b\nbogus\n"))
        .isInstanceOf(DpkgParseException.class)
        .hasMessageStartingWith("status:4: expected 'Field: value', got 'bogus'");
  }

  @Test
  void lenientLineWithoutColonCostsOnlyItsParagraph() {
    String text =
        "Package: a\nVersion: 1\n\n"
            + "Package: broken\nthis line has no colon\nVersion: 2\n\n"
            + "Package: c\nVersion: 3\n";

    List<Stanza> s = ControlParser.parse("/var/lib/dpkg/status", text, warnings);

    assertStanzas(
        s,
        st(1, fields("Package", "a", "Version", "1")),
        st(8, fields("Package", "c", "Version", "3")));
    assertThat(warnings)
        .containsExactly(
            "/var/lib/dpkg/status:5: expected 'Field: value', got 'this line has no colon';"
                + " paragraph skipped");
  }

  @Test
  void lenientDuplicateFieldCostsItsParagraph() {
    List<Stanza> s =
        ControlParser.parse("s", "Package: a\nVersion: 1\nVersion: 2\n\nPackage: b\n", warnings);

    assertStanzas(s, st(5, fields("Package", "b")));
    assertThat(warnings).containsExactly("s:3: duplicate field Version; paragraph skipped");
  }

  @Test
  void lenientContinuationOutsideFieldIsAWarning() {
    List<Stanza> s = ControlParser.parse("s", " orphan\nPackage: a\n\nPackage: b\n", warnings);

    assertStanzas(s, st(4, fields("Package", "b")));
    assertThat(warnings)
        .containsExactly("s:1: continuation line outside a field; paragraph skipped");
  }

  @Test
  void lenientColonInFirstColumnIsAWarning() {
    assertThat(ControlParser.parse("s", ": value\n", warnings)).isEmpty();
    assertThat(warnings)
        .containsExactly("s:1: expected 'Field: value', got ': value'; paragraph skipped");
  }

  @Test
  void longMalformedLinesAreAbbreviatedInWarnings() {
    String junk = "x".repeat(100);

    ControlParser.parse("s", junk + "\n", warnings);

    assertThat(warnings)
        .containsExactly(
            "s:1: expected 'Field: value', got '" + "x".repeat(57) + "...'; paragraph skipped");
  }

  @Test
  void brokenLastParagraphWithoutNewlineIsDropped() {
    assertStanzas(
        ControlParser.parse("s", "Package: a\n\nPackage: b\ngarbage", warnings),
        st(1, fields("Package", "a")));
    assertThat(warnings).hasSize(1).allMatch(w -> w.startsWith("s:4: "));
  }

  @Test
  void eachFieldRemembersTheLineItStartsOn() throws Exception {
    Stanza s =
        ControlParser.parse("status", "\n# c\nPackage: a\nDescription: d\n more\nconffiles:\n x\n")
            .get(0);

    assertThat(s.fieldLines())
        .containsExactly(entry("Package", 3), entry("Description", 4), entry("conffiles", 6));
    assertThat(s.lineOf("Conffiles")).isEqualTo(6);
    assertThat(s.lineOf("Version")).isEqualTo(3);
  }
}
