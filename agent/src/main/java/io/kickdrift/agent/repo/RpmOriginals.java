package io.kickdrift.agent.repo;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.rpm.RpmArchive;
import io.kickdrift.agent.scan.Finding;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Packaged originals from .rpm files: the package file of the exact installed version (found by the
 * NAME, EPOCH, VERSION and RELEASE in its header, not by its file name), its payload read until the
 * wanted files are found, each checked against the digest rpm recorded.
 *
 * <p>Example: {@code RpmOriginals.forRoot(Path.of("/mnt/db01"), List.of(Path.of("/srv/rpms")))}.
 */
public final class RpmOriginals implements Originals {
  /** Package caches under a root: dnf's and yum's {@code packages} directories, zypper's tree. */
  static final List<String> CACHES = List.of("var/cache/dnf", "var/cache/yum", "var/cache/zypp");

  private static final int MAX_CACHE_DEPTH = 8;

  private final List<Path> dirs;
  private final List<Path> caches;

  /**
   * @param dirs directories whose {@code *.rpm} files are searched, in order
   * @param caches trees searched for {@code *.rpm} files below a directory named {@code packages}
   */
  public RpmOriginals(List<Path> dirs, List<Path> caches) {
    this.dirs = List.copyOf(dirs);
    this.caches = List.copyOf(caches);
  }

  /** The {@code --packages} directories first, then the root's dnf, yum and zypper caches. */
  public static RpmOriginals forRoot(Path root, List<Path> packageDirs) {
    return new RpmOriginals(packageDirs, CACHES.stream().map(root::resolve).toList());
  }

  @Override
  public Map<String, byte[]> of(List<Finding> modified, List<String> warnings) {
    // "name evr" → wanted path → finding; a label name.arch (rpm's multilib) is kept as it is.
    Map<String, Map<String, Finding>> byPackage = new LinkedHashMap<>();
    for (Finding f : modified) {
      if (f.pkg() != null && f.version() != null) {
        byPackage
            .computeIfAbsent(f.pkg() + " " + f.version(), k -> new TreeMap<>())
            .put(f.path(), f);
      }
    }
    if (byPackage.isEmpty()) {
      return Map.of();
    }
    Map<String, List<Path>> index = index(warnings);
    Map<String, byte[]> out = new HashMap<>();
    for (Map.Entry<String, Map<String, Finding>> e : byPackage.entrySet()) {
      List<Path> rpms = index.getOrDefault(e.getKey(), List.of());
      if (rpms.isEmpty()) {
        warnings.add(
            "no .rpm of "
                + e.getKey()
                + " among the "
                + index.values().stream().flatMap(List::stream).distinct().count()
                + " .rpm files read; packaged originals of "
                + String.join(", ", e.getValue().keySet())
                + " not committed");
        continue;
      }
      out.putAll(fromPackages(rpms, e.getValue(), warnings));
    }
    return out;
  }

  /**
   * The wanted files' verified content from the first of {@code rpms} that has it: several files of
   * one version are the same package built for several architectures, and a file whose digest does
   * not match may match in the next.
   */
  private static Map<String, byte[]> fromPackages(
      List<Path> rpms, Map<String, Finding> wanted, List<String> warnings) {
    Map<String, byte[]> out = new HashMap<>();
    Map<String, String> why = new TreeMap<>();
    for (Path rpm : rpms) {
      Map<String, Finding> left = new HashMap<>(wanted);
      left.keySet().removeAll(out.keySet());
      if (left.isEmpty()) {
        break;
      }
      Map<String, byte[]> contents;
      try {
        contents = RpmArchive.contents(rpm, left.keySet(), ConfigRepo.MAX_FILE_SIZE);
      } catch (IOException ex) {
        warnings.add(ex.getMessage() + "; packaged originals from it not committed");
        continue;
      }
      for (Map.Entry<String, Finding> w : left.entrySet()) {
        byte[] c = contents.get(w.getKey());
        Finding f = w.getValue();
        Digest recorded = f.expected() == null ? null : f.expected().digest();
        if (c == null) {
          why.putIfAbsent(w.getKey(), rpm + " has no regular file " + w.getKey() + " to take");
        } else if (recorded != null
            && !ConfigRepo.digest(recorded.algorithm(), c).equals(recorded)) {
          why.put(
              w.getKey(),
              rpm + ": " + w.getKey() + " does not match the package database's " + recorded);
        } else {
          out.put(w.getKey(), c);
          why.remove(w.getKey());
        }
      }
    }
    why.values().forEach(w -> warnings.add(w + "; its packaged original not committed"));
    return out;
  }

  /** "name evr" (and the same with name.arch) → the .rpm files of that version, in search order. */
  private Map<String, List<Path>> index(List<String> warnings) {
    List<Path> files = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        warnings.add(dir + ": not a directory; no .rpm files read from it");
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.rpm")) {
        ds.forEach(files::add);
      } catch (IOException e) {
        warnings.add(dir + ": cannot list: " + e.getMessage());
      }
    }
    for (Path cache : caches) {
      if (!Files.isDirectory(cache)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(cache, MAX_CACHE_DEPTH)) {
        s.filter(p -> p.getFileName().toString().endsWith(".rpm"))
            .filter(p -> inPackagesDir(cache.relativize(p)))
            .sorted()
            .forEach(files::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        warnings.add(cache + ": cannot list: " + e.getMessage());
      }
    }
    Map<String, List<Path>> index = new HashMap<>();
    for (Path p : files) {
      if (!Files.isRegularFile(p)) {
        continue;
      }
      RpmArchive.Info info;
      try {
        // Headers are a few KB at the start of the file: the payload is not read.
        info = RpmArchive.info(p);
      } catch (IOException e) {
        warnings.add(e.getMessage() + "; skipped");
        continue;
      }
      for (String key : keys(info)) {
        index.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
      }
    }
    return index;
  }

  private static Set<String> keys(RpmArchive.Info i) {
    String evr = " " + i.evr();
    return i.arch() == null
        ? Set.of(i.name() + evr)
        : Set.of(i.name() + evr, i.name() + "." + i.arch() + evr);
  }

  /** Whether a path below a cache is inside a directory named {@code packages}. */
  private static boolean inPackagesDir(Path relative) {
    for (int k = 0; k < relative.getNameCount() - 1; k++) {
      if (relative.getName(k).toString().equals("packages")) {
        return true;
      }
    }
    return false;
  }
}
