package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The files of an installer tree, .treeinfo and SHA256SUMS: whatever the text, each parser returns
 * its value or throws its own exception, nothing else.
 */
class DistroFilesPropertiesTest {
  /** Random text in the file's alphabet, and known .treeinfo files mutated once or twice, 1:1. */
  @Property(tries = 4000)
  void anyTextOnlyRaisesTreeInfoException(@ForAll("treeinfoTexts") String text) {
    try {
      TreeInfo info = TreeInfo.parse(text);
      assertThat(info.family()).isNotNull();
      assertThat(info.version()).isNotEmpty();
      Layout.fromTreeInfo(info);
    } catch (TreeInfoException e) {
      assertThat(e.getMessage()).matches("(?s)\\.treeinfo:\\d+: .+");
    } catch (ImportException e) {
      assertThat(e.getMessage()).startsWith(".treeinfo: ");
    }
  }

  /** Random text in the file's alphabet, and the Debian sums with a mutation or two, 1:1. */
  @Property(tries = 4000)
  void anyTextOnlyRaisesSha256SumsException(@ForAll("sumsTexts") String text) {
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
  Arbitrary<String> treeinfoTexts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("[]=:;#\n\r \t-_./abcxyzAB09\u00e9").ofMaxLength(200),
        Arbitraries.of(TreeInfoTest.ROCKY9, TreeInfoTest.FEDORA41, TreeInfoTest.RHEL7)
            .flatMap(seed -> Mutations.of(seed, "[]=:\n #;\u0000xé", 40, 2)));
  }

  @Provide
  Arbitrary<String> sumsTexts() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("0123456789abcdefABCDEF *./\n\r\tx\u00e9\u0660")
            .ofMaxLength(300),
        Mutations.of(Sha256SumsTest.DEBIAN, "0af *./\n\r\u0000é", 70, 2));
  }
}
