package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run over a made-up system root (RHEL layout) with a fake package manager. */
class LoadersRunTest {
  @TempDir Path system;
  @TempDir Path tftp;

  private final Loaders loaders =
      new Loaders(new PackageOwner(OsFamily.RHEL, argv -> Optional.of("fake-pkg 1.0-1.el9\n")));

  @BeforeEach
  void installEverything() throws IOException {
    for (Wanted w : Catalog.forFamily(OsFamily.RHEL)) {
      Path file = Loaders.inRoot(system, w.sources().get(w.sources().size() - 1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, "content of " + w.target());
    }
  }

  private Loaders.Result run(boolean force) throws IOException {
    return loaders.run(new Loaders.Settings(tftp, system, OsFamily.RHEL, force, false));
  }

  @Test
  void copiesEverythingThenChangesNothing() throws IOException {
    Loaders.Result first = run(false);
    assertThat(first.count(Loaders.Status.COPIED)).isEqualTo(11);
    assertThat(first.complete()).isTrue();
    assertThat(tftp.resolve("grubx64.efi")).hasContent("content of grubx64.efi");
    Manifest m = Manifest.readIn(tftp).orElseThrow();
    assertThat(m.entry("grubx64.efi").orElseThrow())
        .isEqualTo(
            new Manifest.Entry(
                "grubx64.efi",
                "/boot/efi/EFI/fedora/grubx64.efi",
                "fake-pkg",
                "1.0-1.el9",
                Loaders.sha256("content of grubx64.efi".getBytes(StandardCharsets.UTF_8)),
                22,
                null,
                "linux"));
    Loaders.Result second = run(false);
    assertThat(second.count(Loaders.Status.UNCHANGED)).isEqualTo(11);
    assertThat(second.manifestWritten()).isFalse();
  }

  @Test
  void aUserFileIsRefusedAndKeptUntilForced() throws IOException {
    Files.writeString(tftp.resolve("shimx64.efi"), "my own shim");
    Loaders.Result refused = run(false);
    assertThat(refused.complete()).isFalse();
    assertThat(refused.outcomes())
        .filteredOn(o -> o.status() == Loaders.Status.REFUSED)
        .singleElement()
        .satisfies(o -> assertThat(o.message()).contains("shimx64.efi").contains("--force"));
    assertThat(tftp.resolve("shimx64.efi")).hasContent("my own shim");
    assertThat(Manifest.readIn(tftp).orElseThrow().entry("shimx64.efi")).isEmpty();

    Loaders.Result forced = run(true);
    assertThat(forced.complete()).isTrue();
    assertThat(tftp.resolve("shimx64.efi")).hasContent("content of shimx64.efi");
  }

  @Test
  void aFileEditedAfterItWasLaidDownIsTheUsers() throws IOException {
    run(false);
    Files.writeString(tftp.resolve("pxelinux.0"), "patched");
    assertThat(run(false).count(Loaders.Status.REFUSED)).isEqualTo(1);
    assertThat(tftp.resolve("pxelinux.0")).hasContent("patched");
  }

  @Test
  void kickdriftsOwnFileIsUpdatedWhenThePackageChanges() throws IOException {
    run(false);
    Files.writeString(Loaders.inRoot(system, "/usr/share/ipxe/undionly.kpxe"), "newer ipxe");
    Loaders.Result again = run(false);
    assertThat(again.count(Loaders.Status.COPIED)).isEqualTo(1);
    assertThat(tftp.resolve("undionly.kpxe")).hasContent("newer ipxe");
  }

  @Test
  void aMissingFileNamesItsPackage() throws IOException {
    Files.delete(Loaders.inRoot(system, "/boot/efi/EFI/fedora/shimx64.efi"));
    Loaders.Result r = run(false);
    assertThat(r.complete()).isFalse();
    assertThat(r.outcomes())
        .filteredOn(o -> o.status() == Loaders.Status.MISSING)
        .singleElement()
        .satisfies(o -> assertThat(o.message()).isEqualTo("shimx64.efi — dnf install shim-x64"));
  }

  @Test
  void anUnwritableRootIsAnError() throws IOException {
    Path file = tftp.resolve("a-file");
    Files.writeString(file, "x");
    assertThatThrownBy(
            () ->
                loaders.run(
                    new Loaders.Settings(
                        file.resolve("root"), system, OsFamily.RHEL, false, false)))
        .isInstanceOf(IOException.class);
  }
}
