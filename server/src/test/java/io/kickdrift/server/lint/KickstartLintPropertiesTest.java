package io.kickdrift.server.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.Mutations;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Whatever the text, linting returns problems (never throws), each at a line inside the text. */
class KickstartLintPropertiesTest {
  private static final String EXAMPLE = Mutations.seed(KickstartLintTest.GOOD.resolve("rhel9.ks"));
  private static final String NOISE = "%#'\"\\ \n\r\t=-endpostpackagesrootpwurl";

  /** Mutated kickstarts, noise made of kickstart words, and any string at all, 10:5:2. */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, Mutations.of(EXAMPLE, NOISE, 60, 8)),
        Tuple.of(5, Arbitraries.strings().withChars(NOISE + "abc$").ofMaxLength(120)),
        Tuple.of(2, Arbitraries.strings()));
  }

  @Property(tries = 1700)
  void anyTextLintsWithLinesInsideTheText(@ForAll("texts") String text) {
    linesInside(text);
  }

  private static void linesInside(String text) {
    List<LintProblem> problems = KickstartLint.lint("ks.cfg", text);
    int lines = KickstartLint.lines(text).length; // as pykickstart counts them
    if (!text.contains("#version=")) {
      assertThat(problems).as("problems of a text without a header").isNotEmpty();
    }
    assertThat(problems)
        .allSatisfy(
            p -> {
              assertThat(p.line()).as("line of %s", p).isBetween(1, lines);
              assertThat(p.message()).as("message of %s", p).isNotBlank();
              assertThat(p.toString()).startsWith("ks.cfg:" + p.line() + ": ");
            });
  }
}
