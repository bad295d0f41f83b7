package io.kickdrift.agent.pkgdb;

import io.kickdrift.agent.pkgdb.deb.DebCache;
import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.rpm.RpmQueryReader;
import io.kickdrift.agent.pkgdb.rpm.RpmSqliteReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** Finds which package manager a root uses and reads its database. */
public final class PackageDatabases {
  /** Which backend to read; {@code AUTO} picks dpkg where its status file exists, else RPM. */
  public enum Backend {
    AUTO,
    DPKG,
    RPM
  }

  static final List<String> RPMDB_DIRS = List.of("var/lib/rpm", "usr/lib/sysimage/rpm");

  private PackageDatabases() {}

  /**
   * @param debs package archives for dpkg metadata checks (may be empty)
   * @param metadataScope which dpkg files to look up in the archives
   * @throws IOException naming what was looked for when the root has no package database
   */
  public static PackageDatabase open(
      Path root, Backend backend, DebCache debs, Predicate<PackageFile> metadataScope)
      throws IOException {
    boolean dpkg = DpkgReader.present(root);
    if (backend == Backend.DPKG || (backend == Backend.AUTO && dpkg)) {
      if (!dpkg) {
        throw new IOException(root.resolve("var/lib/dpkg/status") + ": no dpkg status file");
      }
      return DpkgReader.read(root, debs, metadataScope);
    }
    for (String dir : RPMDB_DIRS) {
      if (Files.isRegularFile(root.resolve(dir).resolve("rpmdb.sqlite"))) {
        return RpmSqliteReader.read(root);
      }
    }
    for (String dir : RPMDB_DIRS) {
      Path d = root.resolve(dir);
      if (Files.isRegularFile(d.resolve("Packages"))
          || Files.isRegularFile(d.resolve("Packages.db"))) {
        return RpmQueryReader.read(root);
      }
    }
    throw new IOException(
        "no package database under "
            + root
            + ": looked for var/lib/dpkg/status and rpmdb.sqlite, Packages or Packages.db in "
            + String.join(", ", RPMDB_DIRS));
  }
}
