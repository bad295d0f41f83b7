package io.kickdrift.agent.pkgdb.deb;

import io.kickdrift.agent.pkgdb.FileMeta;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The .deb files at hand (the apt cache, or directories a user names), indexed by package name,
 * version and architecture from their canonical file names {@code name_version_arch.deb}.
 */
public final class DebCache {
  private final Map<String, Path> byKey;
  private final DebIndex index;

  private DebCache(Map<String, Path> byKey, DebIndex index) {
    this.byKey = byKey;
    this.index = index;
  }

  /** The same archives, whose metadata is read through {@code index} (kept between scans). */
  public DebCache indexedIn(DebIndex index) {
    return new DebCache(byKey, index);
  }

  /** The metadata of the {@code wanted} entries of {@code deb}: {@link DebArchive#read}, cached. */
  public Map<String, FileMeta> meta(Path deb, Set<String> wanted) throws IOException {
    return index == null ? DebArchive.read(deb, wanted) : index.meta(deb, wanted);
  }

  /**
   * Saves the index, if any, once the archives were read; returns its warnings. The caller that
   * gave the index saves it ({@code PackageDatabases.open} with a snapshot does).
   */
  public List<String> saveIndex() {
    return index == null ? List.of() : index.save();
  }

  public static DebCache scan(List<Path> dirs) throws IOException {
    Map<String, Path> byKey = new HashMap<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.deb")) {
        for (Path p : ds) {
          String key = keyOfFileName(p.getFileName().toString());
          if (key != null) {
            byKey.putIfAbsent(key, p);
          }
        }
      }
    }
    return new DebCache(byKey, null);
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  public int size() {
    return byKey.size();
  }

  /** The .deb of exactly this package version, if at hand. */
  public Optional<Path> find(String name, String version, String arch) {
    Path p = byKey.get(name + "_" + version + "_" + arch);
    int colon = version.indexOf(':');
    if (p == null && colon >= 0) {
      // dpkg-deb --build names its output without the epoch.
      p = byKey.get(name + "_" + version.substring(colon + 1) + "_" + arch);
    }
    return Optional.ofNullable(p);
  }

  /**
   * The .deb of this package version when the architecture is not known: {@code name:arch} (as dpkg
   * names Multi-Arch: same packages) picks that one, a plain name takes {@code all} or the only
   * architecture at hand.
   */
  public Optional<Path> find(String pkg, String version) {
    int colon = pkg.indexOf(':');
    if (colon >= 0) {
      return find(pkg.substring(0, colon), version, pkg.substring(colon + 1));
    }
    Optional<Path> all = find(pkg, version, "all");
    if (all.isPresent()) {
      return all;
    }
    String prefix = pkg + "_" + version + "_";
    String noEpoch =
        version.indexOf(':') < 0
            ? prefix
            : pkg + "_" + version.substring(version.indexOf(':') + 1) + "_";
    Path only = null;
    for (Map.Entry<String, Path> e : byKey.entrySet()) {
      if (e.getKey().startsWith(prefix) || e.getKey().startsWith(noEpoch)) {
        if (only != null && !only.equals(e.getValue())) {
          return Optional.empty(); // several architectures: do not guess
        }
        only = e.getValue();
      }
    }
    return Optional.ofNullable(only);
  }

  /** {@code bash_5.2.15-2%2bb2_amd64.deb} → {@code bash_5.2.15-2+b2_amd64}; apt escapes ':'. */
  static String keyOfFileName(String fileName) {
    if (!fileName.endsWith(".deb")) {
      return null;
    }
    String base = percentDecode(fileName.substring(0, fileName.length() - 4));
    return base.split("_", -1).length == 3 ? base : null;
  }

  /** apt escapes only with %XX ('+' stays '+'), so URLDecoder's rules do not apply. */
  static String percentDecode(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
