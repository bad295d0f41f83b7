package io.kickdrift.agent.pkgdb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a scan's package data came from, named in reports by {@link #label()}: the database the
 * agent read ({@code dpkg}, {@code rpm-sqlite}, {@code rpm-query}), or the verify command an
 * agentless scan ran ({@code dpkg --verify}, {@code rpm -Va}).
 */
public enum PackageSource {
  DPKG("dpkg"),
  RPM_SQLITE("rpm-sqlite"),
  RPM_QUERY("rpm-query"),
  DPKG_VERIFY("dpkg --verify"),
  RPM_VA("rpm -Va");

  private final String label;

  PackageSource(String label) {
    this.label = label;
  }

  /** The name reports and snapshots carry, e.g. {@code rpm-sqlite}. */
  @JsonValue
  public String label() {
    return label;
  }

  /** Whether the data came from RPM, whose originals live in .rpm files rather than .debs. */
  public boolean isRpm() {
    return this == RPM_SQLITE || this == RPM_QUERY || this == RPM_VA;
  }

  /**
   * The source a report names.
   *
   * @throws IllegalArgumentException naming the label and the known ones
   */
  @JsonCreator
  public static PackageSource ofLabel(String label) {
    for (PackageSource s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    StringBuilder known = new StringBuilder();
    for (PackageSource s : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(s.label);
    }
    throw new IllegalArgumentException(
        "unknown package backend '" + label + "', expected one of: " + known);
  }

  @Override
  public String toString() {
    return label;
  }
}
