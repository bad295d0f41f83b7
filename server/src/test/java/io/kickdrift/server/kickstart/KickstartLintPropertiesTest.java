package io.kickdrift.server.kickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, EXAMPLE.length()),
                Arbitraries.integers().between(0, 60),
                Arbitraries.strings().withChars(NOISE).ofMaxLength(8))
            .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(8).map(KickstartLintPropertiesTest::apply);
  }

  private record Mutation(int kind, int at, int length, String noise) {}

  private static String apply(List<Mutation> mutations) {
    String text = EXAMPLE;
    for (Mutation m : mutations) {
      int at = Math.min(m.at(), text.length());
      int end = Math.min(text.length(), at + m.length());
      text =
          switch (m.kind()) {
            case 0 -> text.substring(0, at) + text.substring(end); // delete
            case 1 -> text.substring(0, at) + m.noise() + text.substring(at); // insert
            case 2 -> text.substring(0, at) + m.noise() + text.substring(end); // replace
            default -> text.substring(0, at); // truncate
          };
    }
    return text;
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
    int lines = text.split("\n", -1).length;
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
