package io.kickdrift.server.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text, linting returns problems (never throws), each at a line inside the text. */
class KickstartLintPropertiesTest {
  private static final String EXAMPLE;

  static {
    try {
      EXAMPLE = Files.readString(KickstartLintTest.GOOD.resolve("rhel9.ks"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String NOISE = "%#'\"\\ \n\r\t=-endpostpackagesrootpwurl";

  @Provide
  Arbitrary<String> mutated() {
    return Mutations.of(EXAMPLE, NOISE, 60, 8);
  }

  @Provide
  Arbitrary<String> noise() {
    return Arbitraries.strings().withChars(NOISE + "abc$").ofMaxLength(120);
  }

  @Property(tries = 1000)
  void mutatedKickstartsLintWithLinesInsideTheText(@ForAll("mutated") String text) {
    linesInside(text);
  }

  @Property(tries = 500)
  void arbitraryTextLintsWithLinesInsideTheText(@ForAll("noise") String text) {
    linesInside(text);
  }

  @Property(tries = 200)
  void anyStringAtAll(@ForAll String text) {
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
