package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PostinstLinesTest {
  /** sudo's postinst, as Debian 12 ships it. */
  private static final String SUDO =
      "if [ -f /etc/sudoers ];then\n    chown root:root /etc/sudoers\n    chmod 440 /etc/sudoers\nfi\n";

  @Test
  void aModeNeedsAChmodNotAChown() {
    assertThat(PostinstLines.naming(SUDO, "/etc/sudoers", Set.of(Problem.MODE)))
        .isEqualTo("line 3: chmod 440 /etc/sudoers");
    assertThat(
            PostinstLines.naming(
                "chown root:root /etc/sudoers\n", "/etc/sudoers", Set.of(Problem.MODE)))
        .isNull();
  }

  @Test
  void everyProblemNeedsALineAndAllAreNamed() {
    assertThat(
            PostinstLines.naming(
                SUDO, "/etc/sudoers", Set.of(Problem.OWNER, Problem.GROUP, Problem.MODE)))
        .isEqualTo("line 2: chown root:root /etc/sudoers; line 3: chmod 440 /etc/sudoers");
    assertThat(
            PostinstLines.naming(
                "chown bind /etc/x\n", "/etc/x", Set.of(Problem.OWNER, Problem.GROUP)))
        .as("chown without a group leaves the group unexplained")
        .isNull();
  }

  @Test
  void globsVariablesAndRecursiveDirectories() {
    String bind =
        "CONF=/etc/bind\nchgrp bind \"$CONF\"/named.conf* || true\nchown -R bind: /var/cache/bind\n";
    assertThat(PostinstLines.naming(bind, "/etc/bind/named.conf.local", Set.of(Problem.GROUP)))
        .isEqualTo("line 2: chgrp bind \"$CONF\"/named.conf* || true");
    assertThat(PostinstLines.naming(bind, "/etc/bind/db.local", Set.of(Problem.GROUP))).isNull();
    assertThat(PostinstLines.naming(bind, "/var/cache/bind/x/y", Set.of(Problem.OWNER)))
        .startsWith("line 3:");
    assertThat(PostinstLines.naming("# chgrp bind /etc/x\n", "/etc/x", Set.of(Problem.GROUP)))
        .as("a comment")
        .isNull();
  }

  @Test
  void enablingFindsSystemctlAndA2ensite() {
    String systemd =
        "    systemctl ${DPKG_ROOT:+--root=\"$DPKG_ROOT\"} enable getty@tty1.service || true\n";
    assertThat(PostinstLines.enabling(systemd, "getty@tty1.service")).startsWith("line 1:");
    assertThat(PostinstLines.enabling(systemd, "getty@tty2.service")).isNull();
    assertThat(PostinstLines.enabling("\t\t\t\ta2ensite -q 000-default\n", "000-default"))
        .isEqualTo("line 1: a2ensite -q 000-default");
  }
}
