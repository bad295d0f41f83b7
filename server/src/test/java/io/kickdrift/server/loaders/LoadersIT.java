package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kickdrift loaders} (the jar) on this Debian machine, against its real packages: the files
 * and their sha256 against the package files ({@code sha256sum}), packages and versions against
 * {@code dpkg-query}, the built GRUB against {@code file}.
 */
class LoadersIT {
  private static final List<String> DEBIAN_PACKAGES =
      List.of(
          "pxelinux",
          "syslinux-common",
          "grub-efi-amd64-signed",
          "grub-efi-amd64-bin",
          "shim-signed",
          "ipxe");

  @TempDir Path dir;

  @BeforeAll
  static void requirePeers() throws Exception {
    Cmd.requireAll(
        "dpkg-query=dpkg", "grub-mkimage=grub-common", "file=file", "sha256sum=coreutils");
    for (String pkg : DEBIAN_PACKAGES) {
      Cmd.Result r = Cmd.run(List.of("dpkg-query", "-W", "-f=${Status}", pkg));
      assertThat(r.out())
          .as("%s is not installed: apt-get install -y %s (see .ci/run)", pkg, pkg)
          .isEqualTo("install ok installed");
    }
  }

  private Cmd.Result loaders(Path root, String... extra) throws Exception {
    String[] args =
        Stream.concat(Stream.of("loaders", "--out", root.toString()), Stream.of(extra))
            .toArray(String[]::new);
    return Cmd.kickdrift(args);
  }

  private static String sha256sum(Path file) throws Exception {
    return Cmd.ok("sha256sum", file.toString()).out().split(" ")[0];
  }

  private static Map<String, FileTime> mtimes(Path root) throws Exception {
    Map<String, FileTime> times = new HashMap<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path f : files.toList()) {
        times.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
      }
    }
    return times;
  }

  @Test
  void copiesEveryFileFromItsPackageWithDpkgsNameAndVersion() throws Exception {
    Path root = dir.resolve("tftp");
    Cmd.Result r = loaders(root);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("11 copied (0 built), 0 unchanged, 0 refused, 0 missing");
    Manifest m = Manifest.readIn(root).orElseThrow();
    assertThat(m.files())
        .extracting(Manifest.Entry::path)
        .containsExactlyElementsOf(
            Catalog.forFamily(OsFamily.DEBIAN).stream().map(Wanted::target).toList());
    for (Manifest.Entry e : m.files()) {
      Path copy = root.resolve(e.path());
      assertThat(sha256sum(copy)).as(e.path()).isEqualTo(e.sha256());
      assertThat(sha256sum(Path.of(e.source()))).as(e.source()).isEqualTo(e.sha256());
      assertThat(Files.size(copy)).isEqualTo(e.size());
      String owner = Cmd.ok("dpkg-query", "-S", e.source()).out();
      assertThat(owner).as(e.path()).matches(e.pkg() + "(:[a-z0-9]+)?: " + e.source() + "\n");
      String version = Cmd.ok("dpkg-query", "-W", "-f=${Version}", e.pkg()).out();
      assertThat(e.version()).as(e.path()).isEqualTo(version);
      assertThat(r.out()).contains("copied " + e.path() + "  " + e.pkg() + " " + version);
    }
    Manifest.Entry grub = m.entry("grubx64.efi").orElseThrow();
    assertThat(grub.pkg()).isEqualTo("grub-efi-amd64-signed");
    assertThat(grub.grubLinux()).isEqualTo("linux");
    assertThat(grub.built()).isNull();
    assertThat(m.entry("shimx64.efi").orElseThrow().pkg()).isEqualTo("shim-signed");
  }

  @Test
  void aSecondRunChangesNothingAndKeepsMtimes() throws Exception {
    Path root = dir.resolve("tftp");
    assertThat(loaders(root).exit()).isZero();
    Map<String, FileTime> before = mtimes(root);
    Thread.sleep(20);
    Cmd.Result again = loaders(root);
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    assertThat(again.out())
        .contains("0 copied (0 built), 11 unchanged, 0 refused, 0 missing; nothing changed");
    assertThat(mtimes(root)).isEqualTo(before);
  }

  @Test
  void theBuiltGrubIsAPe32PlusEfiApplicationAndRecordedAsBuilt() throws Exception {
    Path root = dir.resolve("tftp");
    Cmd.Result r = loaders(root, "--build-grub");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("built grubx64.efi  grub-common ");
    Path grub = root.resolve("grubx64.efi");
    assertThat(Cmd.ok("file", "-b", grub.toString()).out())
        .startsWith("PE32+ executable (EFI application) x86-64");
    assertThat(GrubImage.isEfiApplication(Files.readAllBytes(grub))).isTrue();
    Manifest.Entry e = Manifest.readIn(root).orElseThrow().entry("grubx64.efi").orElseThrow();
    assertThat(e.built()).isTrue();
    assertThat(e.pkg()).isEqualTo("grub-common");
    assertThat(e.version())
        .isEqualTo(Cmd.ok("dpkg-query", "-W", "-f=${Version}", "grub-common").out());
    assertThat(e.sha256()).isEqualTo(sha256sum(grub));
    assertThat(e.grubLinux()).isEqualTo("linux");
  }

  @Test
  void aUserFileIsRefusedAndKeptUntilForce() throws Exception {
    Path root = Files.createDirectories(dir.resolve("tftp"));
    Files.writeString(root.resolve("shimx64.efi"), "my own shim");
    Cmd.Result r = loaders(root);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("refused: " + root.resolve("shimx64.efi"))
        .contains("--force replaces it")
        .contains("10 copied (0 built), 0 unchanged, 1 refused, 0 missing");
    assertThat(root.resolve("shimx64.efi")).hasContent("my own shim");

    Cmd.Result forced = loaders(root, "--force");
    assertThat(forced.exit()).as(forced.out() + forced.err()).isZero();
    assertThat(sha256sum(root.resolve("shimx64.efi")))
        .isEqualTo(sha256sum(Path.of("/usr/lib/shim/shimx64.efi.signed")));
  }

  @Test
  void aMissingFileNamesThePackageToInstall() throws Exception {
    Path system = dir.resolve("system");
    Files.createDirectories(system.resolve("etc"));
    Files.copy(Path.of("/etc/os-release"), system.resolve("etc/os-release"));
    for (Wanted w : Catalog.forFamily(OsFamily.DEBIAN)) {
      if (!w.target().equals("shimx64.efi")) {
        Path copy = Loaders.inRoot(system, w.sources().get(0));
        Files.createDirectories(copy.getParent());
        Files.copy(Path.of(w.sources().get(0)), copy);
      }
    }
    Path root = dir.resolve("tftp");
    Cmd.Result r = loaders(root, "--system-root", system.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("missing: shimx64.efi — apt-get install shim-signed")
        .contains("10 copied (0 built), 0 unchanged, 0 refused, 1 missing");
    assertThat(root.resolve("shimx64.efi")).doesNotExist();
    assertThat(root.resolve("grubx64.efi")).exists();
  }

  @Test
  void anUnwritableRootIsAnError() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    Cmd.Result r = loaders(file.resolve("tftp"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("kickdrift loaders: ").contains("not-a-dir");
  }
}
