package io.kickdrift.server.state;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a host stands in the install lifecycle at an instant: the one rule that {@code serve},
 * {@code render}, {@code hosts} and {@code netboot} share.
 */
public enum InstallPhase {
  /** Netboot is on and its install window is open: menus install, its token works. */
  PENDING("install-pending"),
  /** Netboot is on but no window was issued yet (serve and render issue one; see {@link #of}). */
  UNISSUED("install-pending"),
  /** The window closed before the callback: local boot until netboot is enabled again. */
  EXPIRED("install-expired"),
  /** Netboot is off: local boot. */
  LOCAL("local");

  private final String label;

  InstallPhase(String label) {
    this.label = label;
  }

  /** The state as {@code kickdrift hosts} and the API show it. */
  public String label(Instant installed) {
    return this == LOCAL && installed != null ? "installed" : label;
  }

  /**
   * The phase of a host whose inventory says {@code inventoryNetboot}, with the server's record.
   * Netboot follows {@link StateStore#netboot}; the record's install counts only while the record
   * is the decision in force (the inventory has not changed its mind since).
   */
  public static InstallPhase of(
      boolean inventoryNetboot, Optional<HostRecord> record, Instant now) {
    if (!StateStore.netboot(inventoryNetboot, record)) {
      return LOCAL;
    }
    return install(inventoryNetboot, record)
        .map(i -> i.expiredAt(now) ? EXPIRED : PENDING)
        .orElse(UNISSUED);
  }

  /** The install window of the decision in force, open or expired; empty if there is none. */
  public static Optional<Install> install(boolean inventoryNetboot, Optional<HostRecord> record) {
    return record
        .filter(r -> r.inventoryNetboot() == inventoryNetboot && r.netboot())
        .map(HostRecord::install);
  }
}
