package io.kickdrift.agent.pkgdb.dpkg;

import static io.kickdrift.agent.pkgdb.dpkg.DpkgRootBuilder.md5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgReaderTest {
  private static final String STATUS = "/var/lib/dpkg/status";

  @TempDir Path root;

  private static Digest digestOf(String content) {
    return Digest.of(DigestAlgorithm.MD5, md5(content));
  }

  private static PackageFile file(
      String path, String pkg, String version, String content, Set<FileFlag> flags) {
    return new PackageFile(
        path, pkg, version, content == null ? null : digestOf(content), flags, null, null);
  }

  private static Set<FileFlag> none() {
    return EnumSet.noneOf(FileFlag.class);
  }

  /** The synthetic host most tests here read; each part is explained where it is declared. */
  private PackageDatabase readHost() throws IOException {
    // merged-/usr: /bin is a link to usr/bin.
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    DpkgRootBuilder b = DpkgRootBuilder.in(root);
    // A corrupted paragraph first: its loss must not hide the packages after it.
    b.rawStanza("Package: broken\nStatus: install ok installed\nthis is not a field\n");
    b.pkg("libfoo")
        .version("2.0")
        .multiArchSame()
        .dir("/etc/foo")
        .conffile("/etc/foo/foo.conf", "a=1\n")
        .file("/usr/lib/libfoo.so.1", "ELF-foo");
    // nano 1.0 in status; the updates journal says 1.1 with a new conffile hash and an obsolete
    // conffile. Its /usr/bin/nano is diverted by nano-wrapper, its md5sums has a bad line.
    b.pkg("nano")
        .conffile("/etc/nanorc", "old\n")
        .listed("/usr/bin/nano")
        .file("/usr/share/doc/nano/README", "doc");
    b.update(
        "0001",
        "Package: nano\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.1\n"
            + "Conffiles:\n /etc/nanorc "
            + md5("new\n")
            + "\n /etc/nano-old.conf "
            + md5("gone\n")
            + " obsolete\n");
    b.info(
        "nano.md5sums",
        md5("nano-bin")
            + "  usr/bin/nano\n"
            + "GARBAGE LINE\n"
            + md5("doc")
            + "  usr/share/doc/nano/README\n");
    b.write("/usr/bin/nano.real", "nano-bin");
    b.pkg("nano-wrapper").file("/usr/bin/nano", "wrapper");
    b.diversions("/usr/bin/nano\n/usr/bin/nano.real\nnano-wrapper\n");
    // ucf tracks sshd_config; the package does not list it as a conffile.
    b.pkg("openssh-server").version("1:9.2p1-2").dir("/etc/ssh");
    b.ucf(md5("Port 22\n") + "  /etc/ssh/sshd_config\n", "openssh-server /etc/ssh/sshd_config\n");
    b.pkg("oldpkg").configFilesOnly().conffile("/etc/oldpkg.conf", "keep\n");
    b.pkg("dash").file("/bin/sh", "dash");
    b.statOverride("root adm 640 /etc/foo/foo.conf\n");
    b.alternative(
        "editor",
        "auto\n/usr/bin/editor\neditor.1.gz\n/usr/share/man/man1/editor.1.gz\n\n"
            + "/usr/bin/nano\n40\n/usr/share/man/man1/nano.1.gz\n\n");
    b.build();
    return DpkgReader.read(root);
  }

  @Test
  void readsEveryFileWithWhatTheDatabaseRecords() throws IOException {
    PackageDatabase db = readHost();

    assertThat(db.backend().label()).isEqualTo("dpkg");
    assertThat(db.metadataChecked()).isFalse();
    assertThat(db.files())
        .containsExactlyInAnyOrder(
            file("/etc/foo", "libfoo:amd64", "2.0", null, none()),
            file("/etc/foo/foo.conf", "libfoo:amd64", "2.0", "a=1\n", EnumSet.of(FileFlag.CONFIG))
                .withMeta(new FileMeta(null, 0640, "root", "adm", null, null, null)),
            file("/usr/lib/libfoo.so.1", "libfoo:amd64", "2.0", "ELF-foo", none()),
            file("/etc/nanorc", "nano", "1.1", "new\n", EnumSet.of(FileFlag.CONFIG)),
            file("/usr/bin/nano", "nano", "1.1", "nano-bin", none())
                .withActualPath("/usr/bin/nano.real"),
            file("/usr/share/doc/nano/README", "nano", "1.1", "doc", none()),
            file("/usr/bin/nano", "nano-wrapper", "1.0", "wrapper", none()),
            file("/etc/ssh", "openssh-server", "1:9.2p1-2", null, none()),
            file(
                "/etc/ssh/sshd_config",
                "openssh-server",
                "1:9.2p1-2",
                "Port 22\n",
                EnumSet.of(FileFlag.CONFIG, FileFlag.UCF)),
            file("/etc/oldpkg.conf", "oldpkg", "1.0", "keep\n", EnumSet.of(FileFlag.CONFIG)),
            file("/bin/sh", "dash", "1.0", "dash", none()));
  }

  @Test
  void warnsAboutTheCorruptedParagraphAndTheBadChecksumLineOnly() throws IOException {
    PackageDatabase db = readHost();

    assertThat(db.warnings())
        .containsExactly(
            STATUS + ":3: expected 'Field: value', got 'this is not a field'; paragraph skipped",
            "/var/lib/dpkg/info/nano.md5sums:2: expected '<32 hex digits>  <path>',"
                + " got 'GARBAGE LINE'; line skipped");
  }

  @Test
  void ownedPathsCoverListsConffilesDiversionsUcfAndMergedUsr() throws IOException {
    PackageDatabase db = readHost();

    assertThat(db.owned().contains("/etc/foo/foo.conf")).isTrue();
    assertThat(db.owned().contains("/usr/bin/nano.real")).as("diversion target").isTrue();
    assertThat(db.owned().contains("/etc/nano-old.conf")).as("obsolete conffile").isTrue();
    assertThat(db.owned().contains("/etc/oldpkg.conf")).as("config-files package").isTrue();
    assertThat(db.owned().contains("/etc/ssh/sshd_config")).as("ucf").isTrue();
    assertThat(db.owned().contains("/bin/sh")).isTrue();
    assertThat(db.owned().contains("/usr/bin/sh")).as("merged-/usr twin").isTrue();
    assertThat(db.owned().contains("/etc/unrelated")).isFalse();
    assertThat(db.owned().contains("/")).as("the '/.' list entry").isFalse();
    assertThat(db.owned().size()).as("nano and nano-wrapper share /usr/bin/nano").isEqualTo(12);
  }

  @Test
  void alternativesLinksAreManaged() throws IOException {
    assertThat(readHost().managedLinks())
        .containsExactlyInAnyOrder(
            "/etc/alternatives/editor",
            "/usr/bin/editor",
            "/etc/alternatives/editor.1.gz",
            "/usr/share/man/man1/editor.1.gz");
  }

  @Test
  void multiArchPackageFallsBackToUnqualifiedInfoFiles() throws IOException {
    // Installed before Multi-Arch: status says "same" but info files are plain libold.list.
    DpkgRootBuilder b = DpkgRootBuilder.in(root);
    b.rawStanza(
        "Package: libold\nStatus: install ok installed\nArchitecture: i386\nMulti-Arch: same\n"
            + "Version: 3\n");
    b.info("libold.list", "/.\n/usr/lib/libold.so\n");
    b.info("libold.md5sums", md5("old") + "  usr/lib/libold.so\n");
    b.build();

    assertThat(DpkgReader.read(root).files())
        .containsExactly(file("/usr/lib/libold.so", "libold:i386", "3", "old", none()));
  }

  @Test
  void installedPackageWithoutFileListWarnsAndKeepsItsConffiles() throws IOException {
    DpkgRootBuilder b = DpkgRootBuilder.in(root);
    b.rawStanza(
        "Package: nolist\nStatus: install ok installed\nVersion: 1\nConffiles:\n /etc/n "
            + md5("n")
            + "\n /etc/fresh newconffile\n /etc/rm "
            + md5("r")
            + " remove-on-upgrade\n");
    b.build();

    PackageDatabase db = DpkgReader.read(root);

    assertThat(db.files())
        .containsExactly(file("/etc/n", "nolist", "1", "n", EnumSet.of(FileFlag.CONFIG)));
    assertThat(db.warnings())
        .containsExactly(
            "/var/lib/dpkg/info/nolist.list: missing; package nolist (installed) has no file"
                + " list, only its conffiles are checked");
  }

  @Test
  void removeOnUpgradeConffileInTheListIsFlagged() throws IOException {
    DpkgRootBuilder.in(root)
        .pkg("p")
        .listed("/etc/r")
        .conffileLine("/etc/r " + md5("r") + " remove-on-upgrade")
        .end()
        .build();

    assertThat(DpkgReader.read(root).files())
        .containsExactly(
            file(
                "/etc/r",
                "p",
                "1.0",
                "r",
                EnumSet.of(FileFlag.CONFIG, FileFlag.REMOVE_ON_UPGRADE)));
  }

  @Test
  void notInstalledPackageContributesNothing() throws IOException {
    DpkgRootBuilder.in(root).pkg("purged").status("purge ok not-installed").end().build();

    PackageDatabase db = DpkgReader.read(root);

    assertThat(db.files()).isEmpty();
    assertThat(db.warnings()).isEmpty();
  }

  @Test
  void brokenDiversionsFileIsAWarningNotAFailure() throws IOException {
    DpkgRootBuilder.in(root).pkg("p").file("/usr/bin/p", "p").end().diversions("/a\n/b\n").build();

    PackageDatabase db = DpkgReader.read(root);

    assertThat(db.files()).extracting(PackageFile::actualPath).containsExactly("/usr/bin/p");
    assertThat(db.warnings())
        .containsExactly(
            "/var/lib/dpkg/diversions:2: expected triples of lines (from, to, package), got 2;"
                + " diversions ignored");
  }

  @Test
  void presenceAndMissingStatus() throws IOException {
    assertThat(DpkgReader.present(root)).isFalse();
    assertThatThrownBy(() -> DpkgReader.read(root))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("var/lib/dpkg/status");

    DpkgRootBuilder.in(root).build();

    assertThat(DpkgReader.present(root)).isTrue();
    assertThat(DpkgReader.read(root).files()).isEmpty();
  }

  @Test
  void aStatusFileWithNothingReadableFailsTheScanInsteadOfMakingEverythingUnowned()
      throws IOException {
    DpkgRootBuilder.in(root).rawStanza("garbage without a colon\nmore garbage").build();

    assertThatThrownBy(() -> DpkgReader.read(root))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("/var/lib/dpkg/status: no package could be read; first problem:")
        .hasMessageContaining("status:1: expected 'Field: value'");
  }
}
