package io.kickdrift.server.tftp;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The log of requests turned away busy: during a flood one line at the first refusal and then at
 * most one a second, with counts instead of a line per request; one line when the last transfer has
 * ended, closing the busy period. Used by the server's loop thread only.
 */
final class Busy {
  /** Why a request was turned away. */
  enum Why {
    TOTAL,
    CLIENT,
    DESCRIPTORS
  }

  private static final long SECOND = 1_000_000_000L;

  private final Supplier<String> load;
  private final long[] window = new long[Why.values().length];
  private final long[] period = new long[Why.values().length];
  private long windowStart;
  private long periodStart;
  private boolean inPeriod;

  /** {@code load} describes the transfers running now, for the log line. */
  Busy(Supplier<String> load) {
    this.load = load;
  }

  /** Counts a refusal at {@code now} (System.nanoTime); a log line when one is due. */
  Optional<String> refused(Why why, long now) {
    if (!inPeriod) {
      inPeriod = true;
      periodStart = now;
      windowStart = now - SECOND; // the first refusal is logged at once
    }
    window[why.ordinal()]++;
    period[why.ordinal()]++;
    if (now - windowStart < SECOND) {
      return Optional.empty();
    }
    String line =
        "tftp busy: refused "
            + counts(window)
            + (sum(window) == 1 ? "" : " in the last " + (now - windowStart) / 1_000_000 + " ms")
            + "; "
            + load.get();
    java.util.Arrays.fill(window, 0);
    windowStart = now;
    return Optional.of(line);
  }

  /** Called when no transfer is left: the line that ends a busy period, if there was one. */
  Optional<String> idle(long now) {
    if (!inPeriod) {
      return Optional.empty();
    }
    String line =
        "tftp idle: no transfer active; refused "
            + counts(period)
            + " while busy for "
            + (now - periodStart) / 1_000_000
            + " ms";
    inPeriod = false;
    java.util.Arrays.fill(window, 0);
    java.util.Arrays.fill(period, 0);
    return Optional.of(line);
  }

  private static String counts(long[] n) {
    return sum(n)
        + (sum(n) == 1 ? " request" : " requests")
        + " ("
        + n[Why.TOTAL.ordinal()]
        + " over the total, "
        + n[Why.CLIENT.ordinal()]
        + " over the per-client limit, "
        + n[Why.DESCRIPTORS.ordinal()]
        + " out of file descriptors)";
  }

  private static long sum(long[] n) {
    long s = 0;
    for (long x : n) {
      s += x;
    }
    return s;
  }
}
