package io.kickdrift.server.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.lint.KickstartVersion.Status;
import org.junit.jupiter.api.Test;

class KickstartVersionTest {
  private static KickstartVersion v(String name) {
    return KickstartVersion.parse(name).orElseThrow();
  }

  @Test
  void parsesTheVersionsOfTheTablesInAnyCase() {
    assertThat(KickstartVersion.parse("RHEL9")).map(KickstartVersion::name).contains("RHEL9");
    assertThat(KickstartVersion.parse("rhel10")).map(KickstartVersion::name).contains("RHEL10");
    assertThat(KickstartVersion.parse("F41")).map(KickstartVersion::name).contains("F41");
    assertThat(KickstartVersion.parse("DEVEL")).map(KickstartVersion::name).contains("F42");
    assertThat(KickstartVersion.parse("RHEL7")).isEmpty();
    assertThat(KickstartVersion.parse("F38")).isEmpty();
    assertThat(KickstartVersion.parse("")).isEmpty();
  }

  @Test
  void authIsDeprecatedInRhel8AndRemovedFromRhel9On() {
    assertThat(v("RHEL8").status("auth")).isEqualTo(Status.DEPRECATED);
    assertThat(v("RHEL9").status("auth")).isEqualTo(Status.REMOVED);
    assertThat(v("RHEL9").hint("authconfig")).contains("authselect");
    assertThat(v("F41").status("authselect")).isEqualTo(Status.VALID);
  }

  @Test
  void versionsDifferAsPykickstartsHandlersDo() {
    assertThat(v("RHEL8").status("timesource")).isEqualTo(Status.UNKNOWN);
    assertThat(v("RHEL9").status("timesource")).isEqualTo(Status.VALID);
    assertThat(v("F39").status("stratisfs")).isEqualTo(Status.VALID);
    assertThat(v("F41").status("stratisfs")).isEqualTo(Status.UNKNOWN);
    assertThat(v("F41").status("rhsm")).isEqualTo(Status.UNKNOWN);
    assertThat(v("RHEL10").status("rhsm")).isEqualTo(Status.VALID);
    assertThat(v("RHEL10").validCommands()).doesNotContain("auth", "method", "autostep");
  }

  @Test
  void installSourcesAreThoseTheVersionHas() {
    assertThat(v("RHEL8").installSources())
        .containsExactly("url", "nfs", "cdrom", "harddrive", "liveimg", "ostreesetup");
    assertThat(v("RHEL9").installSources()).contains("ostreecontainer").doesNotContain("bootc");
  }

  @Test
  void spellingsOfOneCommandShareAName() {
    assertThat(KickstartVersion.canonical("poweroff")).isEqualTo("reboot");
    assertThat(KickstartVersion.canonical("partition")).isEqualTo("part");
    assertThat(KickstartVersion.canonical("lang")).isEqualTo("lang");
    assertThat(KickstartVersion.repeatable("network")).isTrue();
    assertThat(KickstartVersion.repeatable("rootpw")).isFalse();
  }
}
