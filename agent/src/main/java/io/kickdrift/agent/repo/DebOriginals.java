package io.kickdrift.agent.repo;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.deb.DebArchive;
import io.kickdrift.agent.pkgdb.deb.DebCache;
import io.kickdrift.agent.scan.Finding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Packaged originals from .deb files: the archive of the exact installed version, its data member
 * read until the wanted files are found, each checked against the digest dpkg recorded.
 */
public final class DebOriginals implements Originals {
  private final DebCache debs;

  public DebOriginals(DebCache debs) {
    this.debs = debs;
  }

  @Override
  public Map<String, byte[]> of(List<Finding> modified, List<String> warnings) {
    Map<Path, Map<String, Finding>> byDeb = new LinkedHashMap<>();
    for (Finding f : modified) {
      if (f.pkg() == null || f.version() == null) {
        continue;
      }
      Optional<Path> deb = debs.find(f.pkg(), f.version());
      deb.ifPresent(p -> byDeb.computeIfAbsent(p, k -> new HashMap<>()).put(f.path(), f));
    }
    Map<String, byte[]> out = new HashMap<>();
    for (Map.Entry<Path, Map<String, Finding>> e : byDeb.entrySet()) {
      Map<String, byte[]> contents;
      try {
        contents = DebArchive.contents(e.getKey(), e.getValue().keySet(), ConfigRepo.MAX_FILE_SIZE);
      } catch (IOException ex) {
        warnings.add(ex.getMessage() + "; packaged originals from it not committed");
        continue;
      }
      for (Map.Entry<String, byte[]> c : contents.entrySet()) {
        Finding f = e.getValue().get(c.getKey());
        Digest recorded = f.expected() == null ? null : f.expected().digest();
        if (recorded != null
            && !ConfigRepo.digest(recorded.algorithm(), c.getValue()).equals(recorded)) {
          warnings.add(
              e.getKey()
                  + ": "
                  + c.getKey()
                  + " does not match the package database's "
                  + recorded
                  + "; its packaged original not committed");
          continue;
        }
        out.put(c.getKey(), c.getValue());
      }
    }
    return out;
  }
}
