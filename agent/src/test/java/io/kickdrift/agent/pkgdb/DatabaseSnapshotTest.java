package io.kickdrift.agent.pkgdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.dpkg.DpkgRootBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSnapshotTest {
  @TempDir Path tmp;

  // Each test's own dpkg root (two packages and a diversion), its database and fingerprint.
  Path root;
  PackageDatabase db;
  byte[] fp;

  @BeforeEach
  void buildRoot() throws IOException {
    root =
        DpkgRootBuilder.in(tmp.resolve("root"))
            .pkg("openssh-server")
            .version("1:9.2p1-2")
            .dir("/etc/ssh")
            .conffile("/etc/ssh/moduli", "moduli\n")
            .file("/usr/sbin/sshd", "ELF")
            .end()
            .pkg("libc6")
            .multiArchSame()
            .file("/usr/lib/x86_64-linux-gnu/libc.so.6", "ELF")
            .end()
            .diversions("/usr/sbin/sshd\n/usr/sbin/sshd.real\n:\n")
            .build();
    db = DpkgReader.read(root);
    fp = DatabaseSnapshot.fingerprint(root, "ctx", List.of());
  }

  @Test
  void aSnapshotReadsBackAsTheSameDatabase() throws IOException {
    Path file = tmp.resolve("state/pkgdb");

    assertThat(DatabaseSnapshot.save(file, fp, db)).isNull();
    PackageDatabase back = DatabaseSnapshot.load(file, fp);

    assertThat(back).isNotNull();
    assertThat(back.files()).isEqualTo(db.files());
    assertThat(back.files())
        .anySatisfy(f -> assertThat(f.actualPath()).isEqualTo("/usr/sbin/sshd.real"));
    assertThat(back.owned().paths()).isEqualTo(db.owned().paths());
    assertThat(back.managedLinks()).isEqualTo(db.managedLinks());
    assertThat(back.warnings()).isEqualTo(db.warnings());
    assertThat(back.backend().label()).isEqualTo("dpkg");
  }

  @Test
  void anyChangeToTheDatabaseFilesOrTheContextInvalidatesIt() throws Exception {
    assertThat(DatabaseSnapshot.fingerprint(root, "ctx", List.of())).isEqualTo(fp);
    assertThat(DatabaseSnapshot.fingerprint(root, "other", List.of())).isNotEqualTo(fp);

    // dpkg rewrites info files by rename: a new inode, even with the same size and mtime.
    Path list = root.resolve("var/lib/dpkg/info/openssh-server.list");
    Path tmpList = list.resolveSibling("new");
    Files.copy(list, tmpList);
    Files.setLastModifiedTime(tmpList, Files.getLastModifiedTime(list));
    Files.move(tmpList, list, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(DatabaseSnapshot.fingerprint(root, "ctx", List.of())).isNotEqualTo(fp);

    byte[] fp2 = DatabaseSnapshot.fingerprint(root, "ctx", List.of());
    Files.writeString(
        root.resolve("var/lib/dpkg/status"), "\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(DatabaseSnapshot.fingerprint(root, "ctx", List.of())).isNotEqualTo(fp2);
  }

  @Test
  void aStaleOrCorruptSnapshotIsNoSnapshot() throws IOException {
    Path file = tmp.resolve("pkgdb");
    DatabaseSnapshot.save(file, fp, db);

    assertThat(DatabaseSnapshot.load(file, new byte[32])).isNull();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(DatabaseSnapshot.load(file, fp)).isNull();
    assertThat(DatabaseSnapshot.load(tmp.resolve("absent"), fp)).isNull();
  }

  @Test
  void anUnwritableStateDirectoryIsReportedNotThrown() throws IOException {
    Path blocker = Files.writeString(tmp.resolve("file"), "not a directory");
    String problem = DatabaseSnapshot.save(blocker.resolve("pkgdb"), new byte[32], db);
    assertThat(problem).contains("snapshot not saved");
  }
}
