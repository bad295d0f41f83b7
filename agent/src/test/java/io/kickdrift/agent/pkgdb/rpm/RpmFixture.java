package io.kickdrift.agent.pkgdb.rpm;

import static io.kickdrift.agent.pkgdb.FileFlag.CONFIG;
import static io.kickdrift.agent.pkgdb.FileFlag.DOC;
import static io.kickdrift.agent.pkgdb.FileFlag.GHOST;
import static io.kickdrift.agent.pkgdb.FileFlag.MISSINGOK;
import static io.kickdrift.agent.pkgdb.FileFlag.NOREPLACE;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The captured rpmdb.sqlite in {@code fixtures/rpm/} (built by make-fixture.sh from kd-md5.spec and
 * kd-sha256.spec) and the records it must read as.
 */
final class RpmFixture {
  static final long MTIME = 1795534711L;

  private RpmFixture() {}

  /** Copies the fixture database to {@code root/dbDir/rpmdb.sqlite}. */
  static Path install(Path root, String dbDir) throws IOException {
    Path dir = root.resolve(dbDir.substring(1));
    Files.createDirectories(dir);
    Path db = dir.resolve("rpmdb.sqlite");
    try (InputStream in = RpmFixture.class.getResourceAsStream("/fixtures/rpm/rpmdb.sqlite")) {
      Files.copy(in, db);
    }
    return db;
  }

  static final List<PackageFile> FILES =
      List.of(
          file(
              "/etc/kd/s.conf",
              "kd-sha256",
              "0.9-1",
              sha256("cbc80bb5c0c0f8944bf73b3a429505ac5cde16644978bc9a1e74c5755f8ca556"),
              Set.of(CONFIG, NOREPLACE),
              regular(0600, "daemon", "daemon", 2)),
          file("/etc/kd", "kd-md5", "2:1.2-3", null, Set.of(), dir()),
          file(
              "/etc/kd/a.conf",
              "kd-md5",
              "2:1.2-3",
              md5("60b725f10c9c85c70d97880dfe8191b3"),
              Set.of(CONFIG),
              regular(0644, "root", "root", 2)),
          file(
              "/etc/kd/b.conf",
              "kd-md5",
              "2:1.2-3",
              md5("3b5d5c3712955042212316173ccf37be"),
              Set.of(CONFIG, NOREPLACE),
              regular(0644, "root", "root", 2)),
          file(
              "/etc/kd/link",
              "kd-md5",
              "2:1.2-3",
              null,
              Set.of(),
              new FileMeta(FileType.SYMLINK, 0777, "root", "root", "a.conf", 6L, MTIME)),
          // %verify(not md5 size mtime): no digest, size or mtime to check.
          file(
              "/etc/kd/v.conf",
              "kd-md5",
              "2:1.2-3",
              null,
              Set.of(CONFIG, MISSINGOK),
              new FileMeta(FileType.REGULAR, 0644, "root", "root", null, null, null)),
          file(
              "/usr/bin/kd",
              "kd-md5",
              "2:1.2-3",
              md5("3e2b31c72181b87149ff995e7202c0e3"),
              Set.of(),
              regular(0755, "root", "root", 10)),
          file(
              "/usr/share/doc/kd-md5/README",
              "kd-md5",
              "2:1.2-3",
              md5("49995c85be6f95a1dbef19aafa8f1f53"),
              Set.of(DOC),
              regular(0644, "root", "root", 4)),
          file("/var/lib/kd", "kd-md5", "2:1.2-3", null, Set.of(), dir()),
          // rpm's default %ghost verify flags leave out digest, size, link and mtime.
          file(
              "/var/lib/kd/state",
              "kd-md5",
              "2:1.2-3",
              null,
              Set.of(GHOST),
              new FileMeta(FileType.REGULAR, 0640, "root", "daemon", null, null, null)));

  private static PackageFile file(
      String path, String pkg, String version, Digest d, Set<FileFlag> flags, FileMeta meta) {
    return new PackageFile(path, pkg, version, d, flags, meta, null);
  }

  private static FileMeta regular(int perms, String user, String group, long size) {
    return new FileMeta(FileType.REGULAR, perms, user, group, null, size, MTIME);
  }

  private static FileMeta dir() {
    return new FileMeta(FileType.DIRECTORY, 0755, "root", "root", null, 0L, MTIME);
  }

  private static Digest md5(String hex) {
    return Digest.of(DigestAlgorithm.MD5, hex);
  }

  private static Digest sha256(String hex) {
    return Digest.of(DigestAlgorithm.SHA256, hex);
  }
}
