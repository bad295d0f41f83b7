package io.kickdrift.server.desired;

import io.kickdrift.server.drift.DriftFile;
import io.kickdrift.server.drift.DriftRepo;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The variants of a profile's paths, read from the config repository's head with JGit (objects
 * only, never a checkout): the manifests of the profile's hosts (by the inventory), the blobs they
 * store, each host's values from the inventory (docs/desired-state.md).
 */
public final class VariantSource {
  /** The largest file read for templating; the scan stores none larger (docs/config-repo.md). */
  static final int MAX_BYTES = 16 << 20;

  /** A profile's hosts: those in the repository, and those the inventory names but it lacks. */
  public record Profile(String name, List<String> scanned, List<String> notScanned) {
    public Profile {
      scanned = List.copyOf(scanned);
      notScanned = List.copyOf(notScanned);
    }
  }

  private VariantSource() {}

  /**
   * The profiles of {@code inventory} that have hosts, or the one named {@code profile}.
   *
   * @throws IllegalArgumentException when no profile has that name, naming the ones there are
   */
  public static List<String> profiles(Inventory inventory, String profile) {
    TreeSet<String> all = new TreeSet<>();
    inventory.hosts().forEach(h -> all.add(h.profile()));
    if (profile == null) {
      return new ArrayList<>(all);
    }
    if (!all.contains(profile)) {
      throw new IllegalArgumentException(
          "no host of the inventory has profile " + profile + "; profiles with hosts: " + all);
    }
    return List.of(profile);
  }

  /** Which of {@code profile}'s hosts the repository has. */
  public static Profile hosts(DriftRepo repo, Inventory inventory, String profile)
      throws IOException {
    List<String> scanned = new ArrayList<>();
    List<String> not = new ArrayList<>();
    for (Host h : inventory.hosts()) {
      if (h.profile().equals(profile)) {
        (repo.hasHost(h.name()) ? scanned : not).add(h.name());
      }
    }
    scanned.sort(null);
    not.sort(null);
    return new Profile(profile, scanned, not);
  }

  /**
   * The variants of every path the manifests of {@code profile}'s hosts list, by path; only paths
   * {@code paths} accepts.
   */
  public static List<Variants.Path> variants(
      DriftRepo repo, Inventory inventory, String profile, Predicate<String> paths)
      throws IOException {
    Map<String, Templating.Compiled> values = new HashMap<>();
    Map<String, Map<String, Variants.Held>> byPath = new TreeMap<>();
    for (Host h : inventory.hosts()) {
      if (!h.profile().equals(profile)) {
        continue;
      }
      var files = repo.headFiles(h.name());
      if (files.isEmpty()) {
        continue;
      }
      values.put(h.name(), Templating.compile(HostValues.of(h)));
      for (DriftRepo.HeadFile f : files.get()) {
        if (!paths.test(f.file().path())) {
          continue;
        }
        byPath.computeIfAbsent(f.file().path(), p -> new HashMap<>()).put(h.name(), held(f));
      }
    }
    // paths are independent: as many at once as there are processors; one path's blobs at a time
    return byPath.entrySet().parallelStream()
        .map(
            e -> {
              Map<String, byte[]> read = new HashMap<>();
              return Variants.compiled(
                  e.getKey(),
                  e.getValue(),
                  values,
                  id ->
                      read.computeIfAbsent(
                          id,
                          k -> {
                            try {
                              return repo.blob(k, MAX_BYTES);
                            } catch (IOException x) {
                              throw new UncheckedIOException(x);
                            }
                          }));
            })
        .toList();
  }

  static Variants.Held held(DriftRepo.HeadFile f) {
    DriftFile d = f.file();
    if ("missing".equals(d.status())) {
      return new Variants.Held.Absent("missing");
    }
    if ("symlink".equals(d.type()) && d.linkTarget() != null) {
      return new Variants.Held.Link(d.linkTarget());
    }
    return f.blob() == null
        ? new Variants.Held.Absent("not stored")
        : new Variants.Held.Blob(f.blob());
  }
}
