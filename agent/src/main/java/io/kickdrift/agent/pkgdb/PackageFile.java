package io.kickdrift.agent.pkgdb;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    flags = interned(flags);
    if (meta == null) {
      meta = FileMeta.UNKNOWN;
    }
    if (actualPath == null) {
      actualPath = path;
    }
  }

  // One shared immutable EnumSet per combination: has() runs for every file on the hot path (a
  // bit test on an EnumSet), and 100,000 files share a handful of combinations.
  private static final Map<Set<FileFlag>, Set<FileFlag>> FLAG_SETS = new ConcurrentHashMap<>();

  private static Set<FileFlag> interned(Set<FileFlag> flags) {
    Set<FileFlag> known = FLAG_SETS.get(flags);
    if (known != null) {
      return known;
    }
    EnumSet<FileFlag> copy = EnumSet.noneOf(FileFlag.class);
    copy.addAll(flags);
    Set<FileFlag> frozen = Collections.unmodifiableSet(copy);
    Set<FileFlag> raced = FLAG_SETS.putIfAbsent(copy, frozen);
    return raced != null ? raced : frozen;
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
