package io.kickdrift.server.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The OS families a distro can be. Kickstarts are written for the Red Hat family and Fedora; Debian
 * and Ubuntu trees can be imported and booted, but have no built-in kickstart template.
 */
public enum Family {
  @JsonProperty("rhel")
  RHEL,
  @JsonProperty("rocky")
  ROCKY,
  @JsonProperty("alma")
  ALMA,
  @JsonProperty("fedora")
  FEDORA,
  @JsonProperty("debian")
  DEBIAN,
  @JsonProperty("ubuntu")
  UBUNTU;

  /** The name used in inventories, e.g. {@code rocky}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether kickdrift has built-in kickstart templates for this family. */
  public boolean kickstarts() {
    return this != DEBIAN && this != UBUNTU;
  }
}
