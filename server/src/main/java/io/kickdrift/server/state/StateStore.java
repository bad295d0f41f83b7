package io.kickdrift.server.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's runtime state: per-host netboot decisions and install times, and an event log.
 * {@link SqliteStateStore} keeps it in one SQLite file; a PostgreSQL implementation would implement
 * the same methods. Every write is one transaction, durable when the method returns.
 */
public interface StateStore extends AutoCloseable {
  Optional<HostRecord> host(String host);

  /** Every host with a record, by name. */
  Map<String, HostRecord> hosts();

  /**
   * Records a finished install: netboot off, installed at {@code at}, and an {@code installed}
   * event with {@code detail} (e.g. the caller's address).
   */
  HostRecord installed(String host, boolean inventoryNetboot, Instant at, String detail);

  /** Turns netboot on or off for a host, with a {@code netboot-enabled/disabled} event. */
  HostRecord netboot(
      String host, boolean enabled, boolean inventoryNetboot, Instant at, String detail);

  /**
   * Appends an event. Unlike the state changes above, it may be lost in a power cut (never in a
   * crash of the process), so that recording one never waits for the disk.
   */
  void event(String host, String kind, String detail, Instant at);

  /** The newest events first, of one host or (host null) of all, at most {@code limit}. */
  List<Event> events(String host, int limit);

  /**
   * One page of the event log, newest first: events with an id below {@code before} (pass {@link
   * Long#MAX_VALUE} for the first page, then the last id a page returned), of one host or (host
   * null) of all, at most {@code limit}.
   */
  List<Event> eventsBefore(String host, long before, int limit);

  @Override
  void close();

  /**
   * Whether a host netboots now: the inventory decides until the server records a decision (an
   * install callback, a re-enable); that decision holds until the inventory's own netboot value
   * changes, since an edit of the inventory is newer news.
   */
  static boolean netboot(boolean inventoryNetboot, Optional<HostRecord> record) {
    return record
        .filter(r -> r.inventoryNetboot() == inventoryNetboot)
        .map(HostRecord::netboot)
        .orElse(inventoryNetboot);
  }
}
