package io.kickdrift.server.inventory;

import java.util.List;

/**
 * A profile with its parent chain applied: the nearest distro, kickstart template and partitioning
 * win; packages accumulate from the root parent down (a later {@code -name} removes an earlier one,
 * as in kickstart); repos accumulate and a child's repo replaces a parent's of the same name.
 */
public record EffectiveProfile(
    String name,
    Distro distro,
    String kickstart,
    String partitioning,
    List<String> packages,
    List<Repo> repos) {
  public EffectiveProfile {
    packages = Copies.list(packages);
    repos = Copies.list(repos);
  }
}
