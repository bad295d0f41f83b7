package io.kickdrift.agent.fuzz;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Text inputs for property tests of parsers: arbitrary strings, strings dense in the characters
 * parsers care about, and valid samples with a few random edits (inserted separators, deleted or
 * duplicated ranges, truncation). Mutated samples reach the deep branches random text never does.
 */
public final class MutatedText {
  /** Characters that mean something to some parser here, plus a few awkward ones. */
  public static final String INTERESTING =
      "\n\n\r\t  :#/*?[]!\\-.%*^&{}0aF\u0000\u00e9\u2003\uD83D\uDE00";

  private MutatedText() {}

  /** Any of: arbitrary text, text of {@link #INTERESTING} characters, a mutated seed. */
  public static Arbitrary<String> anyOr(String... seeds) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)),
        net.jqwik.api.Tuple.of(
            2, Arbitraries.strings().withChars(INTERESTING + "abcz019").ofMaxLength(200)),
        net.jqwik.api.Tuple.of(4, mutated(seeds)));
  }

  /** A seed with one to eight random edits. */
  public static Arbitrary<String> mutated(String... seeds) {
    return Arbitraries.of(seeds).flatMap(seed -> Arbitraries.randomValue(r -> mutate(seed, r)));
  }

  static String mutate(String seed, Random r) {
    StringBuilder b = new StringBuilder(seed);
    int edits = 1 + r.nextInt(8);
    for (int i = 0; i < edits; i++) {
      int at = b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
      switch (r.nextInt(6)) {
        case 0:
          b.insert(at, INTERESTING.charAt(r.nextInt(INTERESTING.length())));
          break;
        case 1:
          b.insert(at, (char) r.nextInt(0x10000));
          break;
        case 2:
          if (b.length() > 0) {
            int end = Math.min(b.length(), at + 1 + r.nextInt(16));
            b.delete(Math.min(at, b.length() - 1), end);
          }
          break;
        case 3:
          if (b.length() > 0) {
            int from = Math.min(at, b.length() - 1);
            int end = Math.min(b.length(), from + 1 + r.nextInt(40));
            b.insert(r.nextInt(b.length() + 1), b.substring(from, end));
          }
          break;
        case 4:
          b.setLength(Math.min(b.length(), at));
          break;
        default:
          if (b.length() > 0) {
            b.setCharAt(
                Math.min(at, b.length() - 1), INTERESTING.charAt(r.nextInt(INTERESTING.length())));
          }
      }
    }
    return b.toString();
  }
}
