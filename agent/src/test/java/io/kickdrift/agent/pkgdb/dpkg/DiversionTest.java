package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DiversionTest {
  private static final String FILE = "/var/lib/dpkg/diversions";

  @Test
  void packageAndLocalDiversions() throws Exception {
    String text =
        "/usr/bin/editor\n/usr/bin/editor.distrib\nmy-editor\n"
            + "/etc/issue\n/etc/issue.local\n:\n";

    assertThat(Diversion.parse(FILE, text))
        .containsExactly(
            new Diversion("/usr/bin/editor", "/usr/bin/editor.distrib", "my-editor"),
            new Diversion("/etc/issue", "/etc/issue.local", null));
  }

  @Test
  void missingFinalNewlineAndEmptyFileAreFine() throws Exception {
    assertThat(Diversion.parse(FILE, "/a\n/b\n:")).containsExactly(new Diversion("/a", "/b", null));
    assertThat(Diversion.parse(FILE, "")).isEmpty();
  }

  @Test
  void appliesToEveryPackageButTheDivertingOne() {
    Diversion byPkg = new Diversion("/a", "/a.distrib", "diverter");
    Diversion local = new Diversion("/a", "/a.local", null);

    assertThat(byPkg.applies("owner")).isTrue();
    assertThat(byPkg.applies("diverter")).isFalse();
    assertThat(local.applies("owner")).isTrue();
    assertThat(local.applies("diverter")).isTrue();
  }

  @Test
  void wrongLineCountNamesFileAndLine() {
    assertThatThrownBy(() -> Diversion.parse(FILE, "/a\n/b\npkg\n/c\n"))
        .isInstanceOf(DpkgParseException.class)
        .hasMessage(FILE + ":4: expected triples of lines (from, to, package), got 4");
  }

  @Test
  void relativePathNamesTheTriple() {
    assertThatThrownBy(() -> Diversion.parse(FILE, "/a\n/b\npkg\nc\n/d\npkg\n"))
        .isInstanceOf(DpkgParseException.class)
        .hasMessage(FILE + ":4: diversion paths must be absolute");
  }
}
