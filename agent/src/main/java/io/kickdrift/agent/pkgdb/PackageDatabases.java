package io.kickdrift.agent.pkgdb;

import io.kickdrift.agent.pkgdb.deb.DebCache;
import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.rpm.RpmQueryReader;
import io.kickdrift.agent.pkgdb.rpm.RpmSqliteReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
   * @param debs package archives for dpkg metadata checks (may be {@code null})
   * @param allFiles whether every packaged file is in scope, or only config files
   * @throws IOException naming what was looked for when the root has no package database
   */
  public static PackageDatabase open(Path root, Backend backend, DebCache debs, boolean allFiles)
      throws IOException {
    boolean dpkg = DpkgReader.present(root);
    if (backend == Backend.DPKG || (backend == Backend.AUTO && dpkg)) {
      if (!dpkg) {
        throw new IOException(root.resolve("var/lib/dpkg/status") + ": no dpkg status file");
      }
      return DpkgReader.read(root, debs, allFiles);
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

  /**
   * The same, through a snapshot kept in {@code snapshot}: reused while the database's files are
   * unchanged, rewritten when they changed.
   *
   * @param debDirs the directories {@code debs} was made from (their listing is fingerprinted)
   */
  public static PackageDatabase open(
      Path root,
      Backend backend,
      DebCache debs,
      List<Path> debDirs,
      boolean allFiles,
      Path snapshot,
      String agentVersion)
      throws IOException {
    return openKept(root, backend, debs, debDirs, allFiles, snapshot, agentVersion).db();
  }

  /**
   * A database and the fingerprint of the files it was read from: what is derived from the database
   * alone may be kept under that fingerprint (e.g. {@code scan.OriginsMemo}).
   */
  public record Kept(PackageDatabase db, byte[] fingerprint) {}

  /** {@link #open(Path, Backend, DebCache, List, boolean, Path, String)} with its fingerprint. */
  public static Kept openKept(
      Path root,
      Backend backend,
      DebCache debs,
      List<Path> debDirs,
      boolean allFiles,
      Path snapshot,
      String agentVersion)
      throws IOException {
    String context =
        agentVersion + "|" + backend + "|" + (allFiles ? "all" : "config") + "|" + (debs != null);
    byte[] fp = DatabaseSnapshot.fingerprint(root, context, debs == null ? List.of() : debDirs);
    return new Kept(read(root, backend, debs, allFiles, snapshot, fp), fp);
  }

  private static PackageDatabase read(
      Path root, Backend backend, DebCache debs, boolean allFiles, Path snapshot, byte[] fp)
      throws IOException {
    PackageDatabase db = DatabaseSnapshot.load(snapshot, fp);
    if (db != null) {
      return db;
    }
    db = open(root, backend, debs, allFiles);
    // Said once, in this scan's report: not kept in the snapshot that later scans replay.
    List<String> thisRun = new ArrayList<>(debs == null ? List.of() : debs.saveIndex());
    String problem = DatabaseSnapshot.save(snapshot, fp, db);
    if (problem != null) {
      thisRun.add(problem);
    }
    if (thisRun.isEmpty()) {
      return db;
    }
    List<String> warnings = new ArrayList<>(db.warnings());
    warnings.addAll(thisRun);
    return new PackageDatabase(
        db.backend(), db.files(), db.owned(), db.managedLinks(), warnings, db.metadataChecked());
  }
}
