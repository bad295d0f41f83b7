package io.kickdrift.server.logs;

import org.slf4j.MDC;

/**
 * Structured fields ({@code "peer", "127.0.0.1:4711", "path", "pxelinux.cfg/default"}) for the
 * lines this thread logs until {@link #close}: JSON lines carry them as fields of their own, human
 * lines ignore them (the message says it already). Null values are left out.
 *
 * <pre>{@code
 * try (LogFields f = LogFields.of("peer", peer, "path", shown)) {
 *   log.accept("tftp " + peer + " RRQ " + shown + ": sent 633 bytes in 2 ms");
 * }
 * }</pre>
 */
public final class LogFields implements AutoCloseable {
  private final String[] keysAndValues;

  private LogFields(String[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  private static final LogFields NONE = new LogFields(new String[0]);

  /**
   * Whether lines carry the fields: false while the lines are human (set by {@link
   * Logs#configure}), where putting them in the MDC would only cost every request a copy of it.
   */
  private static volatile boolean kept = true;

  static void keep(boolean on) {
    kept = on;
  }

  /** Sets the fields, pairs of key and value, on this thread. */
  public static LogFields of(String... keysAndValues) {
    if (!kept) {
      return NONE;
    }
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        MDC.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return new LogFields(keysAndValues);
  }

  @Override
  public void close() {
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      MDC.remove(keysAndValues[i]);
    }
  }
}
