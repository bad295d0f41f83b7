package io.kickdrift.agent.pkgdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PackageSourceTest {
  /** Reports and snapshots written before the enum carry these exact names. */
  @Test
  void labelsAreTheNamesReportsAlwaysCarried() {
    assertThat(PackageSource.values())
        .extracting(PackageSource::label)
        .containsExactly("dpkg", "rpm-sqlite", "rpm-query", "dpkg --verify", "rpm -Va");
    for (PackageSource s : PackageSource.values()) {
      assertThat(PackageSource.ofLabel(s.label())).isSameAs(s);
      assertThat(s.toString()).isEqualTo(s.label());
    }
  }

  @Test
  void jsonCarriesTheLabel() throws Exception {
    ObjectMapper m = new ObjectMapper();
    assertThat(m.writeValueAsString(PackageSource.RPM_VA)).isEqualTo("\"rpm -Va\"");
    assertThat(m.readValue("\"rpm-sqlite\"", PackageSource.class))
        .isEqualTo(PackageSource.RPM_SQLITE);
  }

  @Test
  void onlyRpmSourcesAreRpm() {
    assertThat(PackageSource.values())
        .filteredOn(PackageSource::isRpm)
        .containsExactly(PackageSource.RPM_SQLITE, PackageSource.RPM_QUERY, PackageSource.RPM_VA);
  }

  @Test
  void anUnknownLabelNamesItAndTheKnownOnes() {
    assertThatThrownBy(() -> PackageSource.ofLabel("apk"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown package backend 'apk', expected one of: dpkg, rpm-sqlite, rpm-query,"
                + " dpkg --verify, rpm -Va");
  }
}
