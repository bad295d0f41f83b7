package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MacsTest {
  @Test
  void everyCommonNotationNormalisesToLowerCaseColons() {
    for (String mac :
        new String[] {"aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "AABBCCDDEEFF"}) {
      assertThat(Macs.normalise(mac)).contains("aa:bb:cc:dd:ee:ff");
    }
  }

  @Test
  void mixedSeparatorsAndWrongLengthsAreMalformed() {
    for (String mac :
        new String[] {
          "aa:bb-cc:dd:ee:ff", "aa:bb:cc:dd:ee", "aabbccddeef", "gg:bb:cc:dd:ee:ff", ""
        }) {
      assertThat(Macs.normalise(mac)).as(mac).isEmpty();
    }
  }

  @Property
  void normalFormIsAFixedPoint(@ForAll @Size(6) byte[] bytes) {
    StringBuilder dotted = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      dotted.append(String.format("%02X", bytes[i] & 0xff));
      if (i % 2 == 1 && i < 5) {
        dotted.append('.');
      }
    }
    String normal = Macs.normalise(dotted.toString()).orElseThrow();

    assertThat(normal).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(Macs.normalise(normal)).contains(normal);
    assertThat(Macs.normalise(normal.replace(':', '-').toUpperCase())).contains(normal);
  }

  /** The regular expression the hand-written reader replaced: the definition it must agree with. */
  private static final java.util.regex.Pattern NOTATIONS =
      java.util.regex.Pattern.compile(
          "[0-9a-f]{2}(:[0-9a-f]{2}){5}|[0-9a-f]{2}(-[0-9a-f]{2}){5}"
              + "|[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}|[0-9a-f]{12}");

  private static java.util.Optional<String> byRegex(String mac) {
    String lower = mac.strip().toLowerCase(java.util.Locale.ROOT);
    if (!NOTATIONS.matcher(lower).matches()) {
      return java.util.Optional.empty();
    }
    String hex = lower.replaceAll("[:.-]", "");
    return java.util.Optional.of(hex.replaceAll("(..)(?!$)", "$1:"));
  }

  @Property(tries = 5000)
  void agreesWithTheRegularExpressionOnNearMacs(@ForAll("nearMacs") String mac) {
    assertThat(Macs.normalise(mac)).as(mac).isEqualTo(byRegex(mac));
  }

  @Provide
  Arbitrary<String> nearMacs() {
    Arbitrary<String> valid =
        Arbitraries.of("aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "0A1b2C3d4E5f");
    Arbitrary<String> mutated =
        Combinators.combine(valid, Arbitraries.integers().between(0, 16), nearChars())
            .as(
                (m, at, c) -> {
                  StringBuilder b = new StringBuilder(m);
                  b.setCharAt(Math.min(at, m.length() - 1), c);
                  return b.toString();
                });
    Arbitrary<String> random =
        nearChars()
            .list()
            .ofMinSize(10)
            .ofMaxSize(19)
            .map(
                l -> {
                  StringBuilder b = new StringBuilder();
                  l.forEach(b::append);
                  return b.toString();
                });
    return Arbitraries.oneOf(valid, mutated, random);
  }

  /** Hex digits of both cases, the separators, space, and look-alikes outside ASCII. */
  private static Arbitrary<Character> nearChars() {
    return Arbitraries.of(
        '0', '9', 'a', 'f', 'A', 'F', 'g', 'G', ':', '-', '.', ' ', '\u0663', '\uff21', '\uff41',
        '\u212a', '\u0130', '\t');
  }
}
