package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text, the parser returns a TreeInfo or throws its own exception, nothing else. */
class TreeInfoPropertiesTest {
  /** Random text in the file's alphabet, and known .treeinfo files mutated once or twice, 1:1. */
  @Property(tries = 4000)
  void anyTextOnlyRaisesTreeInfoException(@ForAll("texts") String text) {
    assertOnlyOwnException(text);
  }

  private static void assertOnlyOwnException(String text) {
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

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("[]=:;#\n\r \t-_./abcxyzAB09\u00e9").ofMaxLength(200),
        Arbitraries.of(TreeInfoTest.ROCKY9, TreeInfoTest.FEDORA41, TreeInfoTest.RHEL7)
            .flatMap(seed -> Mutations.of(seed, "[]=:\n #;\u0000xé", 40, 2)));
  }
}
