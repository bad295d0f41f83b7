package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepoPathsTest {
  @Test
  void hostFilesAndManifestLiveUnderHosts() {
    assertThat(RepoPaths.file("web01", "/etc/ssh/sshd_config"))
        .isEqualTo("hosts/web01/files/etc/ssh/sshd_config");
    assertThat(RepoPaths.file("web01.example.org", "/etc/alpha/with space.conf"))
        .isEqualTo("hosts/web01.example.org/files/etc/alpha/with space.conf");
    assertThat(RepoPaths.manifest("web01")).isEqualTo("hosts/web01/manifest.json");
  }

  @Test
  void hostPathIsTheInverse() {
    assertThat(RepoPaths.hostPath("web01", "hosts/web01/files/etc/x.conf"))
        .isEqualTo("/etc/x.conf");
    assertThat(RepoPaths.hostPath("web01", "hosts/web01/manifest.json")).isNull();
    assertThat(RepoPaths.hostPath("web01", "hosts/web010/files/etc/x.conf")).isNull();
  }

  @Test
  void hostNamesThatCannotNameADirectoryAreRefused() {
    for (String bad : new String[] {"", "../x", "a/b", ".hidden", "a..b", "web 01"}) {
      assertThatThrownBy(() -> RepoPaths.host(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("host name '" + bad + "'");
    }
    assertThatThrownBy(() -> RepoPaths.host(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pathsThatAreNotNormalOrThatGitRefusesAreRefused() {
    for (String bad : new String[] {"etc/x", "/", "/etc//x", "/etc/./x", "/etc/../x", "/etc/"}) {
      assertThatThrownBy(() -> RepoPaths.file("h", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> RepoPaths.file("h", "/etc/.GIT/config"))
        .hasMessage("git cannot store a file named like /etc/.GIT/config");
  }
}
