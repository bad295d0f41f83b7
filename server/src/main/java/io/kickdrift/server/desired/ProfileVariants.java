package io.kickdrift.server.desired;

import io.kickdrift.server.drift.DriftRepo;
import io.kickdrift.server.inventory.Inventory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One profile's variants as {@code drift variants} and the console show them: its scanned hosts,
 * its paths (unclaimed ones first, {@link Owners}) and each path's owner.
 */
public record ProfileVariants(
    VariantSource.Profile profile, List<Variants.Path> paths, Owners owners) {
  public ProfileVariants {
    List<Variants.Path> sorted = new ArrayList<>(paths);
    sorted.sort(Comparator.comparing(p -> owners.ownerOf(p.path()) != null));
    paths = List.copyOf(sorted);
  }

  /**
   * The variants of each profile ({@code profile}, or every profile of the inventory when null), of
   * the paths {@code wanted} accepts.
   *
   * @param where what errors call the repository
   * @throws IllegalArgumentException for a profile the inventory does not have, naming those it has
   */
  public static List<ProfileVariants> read(
      DriftRepo repo, String where, Inventory inventory, String profile, Predicate<String> wanted)
      throws IOException {
    Owners owners = Owners.at(repo, where);
    List<ProfileVariants> results = new ArrayList<>();
    for (String p : VariantSource.profiles(inventory, profile)) {
      results.add(
          new ProfileVariants(
              VariantSource.hosts(repo, inventory, p),
              VariantSource.variants(repo, inventory, p, wanted),
              owners));
    }
    return results;
  }

  /** The JSON of {@code drift variants --json} and {@code GET /api/v1/drift/variants}. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile", profile.name());
    m.put("hosts", profile.scanned());
    m.put("not-scanned", profile.notScanned());
    m.put(
        "paths",
        paths.stream()
            .map(
                p -> {
                  Map<String, Object> j = p.json();
                  j.put("owner", owners.ownerOf(p.path()));
                  return j;
                })
            .toList());
    return m;
  }
}
