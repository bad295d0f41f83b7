package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RpmPackagesTest {
  private static final String MD5_A = "60b725f10c9c85c70d97880dfe8191b3";

  /** A package with a directory, a %config file, a symlink and a %ghost. */
  private static HeaderBuilder demo() {
    return new HeaderBuilder()
        .string(RpmTag.NAME, "demo")
        .string(RpmTag.VERSION, "1.2")
        .string(RpmTag.RELEASE, "3")
        .int32(RpmTag.EPOCH, 2)
        .string(RpmTag.ARCH, "noarch")
        .int32(RpmTag.FILESIZES, 4096, 2, 6, 0)
        .int16(RpmTag.FILEMODES, 040755, 0100644, 0120777, 0100640)
        .int32(RpmTag.FILEMTIMES, 1700000000, 0x80000000, 1700000002, 1700000003)
        .strings(RpmTag.FILEDIGESTS, "", MD5_A, "", "")
        .strings(RpmTag.FILELINKTOS, "", "", "a.conf", "")
        .int32(RpmTag.FILEFLAGS, 0, 1 | 16, 0, 64)
        .strings(RpmTag.FILEUSERNAME, "root", "root", "root", "root")
        .strings(RpmTag.FILEGROUPNAME, "root", "daemon", "root", "daemon")
        .int32(RpmTag.FILEVERIFYFLAGS, -1, -1, -1, -40)
        .int32(RpmTag.DIRINDEXES, 0, 1, 1, 1)
        .strings(RpmTag.BASENAMES, "demo", "a.conf", "link", "ghost")
        .strings(RpmTag.DIRNAMES, "/etc/", "/etc/demo/")
        .chars(RpmTag.FILESTATES, 0, 0, 0, 0);
  }

  private static List<PackageFile> files(HeaderBuilder b) throws Exception {
    RpmPackage p = RpmPackages.fromHeader(RpmHeader.decode(b.build()));
    return RpmPackages.files(p, p.name());
  }

  @Test
  void mapsEveryFileOfAHeader() throws Exception {
    assertThat(files(demo()))
        .containsExactly(
            new PackageFile(
                "/etc/demo",
                "demo",
                "2:1.2-3",
                null,
                Set.of(),
                new FileMeta(FileType.DIRECTORY, 0755, "root", "root", null, 4096L, 1700000000L),
                null),
            new PackageFile(
                "/etc/demo/a.conf",
                "demo",
                "2:1.2-3",
                Digest.of(DigestAlgorithm.MD5, MD5_A),
                Set.of(FileFlag.CONFIG, FileFlag.NOREPLACE),
                new FileMeta(FileType.REGULAR, 0644, "root", "daemon", null, 2L, 0x80000000L),
                null),
            new PackageFile(
                "/etc/demo/link",
                "demo",
                "2:1.2-3",
                null,
                Set.of(),
                new FileMeta(FileType.SYMLINK, 0777, "root", "root", "a.conf", 6L, 1700000002L),
                null),
            new PackageFile(
                "/etc/demo/ghost",
                "demo",
                "2:1.2-3",
                null,
                Set.of(FileFlag.GHOST),
                new FileMeta(FileType.REGULAR, 0640, "root", "daemon", null, null, null),
                null));
  }

  @Test
  void readsPackageIdentity() throws Exception {
    RpmPackage p = RpmPackages.fromHeader(RpmHeader.decode(demo().build()));

    assertThat(p.name()).isEqualTo("demo");
    assertThat(p.evr()).isEqualTo("2:1.2-3");
    assertThat(p.arch()).isEqualTo("noarch");
    assertThat(p.digestAlgo()).isNull();
  }

  @Test
  void versionHasNoEpochWhenThereIsNone() throws Exception {
    byte[] blob =
        new HeaderBuilder()
            .string(RpmTag.NAME, "x")
            .string(RpmTag.VERSION, "1")
            .string(RpmTag.RELEASE, "1.el9")
            .build();
    RpmPackage p = RpmPackages.fromHeader(RpmHeader.decode(blob));

    assertThat(p.evr()).isEqualTo("1-1.el9");
    assertThat(p.files()).isEmpty();
  }

  @Test
  void sha256DigestsFollowFiledigestalgo() throws Exception {
    String sha = "cbc80bb5c0c0f8944bf73b3a429505ac5cde16644978bc9a1e74c5755f8ca556";
    HeaderBuilder b =
        minimal("/etc/", "s.conf", 0100600)
            .strings(RpmTag.FILEDIGESTS, sha)
            .int32(RpmTag.FILEDIGESTALGO, 8);

    assertThat(files(b).get(0).digest()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, sha));
  }

  @Test
  void longFileSizesWinAndShortOnesAreUnsigned() throws Exception {
    HeaderBuilder b = minimal("/", "big", 0100644).int32(RpmTag.FILESIZES, -2);
    assertThat(files(b).get(0).meta().size()).isEqualTo(0xfffffffeL);

    b.int64(RpmTag.LONGFILESIZES, 5L << 32);
    assertThat(files(b).get(0).meta().size()).isEqualTo(5L << 32);
  }

  @Test
  void fileStatesBecomeFlags() throws Exception {
    HeaderBuilder b =
        new HeaderBuilder()
            .string(RpmTag.NAME, "x")
            .string(RpmTag.VERSION, "1")
            .string(RpmTag.RELEASE, "1")
            .int16(RpmTag.FILEMODES, 0100644, 0100644, 0100644, 0100644, 0100644, 0100644)
            .strings(RpmTag.FILEDIGESTS, MD5_A, MD5_A, MD5_A, MD5_A, MD5_A, MD5_A)
            .int32(RpmTag.FILESIZES, 2, 2, 2, 2, 2, 2)
            .int32(RpmTag.FILEMTIMES, 9, 9, 9, 9, 9, 9)
            .int32(RpmTag.DIRINDEXES, 0, 0, 0, 0, 0, 0)
            .strings(
                RpmTag.BASENAMES, "normal", "replaced", "notinst", "netshared", "color", "miss")
            .strings(RpmTag.DIRNAMES, "/")
            .chars(RpmTag.FILESTATES, 0, 1, 2, 3, 4, -1);
    List<PackageFile> f = files(b);

    assertThat(f)
        .extracting(PackageFile::flags)
        .containsExactly(
            Set.of(),
            Set.of(FileFlag.REPLACED),
            Set.of(FileFlag.NOT_INSTALLED),
            Set.of(FileFlag.NOT_INSTALLED),
            Set.of(),
            Set.of());
    // Wrong colour: rpm checks mode, owner and group only.
    assertThat(f.get(4).digest()).isNull();
    assertThat(f.get(4).meta())
        .isEqualTo(new FileMeta(FileType.REGULAR, 0644, null, null, null, null, null));
    assertThat(f.get(5).digest()).isNotNull();
  }

  @Test
  void verifyFlagsHideWhatRpmWouldNotCheck() throws Exception {
    HeaderBuilder b =
        minimal("/etc/", "v.conf", 0100644)
            .strings(RpmTag.FILEDIGESTS, MD5_A)
            .int32(RpmTag.FILESIZES, 2)
            .int32(RpmTag.FILEMTIMES, 7)
            .strings(RpmTag.FILEUSERNAME, "root")
            .strings(RpmTag.FILEGROUPNAME, "root")
            .int32(RpmTag.FILEFLAGS, 1 | 8);
    PackageFile all = files(b).get(0);
    assertThat(all.digest()).isNotNull();
    assertThat(all.meta())
        .isEqualTo(new FileMeta(FileType.REGULAR, 0644, "root", "root", null, 2L, 7L));
    assertThat(all.flags()).containsExactlyInAnyOrder(FileFlag.CONFIG, FileFlag.MISSINGOK);

    // %verify(not md5 size mtime)
    PackageFile notContent = files(b.int32(RpmTag.FILEVERIFYFLAGS, ~(1 | 2 | 32))).get(0);
    assertThat(notContent.digest()).isNull();
    assertThat(notContent.meta())
        .isEqualTo(new FileMeta(FileType.REGULAR, 0644, "root", "root", null, null, null));

    // %verify(not user group mode)
    PackageFile notOwner = files(b.int32(RpmTag.FILEVERIFYFLAGS, ~(8 | 16 | 64))).get(0);
    assertThat(notOwner.digest()).isNotNull();
    assertThat(notOwner.meta())
        .isEqualTo(new FileMeta(FileType.REGULAR, null, null, null, null, 2L, 7L));
  }

  @Test
  void docFilesAreFlagged() throws Exception {
    HeaderBuilder b = minimal("/usr/share/doc/x/", "README", 0100644).int32(RpmTag.FILEFLAGS, 2);

    assertThat(files(b).get(0).flags()).containsExactly(FileFlag.DOC);
  }

  @Test
  void rejectsInconsistentFileArrays() {
    assertMapFails(
        minimal("/", "a", 0100644).int32(RpmTag.DIRINDEXES, 1),
        "file 0: dir index 1 beyond 1 DIRNAMES");
    assertMapFails(
        minimal("/", "a", 0100644).int32(RpmTag.FILEFLAGS, 0, 0),
        "FILEFLAGS has 2 values for 1 files");
    assertMapFails(
        minimal("/", "a", 0100644).strings(RpmTag.FILEDIGESTS, "a", "b"),
        "FILEDIGESTS has 2 values for 1 files");
    assertMapFails(
        minimal("/", "a", 0100644).chars(RpmTag.FILESTATES, 9), "file /a: unknown file state 9");
    assertMapFails(new HeaderBuilder().string(RpmTag.NAME, "x"), "no VERSION tag");
    assertMapFails(
        new HeaderBuilder()
            .string(RpmTag.NAME, "x")
            .string(RpmTag.VERSION, "1")
            .string(RpmTag.RELEASE, "1")
            .strings(RpmTag.BASENAMES, "a")
            .strings(RpmTag.DIRNAMES, "/"),
        "no DIRINDEXES tag for 1 files");
  }

  /**
   * Found by RpmArchiveFuzzTest: a header whose DIRNAMES and BASENAMES are empty strings listed
   * files named "", which Info.paths and PackageFile promise are absolute (rpm -qa --queryformat
   * lines were already refused for it).
   */
  @Test
  void rejectsFileNamesThatAreNotAbsolute() {
    assertMapFails(minimal("", "", 0100644), "file 0: name '' is not absolute");
    assertMapFails(minimal("etc/", "x", 0100644), "file 0: name 'etc/x' is not absolute");
  }

  @Test
  void rejectsDigestsThatDoNotFitTheAlgorithm() {
    assertFilesFail(
        minimal("/", "a", 0100644)
            .strings(RpmTag.FILEDIGESTS, MD5_A)
            .int32(RpmTag.FILEDIGESTALGO, 8),
        "file /a: digest is not sha256");
    assertFilesFail(
        minimal("/", "a", 0100644).int32(RpmTag.FILEDIGESTALGO, 3),
        "FILEDIGESTALGO 3 not supported");
  }

  private static HeaderBuilder minimal(String dir, String base, int mode) {
    return new HeaderBuilder()
        .string(RpmTag.NAME, "x")
        .string(RpmTag.VERSION, "1")
        .string(RpmTag.RELEASE, "1")
        .int16(RpmTag.FILEMODES, mode)
        .int32(RpmTag.DIRINDEXES, 0)
        .strings(RpmTag.BASENAMES, base)
        .strings(RpmTag.DIRNAMES, dir);
  }

  private static void assertMapFails(HeaderBuilder b, String message) {
    assertThatThrownBy(() -> RpmPackages.fromHeader(RpmHeader.decode(b.build())))
        .isInstanceOf(RpmParseException.class)
        .hasMessage(message);
  }

  private static void assertFilesFail(HeaderBuilder b, String message) {
    assertThatThrownBy(() -> files(b)).isInstanceOf(RpmParseException.class).hasMessage(message);
  }
}
