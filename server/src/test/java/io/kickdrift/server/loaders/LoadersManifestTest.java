package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadersManifestTest {
  static final Manifest.Entry PXELINUX =
      new Manifest.Entry(
          "pxelinux.0",
          "/usr/lib/PXELINUX/pxelinux.0",
          "pxelinux",
          "3:6.04",
          "ab12",
          42430,
          null,
          null);
  static final Manifest.Entry GRUB =
      new Manifest.Entry(
          "grubx64.efi",
          "/usr/lib/grub/x86_64-efi",
          "grub-common",
          "2.06-13",
          "cd34",
          708608,
          true,
          "linuxefi");

  @Test
  void roundTrips(@TempDir Path dir) throws IOException {
    Manifest m = new Manifest(1, List.of(PXELINUX, GRUB));
    Files.write(dir.resolve(Manifest.NAME), m.toJson());
    assertThat(Manifest.readIn(dir)).contains(m);
    assertThat(Manifest.read(dir.resolve(Manifest.NAME)).grubLinux()).contains("linuxefi");
  }

  @Test
  void writesPackageAsTheKeyAndLeavesOutUnsetFields() {
    String json = new String(new Manifest(1, List.of(PXELINUX)).toJson(), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"package\" : \"pxelinux\"")
        .doesNotContain("pkg")
        .doesNotContain("built")
        .doesNotContain("grubLinux")
        .endsWith("}\n");
  }

  @Test
  void aRootWithoutAManifestHasNone(@TempDir Path dir) throws IOException {
    assertThat(Manifest.readIn(dir)).isEmpty();
    assertThat(new Manifest(1, List.of(PXELINUX)).grubLinux()).isEqualTo(Optional.empty());
  }

  @Test
  void aBadManifestIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(Manifest.NAME);
    Files.writeString(file, "[1, 2");
    assertThatThrownBy(() -> Manifest.read(file))
        .hasMessageStartingWith(file + ": not a loaders manifest");
    Files.writeString(
        file,
        "{\"version\":1,\"files\":[{\"path\":\"grubx64.efi\",\"sha256\":\"ab\","
            + "\"grubLinux\":\"kernel\"}]}");
    assertThatThrownBy(() -> Manifest.read(file))
        .hasMessage(file + ": grubx64.efi grubLinux 'kernel'; expected linux or linuxefi");
    Files.writeString(file, "{\"version\":1,\"files\":[{\"path\":\"pxelinux.0\"}]}");
    assertThatThrownBy(() -> Manifest.read(file))
        .hasMessage(file + ": an entry without path or sha256");
  }
}
