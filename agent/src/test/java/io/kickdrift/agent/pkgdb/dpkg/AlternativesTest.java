package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlternativesTest {
  @Test
  void masterAndSlaveLinks() {
    String text =
        "auto\n/usr/bin/editor\n"
            + "editor.1.gz\n/usr/share/man/man1/editor.1.gz\n"
            + "editor.fr.1.gz\n/usr/share/man/fr/man1/editor.1.gz\n"
            + "\n"
            + "/bin/nano\n40\n/usr/share/man/man1/nano.1.gz\n\n";

    assertThat(Alternatives.managedLinks("editor", text))
        .containsExactly(
            "/etc/alternatives/editor",
            "/usr/bin/editor",
            "/etc/alternatives/editor.1.gz",
            "/usr/share/man/man1/editor.1.gz",
            "/etc/alternatives/editor.fr.1.gz",
            "/usr/share/man/fr/man1/editor.1.gz");
  }

  @Test
  void masterOnly() {
    assertThat(Alternatives.managedLinks("awk", "auto\n/usr/bin/awk\n\n/usr/bin/mawk\n5\n\n"))
        .containsExactly("/etc/alternatives/awk", "/usr/bin/awk");
  }

  @Test
  void truncatedFileStillNamesTheAlternativeLink() {
    assertThat(Alternatives.managedLinks("x", "")).containsExactly("/etc/alternatives/x");
    assertThat(Alternatives.managedLinks("x", "auto\nnot-absolute\n"))
        .containsExactly("/etc/alternatives/x");
  }
}
