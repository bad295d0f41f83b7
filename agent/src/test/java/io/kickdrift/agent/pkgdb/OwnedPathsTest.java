package io.kickdrift.agent.pkgdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnedPathsTest {
  @Test
  void mergedUsrAliasesBothWays() {
    OwnedPaths o =
        OwnedPaths.of(Set.of("/bin/ls", "/usr/sbin/ip", "/etc/x"), Set.of("/bin", "/sbin"));

    assertThat(o.contains("/bin/ls")).isTrue();
    assertThat(o.contains("/usr/bin/ls")).isTrue();
    assertThat(o.contains("/sbin/ip")).isTrue();
    assertThat(o.contains("/usr/sbin/ip")).isTrue();
    assertThat(o.contains("/etc/x")).isTrue();
    assertThat(o.contains("/lib/x")).isFalse();
    assertThat(o.size()).isEqualTo(3);
  }

  @Test
  void onlyAliasedTopDirectoriesAreRewritten() {
    OwnedPaths o = OwnedPaths.of(Set.of("/bin/ls"), Set.of("/bin"));

    assertThat(o.canonical("/bin")).isEqualTo("/usr/bin");
    assertThat(o.canonical("/binary/x")).isEqualTo("/binary/x");
    assertThat(o.canonical("/lib/x")).isEqualTo("/lib/x");
    assertThat(o.canonical("/")).isEqualTo("/");
  }

  @Test
  void withoutAliasesPathsAreDistinct() {
    OwnedPaths o = OwnedPaths.of(Set.of("/bin/ls"), Set.of());

    assertThat(o.contains("/bin/ls")).isTrue();
    assertThat(o.contains("/usr/bin/ls")).isFalse();
  }
}
