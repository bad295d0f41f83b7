package io.kickdrift.agent.pkgdb;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One file as a package database says it was installed.
 *
 * @param path absolute path as the package names it (before diversions)
 * @param pkg package name, {@code name:arch} for Multi-Arch: same dpkg packages
 * @param version package version
 * @param digest the recorded content digest, {@code null} when none is recorded
 * @param flags attributes such as {@link FileFlag#CONFIG}
 * @param meta expected metadata; {@link FileMeta#UNKNOWN} where the database records none
 * @param actualPath where the file really lives under the root, when a diversion moved it
 */
public record PackageFile(
    String path,
    String pkg,
    String version,
    Digest digest,
    Set<FileFlag> flags,
    FileMeta meta,
    String actualPath) {

  public PackageFile {
    // An EnumSet: has() runs for every file on the hot path, and is a bit test there.
    EnumSet<FileFlag> copy = EnumSet.noneOf(FileFlag.class);
    copy.addAll(flags);
    flags = Collections.unmodifiableSet(copy);
    if (meta == null) {
      meta = FileMeta.UNKNOWN;
    }
    if (actualPath == null) {
      actualPath = path;
    }
  }

  public boolean isConfig() {
    return flags.contains(FileFlag.CONFIG);
  }

  public boolean has(FileFlag flag) {
    return flags.contains(flag);
  }

  public PackageFile withMeta(FileMeta newMeta) {
    return new PackageFile(path, pkg, version, digest, flags, newMeta, actualPath);
  }

  public PackageFile withActualPath(String where) {
    return new PackageFile(path, pkg, version, digest, flags, meta, where);
  }
}
