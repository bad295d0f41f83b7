package io.kickdrift.server.state;

import java.time.Instant;

/**
 * What the server remembers of a host beyond the inventory: whether it netboots, what the inventory
 * said when that was decided ({@code inventoryNetboot}, so a later edit of the inventory wins over
 * an older decision), and when it last finished an install (null if never).
 */
public record HostRecord(
    String host, boolean netboot, boolean inventoryNetboot, Instant updated, Instant installed) {}
