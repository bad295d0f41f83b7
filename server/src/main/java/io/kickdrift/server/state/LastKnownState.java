package io.kickdrift.server.state;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What {@code serve} reads its state through, so that losing the database does not stop the
 * machines that are booting (docs/scale.md): every read that succeeds is remembered, and while the
 * database cannot be read the last known record of each host answers instead, so TFTP and HTTP keep
 * serving the menus they served. Writes are not remembered: they fail with the {@link
 * StateException} (a callback is answered 503 and its retry delivers it). A lone event that cannot
 * be written is counted and dropped; the log says so once per outage. {@link #unavailable()} is
 * what {@code /readyz} says.
 */
public final class LastKnownState implements StateStore {
  private final StateStore store;
  private final Clock clock;
  private final Consumer<String> log;
  private final LongSupplier nanos;

  /**
   * Each host's last known record and when it was read or written ({@link #nanos}); an entry that
   * may be older than a change made meanwhile is kept for an outage but never {@link #fresh}.
   */
  private final Map<String, Known> hosts = new ConcurrentHashMap<>();

  /**
   * Counts the changes that make a read begun earlier possibly old: this instance's writes (counted
   * once committed), {@link #current} (counted before it reads) and {@link #issue}. A read
   * remembers its record as fresh only if no change was counted between its start and its end, so a
   * slow read that began before a change never answers as fresh after it.
   */
  private final AtomicLong changes = new AtomicLong();

  private record Known(Optional<HostRecord> record, long readAt) {}

  /** A {@link Known#readAt} that is never fresh. */
  private static final long NOT_FRESH = Long.MIN_VALUE;

  /**
   * How long a host's record, once read, answers {@link #host} without another read: a burst of
   * requests for one host (a kickstart fetched again and again, a menu) costs one read, and a
   * change made elsewhere shows within this time (at once on PostgreSQL, whose NOTIFY calls {@link
   * #changed}; a callback always reads the database, {@link #current}).
   */
  static final long FRESH_NANOS = 100_000_000L;

  private final AtomicReference<Map<String, HostRecord>> all = new AtomicReference<>();
  private final AtomicReference<Instant> downSince = new AtomicReference<>();
  private final AtomicLong eventsLost = new AtomicLong();

  /** While the database is away, reads try it again at most this often (each try may wait). */
  static final long RETRY_NANOS = 2_000_000_000L;

  private volatile long retryAt;

  public LastKnownState(StateStore store, Clock clock, Consumer<String> log) {
    this(store, clock, System::nanoTime, log);
  }

  /** With {@code nanos} for {@link System#nanoTime}: for tests. */
  LastKnownState(StateStore store, Clock clock, LongSupplier nanos, Consumer<String> log) {
    this.store = store;
    this.clock = clock;
    this.nanos = nanos;
    this.log = log;
  }

  /**
   * Another server (or this one) changed {@code host}'s record (null: any host may have): read it
   * again now, so what is remembered is current before any request asks (Database#listen).
   */
  public void changed(String host) {
    try {
      if (host == null) {
        changes.incrementAndGet();
        hosts.clear();
        hosts();
      } else {
        current(host);
      }
    } catch (StateException e) {
      // down() said so; the next request tries again
    }
  }

  /** Why the database is not in use, since when; empty while it answers. */
  public Optional<String> unavailable() {
    Instant since = downSince.get();
    return since == null
        ? Optional.empty()
        : Optional.of("database unreachable since " + since + " (serving the last known state)");
  }

  @Override
  public Optional<HostRecord> host(String host) {
    Known cached = hosts.get(host);
    if (cached != null && (waiting() || fresh(cached))) {
      return cached.record();
    }
    long since = changes.get();
    try {
      Optional<HostRecord> r = up(store.host(host));
      remember(host, r, since);
      return r;
    } catch (StateException e) {
      down(e);
      Known known = hosts.get(host);
      if (known != null) {
        return known.record();
      }
      Map<String, HostRecord> every = all.get();
      if (every == null) {
        throw e;
      }
      return Optional.ofNullable(every.get(host));
    }
  }

  @Override
  public Optional<HostRecord> current(String host) {
    long since = changes.incrementAndGet(); // reads begun before this one are not fresh
    try {
      Optional<HostRecord> r = up(store.host(host));
      remember(host, r, since);
      return r;
    } catch (StateException e) {
      throw down(e);
    }
  }

  @Override
  public Map<String, HostRecord> hosts() {
    if (all.get() != null && waiting()) {
      return known();
    }
    try {
      Map<String, HostRecord> r = up(store.hosts());
      all.set(r);
      return r;
    } catch (StateException e) {
      down(e);
      if (all.get() == null) {
        throw e;
      }
      return known();
    }
  }

  /** Every host's last known record: the last full read, with the single reads since over it. */
  private Map<String, HostRecord> known() {
    Map<String, HostRecord> merged = new LinkedHashMap<>(all.get());
    hosts.forEach(
        (h, k) -> k.record().ifPresentOrElse(v -> merged.put(h, v), () -> merged.remove(h)));
    return merged;
  }

  /**
   * Remembers {@code r}, read or written after change number {@code since}: fresh if no other
   * change came meanwhile; else it (or the record a later change left, if any) answers only while
   * the database is away, and the next request reads again.
   */
  private void remember(String host, Optional<HostRecord> r, long since) {
    long now = nanos.getAsLong();
    hosts.compute(
        host,
        (h, old) ->
            changes.get() == since
                ? new Known(r, now)
                : new Known(old == null ? r : old.record(), NOT_FRESH));
  }

  /** Whether {@code k} was read less than {@link #FRESH_NANOS} ago. */
  private boolean fresh(Known k) {
    return k.readAt() != NOT_FRESH && nanos.getAsLong() - k.readAt() < FRESH_NANOS;
  }

  /** Whether the database is away and not yet due another try. */
  private boolean waiting() {
    return downSince.get() != null && nanos.getAsLong() - retryAt < 0;
  }

  @Override
  public HostRecord installed(String host, boolean inventoryNetboot, Instant at, String detail) {
    return written(host, () -> store.installed(host, inventoryNetboot, at, detail));
  }

  @Override
  public HostRecord enable(String host, Install install, boolean inventoryNetboot, String detail) {
    return written(host, () -> store.enable(host, install, inventoryNetboot, detail));
  }

  @Override
  public HostRecord disable(String host, boolean inventoryNetboot, Instant at, String detail) {
    return written(host, () -> store.disable(host, inventoryNetboot, at, detail));
  }

  @Override
  public List<String> issue(List<NewInstall> installs) {
    try {
      List<String> issued = up(store.issue(installs));
      changes.incrementAndGet(); // reads begun before the commit are not fresh
      installs.forEach(n -> hosts.remove(n.host())); // read again at the next request
      return issued;
    } catch (StateException e) {
      throw down(e);
    }
  }

  @Override
  public void event(String host, String kind, String detail, Instant at) {
    try {
      store.event(host, kind, detail, at);
      up(null);
    } catch (StateException e) {
      down(e);
      eventsLost.incrementAndGet();
    }
  }

  @Override
  public List<Event> eventsBefore(String host, long before, int limit) {
    try {
      return up(store.eventsBefore(host, before, limit));
    } catch (StateException e) {
      throw down(e);
    }
  }

  @Override
  public List<Event> eventsAfter(String host, long after, int limit) {
    try {
      return up(store.eventsAfter(host, after, limit));
    } catch (StateException e) {
      throw down(e);
    }
  }

  @Override
  public int prune(Instant before, int keep) {
    try {
      return up(store.prune(before, keep));
    } catch (StateException e) {
      throw down(e);
    }
  }

  @Override
  public void close() {
    store.close();
  }

  private HostRecord written(String host, java.util.function.Supplier<HostRecord> write) {
    try {
      HostRecord r = up(write.get());
      long since = changes.incrementAndGet(); // reads begun before the commit are not fresh
      remember(host, Optional.of(r), since);
      return r;
    } catch (StateException e) {
      throw down(e);
    }
  }

  /** The database answered: an outage, if there was one, is over. */
  private <T> T up(T value) {
    Instant since = downSince.getAndSet(null);
    if (since != null) {
      long lost = eventsLost.getAndSet(0);
      log.accept(
          "state database reachable again (unreachable since "
              + since
              + (lost == 0 ? "" : "; " + lost + " events could not be recorded")
              + ")");
    }
    return value;
  }

  private StateException down(StateException e) {
    retryAt = nanos.getAsLong() + RETRY_NANOS;
    if (downSince.compareAndSet(null, clock.instant())) {
      log.accept(
          "state database unreachable: "
              + e.getMessage()
              + "; serving the last known menus and kickstarts, callbacks get 503, dynamic DHCP"
              + " leases pause");
    }
    return e;
  }
}
