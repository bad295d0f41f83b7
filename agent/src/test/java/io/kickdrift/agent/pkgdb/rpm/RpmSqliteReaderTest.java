package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpmSqliteReaderTest {
  @TempDir Path root;

  @Test
  void readsTheCapturedDatabaseExactly() throws Exception {
    RpmFixture.install(root, "/var/lib/rpm");

    PackageDatabase db = RpmSqliteReader.read(root);

    assertThat(db.backend().label()).isEqualTo("rpm-sqlite");
    assertThat(db.files()).containsExactlyElementsOf(RpmFixture.FILES);
    assertThat(db.warnings()).isEmpty();
    assertThat(db.metadataChecked()).isTrue();
    assertThat(db.managedLinks()).isEmpty();
    assertThat(db.owned().size()).isEqualTo(10);
    assertThat(db.owned().contains("/etc/kd")).isTrue();
    assertThat(db.owned().contains("/var/lib/kd/state")).isTrue();
    assertThat(db.owned().contains("/etc/kd/other")).isFalse();
  }

  @Test
  void findsTheSysimageLocation() throws Exception {
    RpmFixture.install(root, "/usr/lib/sysimage/rpm");

    assertThat(RpmSqliteReader.read(root).files()).hasSize(10);
  }

  @Test
  void followsAnAbsoluteLinkInsideTheRoot() throws Exception {
    RpmFixture.install(root, "/usr/lib/sysimage/rpm");
    Files.createDirectories(root.resolve("var/lib"));
    // Fedora's layout; the link must resolve under the root, not on the scanning host.
    Files.createSymbolicLink(root.resolve("var/lib/rpm"), Path.of("/usr/lib/sysimage/rpm"));

    assertThat(RpmRoot.find(root, "rpmdb.sqlite").orElseThrow().file())
        .isEqualTo(root.resolve("usr/lib/sysimage/rpm/rpmdb.sqlite"));
    Files.delete(root.resolve("usr/lib/sysimage/rpm/rpmdb.sqlite"));
    assertThat(RpmRoot.find(root, "rpmdb.sqlite")).isEmpty();
  }

  @Test
  void failsWhenThereIsNoDatabase() {
    assertThatThrownBy(() -> RpmSqliteReader.read(root))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no rpmdb.sqlite in /usr/lib/sysimage/rpm or /var/lib/rpm");
  }

  @Test
  void neverWritesToTheDatabase() throws Exception {
    Path db = RpmFixture.install(root, "/var/lib/rpm");
    Files.setLastModifiedTime(db, FileTime.fromMillis(1_000_000_000_000L));
    String before = sha256(db);

    RpmSqliteReader.read(root);

    assertThat(sha256(db)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(db)).isEqualTo(FileTime.fromMillis(1_000_000_000_000L));
    try (var files = Files.list(db.getParent())) {
      assertThat(files).containsExactly(db);
    }
  }

  @Test
  void warnsAboutUndecodableRowsAndReadsTheRest() throws Exception {
    Path db = RpmFixture.install(root, "/var/lib/rpm");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement st =
            c.prepareStatement("INSERT INTO Packages (hnum, blob) VALUES (?, ?)")) {
      st.setLong(1, 7);
      st.setBytes(
          2,
          new byte[] {
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            5,
            0,
            0,
            3,
            (byte) 0xe8,
            0,
            0,
            0,
            6,
            0,
            0,
            3,
            (byte) 0x84,
            0,
            0,
            0,
            1,
            'd',
            'e',
            'm',
            'o',
            0
          });
      st.executeUpdate();
      st.setLong(1, 8);
      st.setBytes(
          2,
          new HeaderBuilder()
              .string(RpmTag.NAME, "gpg-pubkey")
              .string(RpmTag.VERSION, "1")
              .string(RpmTag.RELEASE, "1")
              .build());
      st.executeUpdate();
    }

    PackageDatabase read = RpmSqliteReader.read(root);

    assertThat(read.files()).containsExactlyElementsOf(RpmFixture.FILES);
    assertThat(read.warnings())
        .containsExactly(
            db + ": Packages row hnum 7: index entry 0: offset 900 beyond data length 5");
  }

  @Test
  void mergedUsrAliasesAreOwnedToo() throws Exception {
    RpmFixture.install(root, "/var/lib/rpm");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));

    PackageDatabase db = RpmSqliteReader.read(root);

    assertThat(db.owned().contains("/usr/bin/kd")).isTrue();
    assertThat(db.owned().contains("/bin/kd")).isTrue();
  }

  /** Package "lib" 1-1 of {@code arch}, owning one regular file at {@code path}. */
  private static RpmPackage lib(String arch, String path) {
    RpmFile file =
        new RpmFile(path, 0, RpmFileState.NORMAL, 0100644, "root", "root", null, 1L, 1L, null, -1);
    return new RpmPackage("lib", null, "1", "1", arch, null, java.util.List.of(file));
  }

  @Test
  void labelsMultilibPackagesWithTheirArch() {
    RpmPackage x86 = lib("x86_64", "/usr/lib64/a");
    RpmPackage i686 = lib("i686", "/usr/lib/a");
    RpmPackage other = new RpmPackage("other", null, "1", "1", "noarch", null, java.util.List.of());

    PackageDatabase db =
        RpmRoot.database(
            io.kickdrift.agent.pkgdb.PackageSource.RPM_SQLITE,
            java.util.List.of(x86, i686, other),
            java.util.List.of(),
            java.util.Set.of());

    assertThat(db.files()).extracting(f -> f.pkg()).containsExactly("lib.x86_64", "lib.i686");
  }

  @Test
  void readsWhileAWriterHoldsAnExclusiveLock() throws Exception {
    whileRpmIsConnected(
        (st, db) -> {
          st.execute("BEGIN EXCLUSIVE");

          // immutable: no locks taken, so neither side waits for the other.
          assertThat(RpmSqliteReader.read(root).files()).hasSize(10);

          st.execute("ROLLBACK");
        });
  }

  @Test
  void readsCommittedRowsStillInTheWriteAheadLog() throws Exception {
    whileRpmIsConnected(
        (st, db) -> {
          st.execute("PRAGMA journal_mode=WAL");
          st.execute("PRAGMA wal_autocheckpoint=0");
          st.execute("DELETE FROM Packages WHERE hnum = 1");
          assertThat(Files.size(db.resolveSibling("rpmdb.sqlite-wal"))).isPositive();

          assertThat(RpmSqliteReader.read(root).files())
              .containsExactlyElementsOf(RpmFixture.FILES.subList(1, 10));
        });
  }

  /** What a test does through {@code st}, a connection of its own to {@code db}, as rpm's. */
  private interface RpmConnection {
    void run(Statement st, Path db) throws Exception;
  }

  /** Installs the fixture database under /var/lib/rpm and runs {@code test} connected to it. */
  private void whileRpmIsConnected(RpmConnection test) throws Exception {
    Path db = RpmFixture.install(root, "/var/lib/rpm");
    try (Connection rpm = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = rpm.createStatement()) {
      test.run(st, db);
    }
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
