package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text, the parser returns sums or throws its own exception, nothing else. */
class Sha256SumsPropertiesTest {
  @Property(tries = 2000)
  void randomTextOnlyRaisesSha256SumsException(@ForAll("texts") String text) {
    assertOnlyOwnException(text);
  }

  @Property(tries = 2000)
  void mutatedSumsOnlyRaiseSha256SumsException(@ForAll("mutations") String text) {
    assertOnlyOwnException(text);
  }

  private static void assertOnlyOwnException(String text) {
    try {
      Sha256Sums sums = Sha256Sums.parse(text);
      sums.digests()
          .forEach(
              (path, hex) -> {
                assertThat(path).isNotEmpty().doesNotStartWith("./");
                assertThat(hex).matches("[0-9a-f]{64}");
              });
      sums.find("netboot/", "debian-installer/amd64/linux");
      sums.find("", "amd64/linux");
    } catch (Sha256SumsException e) {
      assertThat(e.getMessage()).matches("(?s)SHA256SUMS:\\d+: .+");
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withChars("0123456789abcdefABCDEF *./\n\r\tx\u00e9\u0660")
        .ofMaxLength(300);
  }

  @Provide
  Arbitrary<String> mutations() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 100_000),
            Arbitraries.integers().between(0, 70),
            Arbitraries.strings().withChars("0af *./\n\r\u0000é").ofMaxLength(3))
        .as(
            (at, cut, insert) -> {
              String seed = Sha256SumsTest.DEBIAN;
              int i = at % (seed.length() + 1);
              int j = Math.min(seed.length(), i + cut);
              return seed.substring(0, i) + insert + seed.substring(j);
            });
  }
}
