package io.kickdrift.server.fleet;

import io.kickdrift.agent.pkgdb.deb.DebCache;
import io.kickdrift.agent.repo.DebOriginals;
import io.kickdrift.agent.repo.Originals;
import io.kickdrift.agent.repo.RpmOriginals;
import io.kickdrift.agent.scan.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The packaged originals of a host's modified files, taken from the package archives in the host's
 * own caches (apt's {@code /var/cache/apt/archives}; dnf, yum and zypper caches) as a local scan
 * takes them: only the archives of the packages wanted are fetched, into a temporary directory that
 * is removed before returning, and read with the agent's own code.
 */
final class RemoteOriginals {
  private RemoteOriginals() {}

  /**
   * The originals of {@code wanted}, keyed by path; {@code warnings} says what could not be had.
   */
  static Map<String, byte[]> fetch(
      RemoteShell sh, String root, boolean rpm, List<Finding> wanted, List<String> warnings)
      throws IOException, SshException {
    Set<String> pkgs = new LinkedHashSet<>();
    for (Finding f : wanted) {
      if (f.pkg() != null) {
        pkgs.add(f.pkg().replaceFirst(":[^:]*$", "")); // libc6:amd64 -> libc6
      }
    }
    if (pkgs.isEmpty()) {
      return Map.of();
    }
    StringBuilder names = new StringBuilder();
    for (String p : pkgs) {
      names.append(' ').append(RemoteShell.quote(rpm ? p + "-*.rpm" : p + "_*.deb"));
    }
    String dirs =
        rpm
            ? "var/cache/dnf var/cache/yum var/cache/zypp var/cache/libdnf5"
            : "var/cache/apt/archives";
    // Lists the archives named like the packages (sh globs, no find -name per package), then tars
    // them.
    String cmd =
        "cd "
            + RemoteShell.quote(root)
            + " || exit 2; files=; for d in "
            + dirs
            + "; do [ -d \"$d\" ] || continue; for n in"
            + names
            + "; do for f in $(find \"$d\" -type f -name \"$n\" 2>/dev/null); do"
            + " files=\"$files ./$f\"; done; done; done;"
            + " [ -n \"$files\" ] || exit 0; exec tar --no-recursion -cf - -- $files";
    RemoteShell.Output o = sh.run(cmd);
    if (o.exit() != 0) {
      warnings.add(
          "packaged originals not fetched: " + RemoteFiles.lastLine(o.stderr(), "tar of archives"));
      return Map.of();
    }
    if (o.stdout().length == 0) {
      warnings.add("no package archive of " + String.join(", ", pkgs) + " in the host's caches");
      return Map.of();
    }
    Path tmp = Files.createTempDirectory("kickdrift-originals-");
    try {
      try (TarArchiveInputStream in =
          new TarArchiveInputStream(new java.io.ByteArrayInputStream(o.stdout()))) {
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
          String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
          // The archive's name says its package, version and arch; of two caches' files of one
          // name the first is kept (the reader checks each original against the host's digest).
          if (e.isFile()
              && !base.isEmpty()
              && !base.startsWith(".")
              && Files.notExists(tmp.resolve(base))) {
            Files.write(tmp.resolve(base), in.readAllBytes());
          }
        }
      }
      Originals originals =
          rpm
              ? new RpmOriginals(List.of(tmp), List.of())
              : new DebOriginals(DebCache.scan(List.of(tmp)));
      return new HashMap<>(originals.of(wanted, warnings));
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static Originals of(Map<String, byte[]> fetched) {
    return (modified, warnings) -> {
      Map<String, byte[]> out = new HashMap<>();
      for (Finding f : modified) {
        byte[] b = fetched.get(f.path());
        if (b != null) {
          out.put(f.path(), b);
        }
      }
      return out;
    };
  }
}
