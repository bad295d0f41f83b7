package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text, the parser returns a TreeInfo or throws its own exception, nothing else. */
class TreeInfoPropertiesTest {
  @Property(tries = 2000)
  void randomTextOnlyRaisesTreeInfoException(@ForAll("texts") String text) {
    assertOnlyOwnException(text);
  }

  @Property(tries = 2000)
  void mutatedTreeinfoOnlyRaisesTreeInfoException(@ForAll("mutations") String text) {
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
    return Arbitraries.strings().withChars("[]=:;#\n\r \t-_./abcxyzAB09\u00e9").ofMaxLength(200);
  }

  @Provide
  Arbitrary<String> mutations() {
    String[] seeds = {TreeInfoTest.ROCKY9, TreeInfoTest.FEDORA41, TreeInfoTest.RHEL7};
    return Combinators.combine(
            Arbitraries.of(seeds),
            Arbitraries.integers().between(0, 100_000),
            Arbitraries.integers().between(0, 40),
            Arbitraries.strings().withChars("[]=:\n #;\u0000xé").ofMaxLength(3))
        .as(
            (seed, at, cut, insert) -> {
              int i = at % (seed.length() + 1);
              int j = Math.min(seed.length(), i + cut);
              return seed.substring(0, i) + insert + seed.substring(j);
            });
  }
}
