package io.kickdrift.server.serve;

import io.kickdrift.server.desired.ProfileVariants;
import io.kickdrift.server.desired.VariantSource;
import io.kickdrift.server.drift.DriftRepo;
import io.kickdrift.server.drift.HostDrift;
import io.kickdrift.server.drift.HostSummary;
import io.kickdrift.server.drift.PathDrift;
import io.kickdrift.server.inventory.Inventory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's and API's drift, read from serve's {@code --scan-repo} through {@link DriftRepo}.
 * The repository is opened on first use, and again while it does not exist yet: the baseline scans
 * create it with the first install that finishes. Until then every host is "never scanned".
 */
final class RepoDrift implements DriftSource {
  private final Path dir;
  private DriftRepo repo;

  RepoDrift(Path dir) {
    this.dir = dir;
  }

  /** The repository, or empty while there is none at {@code dir}. */
  synchronized Optional<DriftRepo> repo() throws IOException {
    if (repo == null) {
      try {
        repo = DriftRepo.open(dir);
      } catch (IOException e) {
        if (java.nio.file.Files.exists(dir.resolve("HEAD"))
            || java.nio.file.Files.exists(dir.resolve(".git"))) {
          throw e; // there is a repository and it cannot be read: say so
        }
        return Optional.empty();
      }
    }
    return Optional.of(repo);
  }

  @Override
  public Map<String, Boolean> hosts() throws IOException {
    Map<String, Boolean> drifted = new LinkedHashMap<>();
    for (HostSummary h : summaries()) {
      drifted.put(h.host(), h.modified() + h.unowned() + h.missing() > 0);
    }
    return drifted;
  }

  /** The summaries of every scanned host (the pages show the counts). */
  List<HostSummary> summaries() throws IOException {
    Optional<DriftRepo> r = repo();
    return r.isEmpty() ? List.of() : r.get().hosts();
  }

  @Override
  public Optional<Object> host(String host) throws IOException {
    Optional<DriftRepo> r = repo();
    return r.isEmpty() ? Optional.empty() : r.get().host(host).map(HostDrift::json);
  }

  /** The host's drift as records, for the pages. */
  Optional<HostDrift> hostDrift(String host) throws IOException {
    Optional<DriftRepo> r = repo();
    return r.isEmpty() ? Optional.empty() : r.get().host(host);
  }

  @Override
  public Optional<Object> fileDiff(String host, String path, Against against) throws IOException {
    Optional<DriftRepo> r = repo();
    if (r.isEmpty()) {
      return Optional.empty();
    }
    DriftRepo.Against side =
        against == Against.PACKAGED ? DriftRepo.Against.PACKAGED : DriftRepo.Against.PREVIOUS;
    return r.get().fileDiff(host, path, side).map(d -> d.json());
  }

  @Override
  public Object fleet() throws IOException {
    Optional<DriftRepo> r = repo();
    return r.isEmpty() ? List.of() : r.get().fleet().stream().map(PathDrift::json).toList();
  }

  @Override
  public Object variants(Inventory inventory, String profile) throws IOException {
    Optional<DriftRepo> r = repo();
    if (r.isEmpty()) {
      VariantSource.profiles(inventory, profile); // an unknown profile is still named
      return List.of();
    }
    return ProfileVariants.read(r.get(), dir.toString(), inventory, profile, path -> true).stream()
        .map(ProfileVariants::json)
        .toList();
  }
}
