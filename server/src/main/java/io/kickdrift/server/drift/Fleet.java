package io.kickdrift.server.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every path of every host's manifest, across the fleet (docs/drift-view.md, "Fleet"): how many
 * hosts list it, what they hold there, and the outliers.
 */
public final class Fleet {
  /** Variants listed per path; the others are counted. */
  static final int MAX_VARIANTS = 20;

  /** Outliers named per path; the others are counted. */
  static final int MAX_OUTLIERS = 100;

  private Fleet() {}

  /** What hosts hold at one path: the digest, the link target, or that it is missing. */
  static String variant(DriftFile f) {
    if ("missing".equals(f.status())) {
      return "missing";
    }
    if (f.linkTarget() != null && "symlink".equals(f.type())) {
      return "-> " + f.linkTarget();
    }
    return f.digest() == null ? "unknown" : f.digest();
  }

  /**
   * Whether a variant held by {@code n} of {@code total} hosts makes them outliers when the most
   * held variant has {@code most}: fewer than the most, and at most a tenth of the hosts or a
   * single host (the one odd host among three). A tie for the most names nobody: there is no
   * telling which side is odd.
   */
  public static boolean outlying(int n, int most, int total) {
    return n < most && (n * 10L <= total || n == 1);
  }

  /** The paths of {@code manifests} (by host), most hosts first, then by path. */
  static List<PathDrift> of(Map<String, ManifestReader.Parsed> manifests) {
    Map<String, Map<String, List<String>>> byPath = new HashMap<>();
    Map<String, int[]> counts = new HashMap<>();
    new TreeMap<>(manifests)
        .forEach(
            (host, m) -> {
              for (DriftFile f : m.files()) {
                byPath
                    .computeIfAbsent(f.path(), p -> new HashMap<>())
                    .computeIfAbsent(variant(f), v -> new ArrayList<>())
                    .add(host);
                int[] c = counts.computeIfAbsent(f.path(), p -> new int[4]);
                switch (f.status()) {
                  case "modified" -> c[0]++;
                  case "unowned" -> c[1]++;
                  case "missing" -> c[2]++;
                  case "unreadable" -> c[3]++;
                  default -> {} // a status a later agent adds: counted in hosts only
                }
              }
            });
    List<PathDrift> out = new ArrayList<>(byPath.size());
    byPath.forEach((path, variants) -> out.add(path(path, variants, counts.get(path))));
    out.sort(Comparator.comparingInt(PathDrift::hosts).reversed().thenComparing(PathDrift::path));
    return out;
  }

  private static PathDrift path(String path, Map<String, List<String>> variants, int[] c) {
    List<Map.Entry<String, List<String>>> sorted = new ArrayList<>(variants.entrySet());
    sorted.sort(
        Comparator.<Map.Entry<String, List<String>>>comparingInt(e -> -e.getValue().size())
            .thenComparing(Map.Entry::getKey));
    int total = 0;
    for (List<String> hosts : variants.values()) {
      total += hosts.size();
    }
    int most = sorted.get(0).getValue().size();
    List<String> outliers = new ArrayList<>();
    List<PathDrift.Variant> shown = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : sorted) {
      if (shown.size() < MAX_VARIANTS) {
        shown.add(new PathDrift.Variant(e.getKey(), e.getValue().size()));
      }
      if (outlying(e.getValue().size(), most, total)) {
        outliers.addAll(e.getValue());
      }
    }
    outliers.sort(null);
    return new PathDrift(
        path,
        total,
        c[0],
        c[1],
        c[2],
        c[3],
        shown,
        sorted.size(),
        outliers.subList(0, Math.min(outliers.size(), MAX_OUTLIERS)),
        outliers.size());
  }
}
