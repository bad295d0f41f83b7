package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatOverrideTest {
  private static final String FILE = "/var/lib/dpkg/statoverride";
  private final List<String> warnings = new ArrayList<>();

  @Test
  void namedAndNumericOwnersWithOctalModes() {
    List<StatOverride> o =
        StatOverride.parse(
            FILE, "root ssl-cert 710 /etc/ssl/private\n#1001 #1002 04755 /usr/bin/a b\n", warnings);

    assertThat(o)
        .containsExactly(
            new StatOverride("/etc/ssl/private", "root", "ssl-cert", 0710),
            new StatOverride("/usr/bin/a b", "#1001", "#1002", 04755));
    assertThat(warnings).isEmpty();
  }

  @Test
  void malformedLinesWarnAndTheRestIsKept() {
    List<StatOverride> o =
        StatOverride.parse(
            FILE,
            "root root 0644\nroot root 9 /x\nroot root 0644 relative\n\nroot root 600 /ok\n",
            warnings);

    assertThat(o).containsExactly(new StatOverride("/ok", "root", "root", 0600));
    assertThat(warnings)
        .containsExactly(
            FILE + ":1: expected 'user group mode path'; skipped",
            FILE + ":2: expected 'user group mode path'; skipped",
            FILE + ":3: expected 'user group mode path'; skipped");
  }
}
