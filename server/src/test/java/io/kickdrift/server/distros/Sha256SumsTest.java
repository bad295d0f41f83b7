package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256SumsTest {
  static final String A = "a".repeat(64);
  static final String B = "0123456789ABCDEF".repeat(4);
  static final String C = "c".repeat(64);

  /** The shape of Debian's dists/bookworm/main/installer-amd64/current/images/SHA256SUMS. */
  static final String DEBIAN =
      A
          + "  ./netboot/debian-installer/amd64/linux\n"
          + B
          + "  ./netboot/debian-installer/amd64/initrd.gz\n"
          + C
          + "  ./netboot/gtk/debian-installer/amd64/linux\n"
          + "\n"
          + C
          + " *./cdrom/vmlinuz\r\n";

  @Test
  void parsesTextAndBinaryLinesWithOrWithoutDotSlash() throws Exception {
    Sha256Sums sums = Sha256Sums.parse(DEBIAN + A + "  plain/file\n");
    assertThat(sums.digests())
        .containsEntry("netboot/debian-installer/amd64/linux", A)
        .containsEntry("netboot/debian-installer/amd64/initrd.gz", B.toLowerCase())
        .containsEntry("cdrom/vmlinuz", C)
        .containsEntry("plain/file", A)
        .hasSize(5);
  }

  @Test
  void repeatedDotSlashPrefixesNameTheSameFile() throws Exception {
    // found by DistroFilesPropertiesTest: "././x" once kept a "./"
    assertThat(Sha256Sums.parse(A + "  ././amd64/linux\n").digests())
        .containsOnlyKeys("amd64/linux");
    assertThatThrownBy(() -> Sha256Sums.parse(A + "  ./././\n")).hasMessageContaining("empty path");
  }

  @Test
  void anEmptyFileHasNoEntries() throws Exception {
    assertThat(Sha256Sums.parse("").digests()).isEmpty();
    assertThat(Sha256Sums.parse("\n  \n").digests()).isEmpty();
  }

  @Test
  void errorsNameTheLineAndWhatWasExpected() {
    assertThatThrownBy(() -> Sha256Sums.parse(A + "  ./a\nnot a digest  ./b\n"))
        .isInstanceOf(Sha256SumsException.class)
        .hasMessage(
            "SHA256SUMS:2: 'not a digest  ./b' does not start with 64 hex digits; expected HEX "
                + " PATH");
    assertThatThrownBy(() -> Sha256Sums.parse("a".repeat(63) + "  ./a"))
        .hasMessageStartingWith("SHA256SUMS:1: ")
        .hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> Sha256Sums.parse(A))
        .hasMessage(
            "SHA256SUMS:1: no path after the digest; expected HEX, two spaces (or ' *') and a"
                + " path");
    assertThatThrownBy(() -> Sha256Sums.parse(A + "\t./a"))
        .hasMessageStartingWith("SHA256SUMS:1: no path after the digest");
    assertThatThrownBy(() -> Sha256Sums.parse(A + "  ./"))
        .hasMessage("SHA256SUMS:1: empty path after the digest; expected a file's path");
    assertThatThrownBy(() -> Sha256Sums.parse("\n" + A + "  ./a\n" + B + "  a\n"))
        .hasMessage("SHA256SUMS:3: a second digest for 'a' (first on line 2)");
  }

  @Test
  void findsTheTreesFileBelowTheParentExactlyFirst() throws Exception {
    Sha256Sums sums = Sha256Sums.parse(DEBIAN);
    assertThat(sums.find("netboot/", "debian-installer/amd64/linux"))
        .contains(new Checksum("sha256", A));
    assertThat(sums.find("netboot/", "debian-installer/amd64/initrd.gz"))
        .contains(new Checksum("sha256", B.toLowerCase()));
    assertThat(sums.find("netboot/gtk/", "debian-installer/amd64/linux"))
        .contains(new Checksum("sha256", C));
    assertThat(
            Sha256Sums.parse(A + "  ./netboot/x/debian-installer/amd64/linux\n")
                .find("netboot/", "debian-installer/amd64/linux"))
        .as("no exact entry, one suffix below netboot/")
        .contains(new Checksum("sha256", A));
    assertThat(sums.find("netboot/", "ubuntu-installer/amd64/linux")).isEmpty();
  }

  @Test
  void aFileInTheTreeMatchesByUniqueSuffix() throws Exception {
    Sha256Sums beside = Sha256Sums.parse(A + "  ./amd64/linux\n" + B + " *amd64/initrd\n");
    assertThat(beside.find("", "amd64/linux")).contains(new Checksum("sha256", A));
    Sha256Sums above = Sha256Sums.parse(A + "  ./netboot/amd64/linux\n");
    assertThat(above.find("", "amd64/linux")).contains(new Checksum("sha256", A));
    Sha256Sums two = Sha256Sums.parse(DEBIAN);
    assertThat(two.find("", "debian-installer/amd64/linux")).as("ambiguous").isEmpty();
  }

  @Test
  void lastSegmentOfTreeLocations() {
    assertThat(Layout.lastSegment("http://m:80/debian/images/netboot/")).isEqualTo("netboot");
    assertThat(Layout.lastSegment("/srv/images/netboot")).isEqualTo("netboot");
    assertThat(Layout.lastSegment("http://m:80/")).isEmpty();
    assertThat(Layout.lastSegment("/")).isEmpty();
  }

  /** A Debian netboot tree at {@code netboot}: an amd64 kernel "k" and initrd "i". */
  private static Path debianNetboot(Path netboot) throws IOException {
    Path amd64 = Files.createDirectories(netboot.resolve("debian-installer/amd64"));
    Files.writeString(amd64.resolve("linux"), "k");
    Files.writeString(amd64.resolve("initrd.gz"), "i");
    return netboot;
  }

  @Test
  void aDebianTreeIsVerifiedAgainstSha256SumsInItsParent(@TempDir Path dir) throws Exception {
    Path netboot = debianNetboot(dir.resolve("images/netboot"));
    Files.writeString(dir.resolve("images/SHA256SUMS"), DEBIAN, StandardCharsets.UTF_8);
    Layout layout = Layout.detect(new DirSource(netboot));
    assertThat(layout.kernelSum()).contains(new Checksum("sha256", A));
    assertThat(layout.initrdSum()).contains(new Checksum("sha256", B.toLowerCase()));
    assertThat(layout.checksumsFrom())
        .contains(dir.resolve("images/SHA256SUMS").toAbsolutePath().toString());

    Files.writeString(netboot.resolve("SHA256SUMS"), C + "  ./debian-installer/amd64/linux\n");
    Layout beside = Layout.detect(new DirSource(netboot));
    assertThat(beside.kernelSum()).as("the tree's own first").contains(new Checksum("sha256", C));
    assertThat(beside.initrdSum()).isEmpty();
    assertThat(beside.checksumsFrom())
        .contains(netboot.resolve("SHA256SUMS").toAbsolutePath().toString());
  }

  @Test
  void withoutSha256SumsTheLayoutSaysWhereItLooked(@TempDir Path dir) throws Exception {
    Path netboot = debianNetboot(dir.resolve("netboot"));
    Layout layout = Layout.detect(new DirSource(netboot));
    assertThat(layout.kernelSum()).isEmpty();
    assertThat(layout.checksumsFrom()).isEqualTo(Optional.empty());
    assertThat(layout.searched())
        .containsExactly(
            netboot.resolve("SHA256SUMS").toAbsolutePath().toString(),
            dir.resolve("SHA256SUMS").toAbsolutePath().toString());
  }

  @Test
  void anUnreadableSha256SumsIsAnImportErrorWithItsLocation(@TempDir Path dir) throws Exception {
    debianNetboot(dir.resolve("t"));
    Files.writeString(dir.resolve("t/SHA256SUMS"), "junk\n");
    Path sums = dir.resolve("t/SHA256SUMS").toAbsolutePath();
    assertThatThrownBy(() -> Layout.detect(new DirSource(dir.resolve("t"))))
        .isInstanceOf(ImportException.class)
        .hasMessageStartingWith(sums + ":1: 'junk' does not start with 64 hex digits");
  }
}
