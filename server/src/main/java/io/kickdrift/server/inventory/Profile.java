package io.kickdrift.server.inventory;

import java.util.List;
import java.util.Map;

/**
 * How a kind of machine is installed. A profile without a distro takes its parent's; variables
 * override the parent's (see {@link Inventory#variables(Host)}).
 */
public record Profile(
    String name,
    String distro,
    String parent,
    String kickstart,
    String partitioning,
    List<String> packages,
    List<Repo> repos,
    Map<String, String> variables) {
  public Profile {
    packages = Copies.list(packages);
    repos = Copies.list(repos);
    variables = Copies.map(variables);
  }
}
