package io.kickdrift.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Texts for the parsers' property tests: a valid text with a few random deletions, insertions and
 * replacements of noise, duplications and truncations, so most of each text still looks right.
 */
public final class Mutations {
  private Mutations() {}

  /** The text of a seed file, read once when a test class loads (so unchecked). */
  public static String seed(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Mutation(int kind, int at, int length, String noise) {}

  /**
   * Copies of {@code text}, each with 1 to {@code most} mutations of up to {@code span} characters,
   * inserting strings of {@code noise}.
   */
  public static Arbitrary<String> of(String text, String noise, int span, int most) {
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, text.length()),
                Arbitraries.integers().between(0, span),
                Arbitraries.strings().withChars(noise).ofMaxLength(8))
            .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(most).map(ms -> apply(text, ms));
  }

  private static String apply(String original, List<Mutation> mutations) {
    String text = original;
    for (Mutation m : mutations) {
      int at = Math.min(m.at(), text.length());
      int end = Math.min(text.length(), at + m.length());
      text =
          switch (m.kind()) {
            case 0 -> text.substring(0, at) + text.substring(end); // delete
            case 1 -> text.substring(0, at) + m.noise() + text.substring(at); // insert
            case 2 -> text.substring(0, at) + m.noise() + text.substring(end); // replace
            case 3 -> text.substring(0, end) + text.substring(at); // duplicate
            default -> text.substring(0, at); // truncate
          };
    }
    return text;
  }
}
