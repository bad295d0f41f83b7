package io.kickdrift.agent.pkgdb.rpm;

import io.kickdrift.agent.pkgdb.OwnedPaths;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.pkgdb.PackageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where rpm keeps its database under a root, and what both readers build from the packages. */
final class RpmRoot {
  /** rpm's database directories, newest layout first (Fedora 36+ links var/lib/rpm to it). */
  static final List<String> DB_DIRS = List.of("/usr/lib/sysimage/rpm", "/var/lib/rpm");

  private static final int MAX_LINKS = 40;

  private RpmRoot() {}

  /**
   * The first of {@link #DB_DIRS} holding {@code file}, as an absolute path inside the root (for
   * {@code rpm --dbpath}) and resolved on this machine. Symlinks resolve inside the root, so an
   * absolute link never leads to the scanning host's own database.
   */
  static Optional<DbLocation> find(Path root, String file) throws IOException {
    for (String dir : DB_DIRS) {
      Optional<Path> resolved = resolveInRoot(root, dir + "/" + file);
      if (resolved.isPresent() && Files.isRegularFile(resolved.get(), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(new DbLocation(dir, resolved.get()));
      }
    }
    return Optional.empty();
  }

  /** A database file found under a root. */
  record DbLocation(String dbPath, Path file) {}

  /** {@code path} (absolute, inside the root) on this machine, following links inside the root. */
  static Optional<Path> resolveInRoot(Path root, String path) throws IOException {
    List<String> todo = new ArrayList<>(List.of(path.split("/")));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.remove(0);
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      Path here = join(root, done).resolve(part);
      if (Files.isSymbolicLink(here)) {
        if (++links > MAX_LINKS) {
          return Optional.empty();
        }
        String target = Files.readSymbolicLink(here).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        todo.addAll(0, List.of(target.split("/")));
      } else if (Files.exists(here, LinkOption.NOFOLLOW_LINKS)) {
        done.add(part);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(join(root, done));
  }

  private static Path join(Path root, List<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  /** The merged-/usr directories that are symlinks on this root. */
  static Set<String> aliasedDirs(Path root) {
    Set<String> out = new HashSet<>();
    for (String dir : OwnedPaths.MERGED_USR_DIRS) {
      if (Files.isSymbolicLink(root.resolve(dir.substring(1)))) {
        out.add(dir);
      }
    }
    return out;
  }

  /**
   * The packages' files as one database: packages are labelled by name, or {@code name.arch} where
   * one name is installed for several architectures (multilib); a package whose files do not map is
   * left out with a warning.
   */
  static PackageDatabase database(
      PackageSource backend,
      List<RpmPackage> packages,
      List<String> warnings,
      Set<String> aliasedDirs) {
    Map<String, Set<String>> archs = new HashMap<>();
    for (RpmPackage p : packages) {
      archs.computeIfAbsent(p.name(), k -> new HashSet<>()).add(String.valueOf(p.arch()));
    }
    List<PackageFile> files = new ArrayList<>();
    List<String> allWarnings = new ArrayList<>(warnings);
    Set<String> owned = new HashSet<>();
    for (RpmPackage p : packages) {
      String label = archs.get(p.name()).size() > 1 ? p.name() + "." + p.arch() : p.name();
      try {
        List<PackageFile> pf = RpmPackages.files(p, label);
        files.addAll(pf);
        for (PackageFile f : pf) {
          owned.add(f.path());
        }
      } catch (RpmParseException e) {
        allWarnings.add("package " + p.name() + "-" + p.evr() + ": " + e.getMessage());
      }
    }
    return new PackageDatabase(
        backend, files, OwnedPaths.of(owned, aliasedDirs), Set.of(), allWarnings, true);
  }
}
