package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text, the parser returns sums or throws its own exception, nothing else. */
class Sha256SumsPropertiesTest {
  /** Random text in the file's alphabet, and the Debian sums with a mutation or two, 1:1. */
  @Property(tries = 4000)
  void anyTextOnlyRaisesSha256SumsException(@ForAll("texts") String text) {
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
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("0123456789abcdefABCDEF *./\n\r\tx\u00e9\u0660")
            .ofMaxLength(300),
        Mutations.of(Sha256SumsTest.DEBIAN, "0af *./\n\r\u0000é", 70, 2));
  }
}
