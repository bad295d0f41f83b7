package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kickdrift.agent.fuzz.MutatedText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any rule file either parses or fails with a message naming its source and line. */
class GlobRulesPropertiesTest {
  private static final String RULES =
      "# comment\n/etc/machine-id\n/etc/ssl/certs/\n*.dpkg-dist\n!/etc/keep.dpkg-dist\n"
          + "/etc/**/[abc]?.key\n/etc/[!x]y\n\\#*#\n\\!bang\n/etc/a\\*b\n";

  @Provide
  Arbitrary<String> rules() {
    return MutatedText.anyOr(RULES);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(60).map(s -> "/" + s),
        MutatedText.mutated("/etc/ssl/certs/ca.pem", "/etc/keep.dpkg-dist", "/etc/a/b/a1.key"));
  }

  @Property(tries = 300)
  void parsesOrFailsNamingSourceAndLine(
      @ForAll("rules") String text, @ForAll("paths") String path, @ForAll boolean dir) {
    GlobRules[] parsed = new GlobRules[1];
    Throwable t = catchThrowable(() -> parsed[0] = GlobRules.parse("src", text));

    if (t != null) {
      assertThat(t)
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching("(?s)src:\\d+: .*");
    } else {
      parsed[0].match(path, dir);
    }
  }
}
