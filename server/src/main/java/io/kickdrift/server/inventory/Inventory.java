package io.kickdrift.server.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The source of truth for provisioning: what {@link InventoryLoader#load} returns once the file has
 * passed every check. Lists keep the file's order.
 */
public record Inventory(
    Server server,
    Defaults defaults,
    List<Distro> distros,
    List<Profile> profiles,
    List<Host> hosts,
    List<Subnet> subnets,
    Dns dns,
    List<String> hostFiles) {
  /**
   * An inventory whose hosts are all in one file. {@code hostFiles} of a loaded inventory: the
   * {@code host-files} patterns its other hosts came from, which are in {@code hosts} after the
   * main file's own (docs/inventory.md, "Hosts in several files").
   */
  public Inventory(
      Server server,
      Defaults defaults,
      List<Distro> distros,
      List<Profile> profiles,
      List<Host> hosts,
      List<Subnet> subnets,
      Dns dns) {
    this(server, defaults, distros, profiles, hosts, subnets, dns, List.of());
  }

  /** An inventory without a {@code dns:} section. */
  public Inventory(
      Server server,
      Defaults defaults,
      List<Distro> distros,
      List<Profile> profiles,
      List<Host> hosts,
      List<Subnet> subnets) {
    this(server, defaults, distros, profiles, hosts, subnets, null);
  }

  public Inventory {
    if (server == null) {
      server = Server.DEFAULT;
    }
    if (defaults == null) {
      defaults = Defaults.NONE;
    }
    distros = Copies.list(distros);
    profiles = Copies.list(profiles);
    hosts = Copies.list(hosts);
    subnets = Copies.list(subnets);
    hostFiles = Copies.list(hostFiles);
  }

  public Optional<Distro> distro(String name) {
    return distros.stream().filter(d -> name != null && name.equals(d.name())).findFirst();
  }

  public Optional<Profile> profile(String name) {
    return profiles.stream().filter(p -> name != null && name.equals(p.name())).findFirst();
  }

  public Optional<Host> host(String name) {
    return hosts.stream().filter(h -> name != null && name.equals(h.name())).findFirst();
  }

  /**
   * The profile and its ancestors, root parent first.
   *
   * @throws IllegalStateException if the chain has a cycle or an unknown parent, which a loaded
   *     inventory never has
   */
  public List<Profile> chain(Profile profile) {
    List<Profile> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Profile p = profile; p != null; ) {
      if (!seen.add(p.name())) {
        throw new IllegalStateException("profile inheritance cycle through " + p.name());
      }
      chain.add(p);
      String parent = p.parent();
      p =
          parent == null
              ? null
              : profile(parent)
                  .orElseThrow(() -> new IllegalStateException("unknown profile " + parent));
    }
    Collections.reverse(chain);
    return List.copyOf(chain);
  }

  /**
   * A copy in which distros without a {@code grub-linux} of their own use the given GRUB command:
   * that of the GRUB installed in the TFTP root (see {@code kickdrift loaders}). A distro's own
   * setting still wins; {@code null} returns this inventory unchanged.
   */
  public Inventory withInstalledGrubLinux(String grubLinux) {
    if (grubLinux == null) {
      return this;
    }
    List<Distro> adjusted =
        distros.stream().map(d -> d.grubLinux() != null ? d : d.withGrubLinux(grubLinux)).toList();
    return new Inventory(server, defaults, adjusted, profiles, hosts, subnets, dns, hostFiles);
  }

  /** A copy with {@code server} instead of this one's. */
  public Inventory withServer(Server server) {
    return new Inventory(server, defaults, distros, profiles, hosts, subnets, dns, hostFiles);
  }

  /** A copy with {@code hosts} instead of this one's. */
  public Inventory withHosts(List<Host> hosts) {
    return new Inventory(server, defaults, distros, profiles, hosts, subnets, dns, hostFiles);
  }

  /** A copy with {@code dns} (null: no {@code dns:} section) instead of this one's. */
  public Inventory withDns(Dns dns) {
    return new Inventory(server, defaults, distros, profiles, hosts, subnets, dns, hostFiles);
  }

  /** The distro of the profile, or of its nearest ancestor that names one. */
  public Optional<Distro> distroOf(Profile profile) {
    List<Profile> chain = chain(profile);
    for (int i = chain.size() - 1; i >= 0; i--) {
      if (chain.get(i).distro() != null) {
        return distro(chain.get(i).distro());
      }
    }
    return Optional.empty();
  }

  /**
   * The profile with its parent chain applied; see {@link EffectiveProfile}.
   *
   * @throws IllegalStateException for a cycle or unknown parent or distro, which a loaded inventory
   *     never has
   */
  public EffectiveProfile effective(Profile profile) {
    Distro distro = null;
    String kickstart = null;
    String partitioning = null;
    Set<String> packages = new LinkedHashSet<>();
    Map<String, Repo> repos = new LinkedHashMap<>();
    for (Profile p : chain(profile)) {
      if (p.distro() != null) {
        String name = p.distro();
        distro =
            distro(name).orElseThrow(() -> new IllegalStateException("unknown distro " + name));
      }
      kickstart = p.kickstart() != null ? p.kickstart() : kickstart;
      partitioning = p.partitioning() != null ? p.partitioning() : partitioning;
      for (String pkg : p.packages()) {
        packages.remove(pkg.startsWith("-") ? pkg.substring(1) : "-" + pkg);
        packages.add(pkg);
      }
      p.repos().forEach(r -> repos.put(r.name(), r));
    }
    if (distro == null) {
      throw new IllegalStateException("profile " + profile.name() + " has no distro");
    }
    return new EffectiveProfile(
        profile.name(),
        distro,
        kickstart,
        partitioning,
        List.copyOf(packages),
        List.copyOf(repos.values()));
  }

  /**
   * A host's variables: the defaults, overridden by each profile of its chain from the root parent
   * down, overridden by the host's own. A pure function; the map is immutable and keeps the order
   * in which keys first appeared.
   */
  public Map<String, String> variables(Host host) {
    Map<String, String> resolved = new LinkedHashMap<>(defaults.variables());
    profile(host.profile()).ifPresent(p -> chain(p).forEach(c -> resolved.putAll(c.variables())));
    resolved.putAll(host.variables());
    return Collections.unmodifiableMap(resolved);
  }
}
