package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentlessShadowTest {
  static byte[] tar(String[]... entries) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
      for (String[] e : entries) {
        if (e[0].equals("link")) {
          TarArchiveEntry l = new TarArchiveEntry(e[1], TarConstants.LF_SYMLINK);
          l.setLinkName(e[2]);
          t.putArchiveEntry(l);
        } else {
          byte[] data = e[2].getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry f = new TarArchiveEntry(e[1]);
          f.setSize(data.length);
          t.putArchiveEntry(f);
          t.write(data);
        }
        t.closeArchiveEntry();
      }
    }
    return b.toByteArray();
  }

  @Test
  void unpacksFilesAndOnlyMergedUsrLinksThenDeletesItAll() throws Exception {
    byte[] tar =
        tar(
            new String[] {"file", "var/lib/dpkg/status", "Package: a\n"},
            new String[] {"link", "bin", "usr/bin"},
            new String[] {"link", "var/lib/dpkg/info/a.list", "/etc/shadow"});
    Path root;
    try (AgentlessShadow s = AgentlessShadow.unpack("tar", new ByteArrayInputStream(tar))) {
      root = s.root();
      assertThat(root.resolve("var/lib/dpkg/status")).hasContent("Package: a");
      assertThat(Files.readSymbolicLink(root.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
      assertThat(root.resolve("var/lib/dpkg/info/a.list")).doesNotExist();
    }
    assertThat(root).doesNotExist();
  }

  @Test
  void refusesNamesOutsideTheRoot() throws Exception {
    byte[] tar = tar(new String[] {"file", "../escaped", "x"});
    assertThatThrownBy(
            () -> AgentlessShadow.unpack("tar of the dpkg database", new ByteArrayInputStream(tar)))
        .isInstanceOf(AgentlessParseException.class)
        .hasMessage("tar of the dpkg database: tar entry: name outside the root: '../escaped'");
  }

  @Test
  void theCommandTarsWhatExists(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    Files.writeString(root.resolve("var/lib/dpkg/info/a.list"), "/etc/a\n");
    Files.writeString(root.resolve("var/lib/dpkg/info/a.postinst"), "#!/bin/sh\n");
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    RemoteShell.Output o =
        new LocalShell()
            .run(
                AgentlessShadow.command(root.toString(), AgentlessBackend.dpkg("", false).files()));
    assertThat(o.exit()).as(o.stderr()).isZero();
    try (AgentlessShadow s = AgentlessShadow.unpack("tar", new ByteArrayInputStream(o.stdout()))) {
      assertThat(s.root().resolve("var/lib/dpkg/info/a.list")).hasContent("/etc/a");
      assertThat(s.root().resolve("var/lib/dpkg/info/a.postinst")).doesNotExist();
      assertThat(Files.isSymbolicLink(s.root().resolve("lib"))).isTrue();
      assertThat(s.root().resolve("usr")).doesNotExist();
    }
  }

  @Test
  void namesWithANewlineOrALeadingDashAreTarredAsThemselves(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    Files.writeString(root.resolve("var/lib/dpkg/info/a\nb.list"), "/etc/ab\n");
    Files.writeString(root.resolve("-C"), "");
    RemoteShell.Output o =
        new LocalShell()
            .run(
                AgentlessShadow.command(
                    root.toString(), "var/lib/dpkg/status var/lib/dpkg/info/*.list -C"));
    assertThat(o.exit()).as(o.stderr()).isZero();
    try (AgentlessShadow s = AgentlessShadow.unpack("tar", new ByteArrayInputStream(o.stdout()))) {
      assertThat(s.root().resolve("var/lib/dpkg/info/a\nb.list")).hasContent("/etc/ab");
      assertThat(s.root().resolve("-C")).exists();
    }
  }
}
