package io.kickdrift.server.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's runtime state: per-host netboot decisions, install windows and install times, and an
 * event log. {@link SqliteStateStore} keeps it in one SQLite file; a PostgreSQL implementation
 * would implement the same methods. Every write is one transaction, durable when the method
 * returns.
 */
public interface StateStore extends AutoCloseable {
  /** Longest host name stored with an event: a DNS name's limit. */
  int MAX_HOST = 253;

  /** Longest event kind stored. */
  int MAX_KIND = 40;

  /** Longest event detail stored; longer ones are cut, saying so. */
  int MAX_DETAIL = 500;

  Optional<HostRecord> host(String host);

  /** Every host with a record, by name. */
  Map<String, HostRecord> hosts();

  /**
   * {@code host}'s record as the database holds it now, never a remembered copy ({@link
   * LastKnownState}): what a decision that writes reads.
   */
  default Optional<HostRecord> current(String host) {
    return host(host);
  }

  /**
   * Records a finished install: netboot off, its install window closed, installed at {@code at},
   * and an {@code installed} event with {@code detail} (e.g. the caller's address).
   */
  HostRecord installed(String host, boolean inventoryNetboot, Instant at, String detail);

  /**
   * Turns netboot on with a new install window (any earlier one is dead from now on), with a {@code
   * netboot-enabled} event at the install's issue time.
   */
  HostRecord enable(String host, Install install, boolean inventoryNetboot, String detail);

  /** Turns netboot off and closes the install window, with a {@code netboot-disabled} event. */
  HostRecord disable(String host, boolean inventoryNetboot, Instant at, String detail);

  /**
   * A window to issue to a host that netboots without one ({@link InstallPhase#UNISSUED}): the
   * inventory turned it on, or it was turned on before install windows existed.
   */
  record NewInstall(String host, boolean inventoryNetboot, Install install, String why) {
    /** A window from {@code now} for a host with that inventory netboot and record. */
    public static NewInstall of(
        String host,
        boolean inventoryNetboot,
        Optional<HostRecord> record,
        Instant now,
        java.time.Duration lifetime) {
      boolean byInventory = record.filter(r -> r.inventoryNetboot() == inventoryNetboot).isEmpty();
      return new NewInstall(
          host,
          inventoryNetboot,
          Install.start(now, lifetime),
          byInventory
              ? "netboot: true in the inventory"
              : "netboot was enabled before install windows existed");
    }
  }

  /**
   * Issues install windows in one transaction, each only if its host still has {@link
   * InstallPhase#UNISSUED} when the transaction runs (a concurrent {@code netboot disable}, a
   * callback or another server wins). Returns the hosts that got one.
   */
  List<String> issue(List<NewInstall> installs);

  /**
   * Appends an event, its fields cut to {@link #MAX_HOST}, {@link #MAX_KIND} and {@link
   * #MAX_DETAIL} characters. Unlike the state changes above, it may be lost in a power cut (never
   * in a crash of the process), so that recording one never waits for the disk.
   */
  void event(String host, String kind, String detail, Instant at);

  /** The newest events first, of one host or (host null) of all, at most {@code limit}. */
  default List<Event> events(String host, int limit) {
    return eventsBefore(host, Long.MAX_VALUE, limit);
  }

  /**
   * One page of the event log, newest first: events with an id below {@code before} (pass {@link
   * Long#MAX_VALUE} for the first page, then the last id a page returned), of one host or (host
   * null) of all, at most {@code limit}.
   */
  List<Event> eventsBefore(String host, long before, int limit);

  /**
   * The events after id {@code after}, oldest first, of one host or (host null) of all, at most
   * {@code limit}: what a live view has not seen yet (serve's event streams poll it, since other
   * processes write events too).
   */
  List<Event> eventsAfter(String host, long after, int limit);

  /**
   * Deletes events older than {@code before}, then the oldest beyond the newest {@code keep};
   * returns how many went.
   */
  int prune(Instant before, int keep);

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

  /** {@code text} cut to {@code max} characters, saying how much went; never a half pair. */
  static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    String more = "…(" + (text.length() - max) + " more)";
    int end = Math.max(0, max - more.length());
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + more;
  }
}
