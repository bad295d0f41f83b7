package io.kickdrift.server.state;

import java.time.Instant;

/**
 * What the server remembers of a host beyond the inventory: whether it netboots, what the inventory
 * said when that was decided ({@code inventoryNetboot}, so a later edit of the inventory wins over
 * an older decision), when it last finished an install (null if never), and while it netboots, the
 * install window its tokens belong to ({@code install}; null when netboot is off, or for a decision
 * recorded before installs had windows).
 */
public record HostRecord(
    String host,
    boolean netboot,
    boolean inventoryNetboot,
    Instant updated,
    Instant installed,
    Install install) {
  /** A record without an install window. */
  public HostRecord(
      String host, boolean netboot, boolean inventoryNetboot, Instant updated, Instant installed) {
    this(host, netboot, inventoryNetboot, updated, installed, null);
  }
}
