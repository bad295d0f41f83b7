package io.kickdrift.server.serve;

import io.kickdrift.server.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps what unauthenticated clients cause from growing the event log without bound. Refusals
 * (wrong token, wrong address) are counted per source address in windows: the first few of a window
 * are stored one by one, the rest counted and stored as one {@code refused-summary} event per
 * source and window; a source refused more than {@link Settings#throttleAt} times in its window is
 * throttled (429) with no database work for the rest of it. A {@code boot-menu} event is stored
 * once per host, menu and source in a window, its repeats counted into one summary. Across all
 * sources at most {@link Settings#storedPerWindow} events a window are stored one by one; the table
 * of sources holds at most {@link Settings#maxKeys} (least recently used out first, their counts
 * kept in one summary for the evicted). Summaries are written by {@link #flush}, which serve runs
 * in the background. Thread-safe.
 *
 * <p>Asking whether a source is throttled ({@link #throttled}) takes the lock only for a source
 * that has reached the limit in its window: every other request is answered from a concurrent set,
 * so a source's window is rolled, and its place in the least-recently-used order refreshed, by its
 * refusals alone, never by the requests it makes that are accepted.
 */
final class EventLimiter {
  /**
   * The limits.
   *
   * @param window how long a source's counts run before they start again
   * @param storedPerSource refusals stored one by one per source and window
   * @param throttleAt refusals per source and window after which the source is throttled
   * @param storedPerWindow events stored one by one per window across every source and menu
   * @param maxKeys sources and (host, menu, source) keys remembered at once
   */
  record Settings(
      Duration window, int storedPerSource, int throttleAt, int storedPerWindow, int maxKeys) {
    /**
     * A minute: a real installer never fails 20 times in one, a scan does in a second. 600 stored a
     * minute and 4,096 keys: about 3 MB of events a minute at the very worst, and a table of ~2 MB.
     */
    static final Settings DEFAULT = new Settings(Duration.ofMinutes(1), 5, 20, 600, 4096);
  }

  /** What to do with one event. */
  private enum Verdict {
    STORE,
    COUNT
  }

  /** Counts of one key not yet reported. */
  private static final class Entry {
    final String host;
    final String summaryKind;
    final String what;
    Instant windowStart;
    int inWindow;
    long counted;
    long throttled;
    Instant first;
    Instant last;
    final Map<String, Long> kinds = new TreeMap<>();

    Entry(String host, String summaryKind, String what, Instant now) {
      this.host = host;
      this.summaryKind = summaryKind;
      this.what = what;
      this.windowStart = now;
    }

    void count(String kind, boolean throttle, Instant now) {
      if (counted + throttled == 0) {
        first = now;
      }
      last = now;
      if (throttle) {
        throttled++;
      } else {
        counted++;
      }
      if (kind != null && (kinds.containsKey(kind) || kinds.size() < 4)) {
        kinds.merge(kind, 1L, Long::sum);
      }
    }

    boolean pending() {
      return counted + throttled > 0;
    }
  }

  private final StateStore state;
  private final Clock clock;
  private final Settings settings;
  private final Entry evicted;
  private final Map<String, Entry> entries;

  /**
   * The sources refused {@link Settings#throttleAt} times or more in a window, as far as this set
   * knows: added under the lock when a refusal reaches the limit, removed when {@link #throttled}
   * finds the window rolled or the entry gone. A source not in it is not throttled.
   */
  private final Set<String> throttling = ConcurrentHashMap.newKeySet();

  private Instant budgetStart;
  private int budgetUsed;

  EventLimiter(StateStore state, Clock clock, Settings settings) {
    this.state = state;
    this.clock = clock;
    this.settings = settings;
    this.budgetStart = clock.instant();
    this.evicted =
        new Entry(
            null,
            "refused-summary",
            "refusals and menus of sources no longer tracked (table full)",
            budgetStart);
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            if (size() <= settings.maxKeys()) {
              return false;
            }
            absorb(eldest.getValue());
            return true;
          }
        };
  }

  /**
   * Whether {@code source} has been refused more than {@link Settings#throttleAt} times in its
   * window: if so the request is counted as throttled and must get 429 without further work.
   */
  boolean throttled(String source, String kind) {
    // the answer for every source that has not reached the limit, without the lock or the clock
    if (!throttling.contains(source)) {
      return false;
    }
    Instant now = clock.instant();
    synchronized (entries) {
      Entry e = entries.get(refusalKey(source));
      if (e == null) {
        throttling.remove(source);
        return false;
      }
      roll(e, now);
      if (e.inWindow < settings.throttleAt()) {
        throttling.remove(source);
        return false;
      }
      e.count(kind, true, now);
      return true;
    }
  }

  /** Seconds until {@code source}'s window ends, for Retry-After. */
  long retryAfterSeconds(String source) {
    Instant now = clock.instant();
    synchronized (entries) {
      Entry e = entries.get(refusalKey(source));
      Instant end = e == null ? now : e.windowStart.plus(settings.window());
      return Math.max(1, Duration.between(now, end).toSeconds() + 1);
    }
  }

  /** A refusal of {@code source}: stored as an event with {@code detail}, or counted. */
  void refused(String source, String host, String kind, String detail) {
    Instant now = clock.instant();
    Verdict verdict;
    synchronized (entries) {
      Entry e =
          entries.computeIfAbsent(
              refusalKey(source),
              k -> new Entry(null, "refused-summary", "refusals from " + source, now));
      roll(e, now);
      e.inWindow++;
      if (e.inWindow >= settings.throttleAt()) {
        throttling.add(source);
      }
      verdict = e.inWindow <= settings.storedPerSource() ? spend(now) : Verdict.COUNT;
      if (verdict == Verdict.COUNT) {
        e.count(kind, false, now);
      }
    }
    if (verdict == Verdict.STORE) {
      state.event(host, kind, detail, now);
    }
  }

  /** A menu served: stored as a {@code boot-menu} event unless this one already was this window. */
  void menu(String host, String detail) {
    Instant now = clock.instant();
    Verdict verdict;
    synchronized (entries) {
      Entry e =
          entries.computeIfAbsent(
              "menu " + host + " " + detail, k -> new Entry(host, "boot-menu", detail, now));
      roll(e, now);
      e.inWindow++;
      verdict = e.inWindow == 1 ? spend(now) : Verdict.COUNT;
      if (verdict == Verdict.COUNT) {
        e.count(null, false, now);
      }
    }
    if (verdict == Verdict.STORE) {
      state.event(host, "boot-menu", detail, now);
    }
  }

  /**
   * Writes one summary event per key whose counts are older than a window (every key with counts
   * when {@code all}, as at shutdown), and forgets keys with nothing left to report.
   */
  void flush(boolean all) {
    Instant now = clock.instant();
    record Summary(String host, String kind, String detail, Instant at) {}
    List<Summary> out = new ArrayList<>();
    synchronized (entries) {
      var it = entries.values().iterator();
      while (it.hasNext()) {
        Entry e = it.next();
        if (e.pending() && (all || !now.isBefore(e.first.plus(settings.window())))) {
          out.add(new Summary(e.host, e.summaryKind, summary(e), e.last));
          reset(e);
        }
        if (!e.pending() && !now.isBefore(e.windowStart.plus(settings.window()))) {
          it.remove();
        }
      }
      throttling.removeIf(source -> !entries.containsKey(refusalKey(source)));
      if (evicted.pending() && (all || !now.isBefore(evicted.first.plus(settings.window())))) {
        out.add(new Summary(null, evicted.summaryKind, summary(evicted), evicted.last));
        reset(evicted);
      }
    }
    for (Summary s : out) {
      state.event(s.host(), s.kind(), s.detail(), s.at());
    }
  }

  /** How many keys are remembered now (for tests of the bound). */
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** Keeps the unreported counts of a key the table drops. */
  private void absorb(Entry e) {
    if (!e.pending()) {
      return;
    }
    if (!evicted.pending()) {
      evicted.first = e.first;
    }
    evicted.last = e.last;
    evicted.counted += e.counted;
    evicted.throttled += e.throttled;
    e.kinds.forEach(
        (k, n) -> {
          if (evicted.kinds.containsKey(k) || evicted.kinds.size() < 4) {
            evicted.kinds.merge(k, n, Long::sum);
          }
        });
  }

  private static String refusalKey(String source) {
    return "refused " + source;
  }

  private void roll(Entry e, Instant now) {
    if (!now.isBefore(e.windowStart.plus(settings.window()))) {
      e.windowStart = now;
      e.inWindow = 0;
    }
  }

  private Verdict spend(Instant now) {
    if (!now.isBefore(budgetStart.plus(settings.window()))) {
      budgetStart = now;
      budgetUsed = 0;
    }
    return budgetUsed++ < settings.storedPerWindow() ? Verdict.STORE : Verdict.COUNT;
  }

  private static void reset(Entry e) {
    e.counted = 0;
    e.throttled = 0;
    e.first = null;
    e.last = null;
    e.kinds.clear();
  }

  private static String summary(Entry e) {
    StringBuilder s = new StringBuilder(e.what);
    long total = e.counted + e.throttled;
    if (e.summaryKind.equals("boot-menu")) {
      s.append(": ").append(total).append(" more times");
    } else {
      s.append(": ").append(total).append(" more not recorded one by one");
      if (!e.kinds.isEmpty()) {
        s.append(" (");
        e.kinds.forEach((k, n) -> s.append(k).append(' ').append(n).append(", "));
        s.setLength(s.length() - 2);
        s.append(')');
      }
      if (e.throttled > 0) {
        s.append(", ").append(e.throttled).append(" of them throttled with 429");
      }
    }
    return s.append(", between ").append(e.first).append(" and ").append(e.last).toString();
  }
}
