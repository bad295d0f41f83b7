package io.kickdrift.agent.pkgdb;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The set of paths some package owns, aware of merged-/usr: on a root where {@code /bin} is a link
 * to {@code usr/bin}, a package that lists {@code /bin/ls} owns {@code /usr/bin/ls} too.
 */
public final class OwnedPaths {
  /** The top-level directories merged-/usr turns into links to their /usr twins. */
  public static final List<String> MERGED_USR_DIRS =
      List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  private final Set<String> paths;
  private final Set<String> aliasedDirs;

  private OwnedPaths(Set<String> paths, Set<String> aliasedDirs) {
    this.paths = paths;
    this.aliasedDirs = Set.copyOf(aliasedDirs);
  }

  /**
   * @param paths owned absolute paths
   * @param aliasedDirs the entries of {@link #MERGED_USR_DIRS} that are links to /usr on this root
   */
  public static OwnedPaths of(Set<String> paths, Set<String> aliasedDirs) {
    Set<String> canonical = new HashSet<>(paths.size() * 2);
    OwnedPaths probe = new OwnedPaths(Set.of(), aliasedDirs);
    for (String p : paths) {
      canonical.add(probe.canonical(p));
    }
    return new OwnedPaths(canonical, aliasedDirs);
  }

  /** Paths already in canonical form (from {@link #paths()}), as a snapshot stores them. */
  public static OwnedPaths ofCanonical(Set<String> canonicalPaths, Set<String> aliasedDirs) {
    return new OwnedPaths(canonicalPaths, aliasedDirs);
  }

  /** The canonical owned paths. */
  public Set<String> paths() {
    return Collections.unmodifiableSet(paths);
  }

  public Set<String> aliasedDirs() {
    return aliasedDirs;
  }

  public boolean contains(String path) {
    return paths.contains(canonical(path));
  }

  public int size() {
    return paths.size();
  }

  /** The /usr form of a path whose top directory is an alias of its /usr twin. */
  public String canonical(String path) {
    if (aliasedDirs.isEmpty()) {
      return path;
    }
    int slash = path.indexOf('/', 1);
    String top = slash < 0 ? path : path.substring(0, slash);
    return aliasedDirs.contains(top) ? "/usr" + path : path;
  }
}
