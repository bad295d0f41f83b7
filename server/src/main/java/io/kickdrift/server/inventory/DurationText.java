package io.kickdrift.server.inventory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Durations as people write them on the command line and in the inventory: a number and a unit,
 * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 4h}, {@code 7d}, {@code 1.5s}; a bare number is
 * seconds. The one parser for both, so {@code --scan-delay 90s} and {@code install-token-lifetime:
 * 90s} mean the same (every duration option of the CLI goes through {@code cli.DurationConverter}).
 */
public final class DurationText {
  private static final Pattern SYNTAX = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h|d)?");

  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private DurationText() {}

  /**
   * The duration {@code text} names, more than zero.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static Duration parse(String text) {
    var m = SYNTAX.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; expected e.g. 30s, 5m, 4h, 7d or 500ms");
    }
    String unit = m.group(2) == null ? "s" : m.group(2);
    long unitNanos =
        switch (unit) {
          case "ms" -> 1_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          case "d" -> 86_400_000_000_000L;
          default -> 1_000_000_000L;
        };
    // exact for a fraction (1.5s); what is finer than a nanosecond is dropped
    BigInteger[] secondsAndNanos =
        new BigDecimal(m.group(1))
            .multiply(BigDecimal.valueOf(unitNanos))
            .toBigInteger()
            .divideAndRemainder(NANOS_PER_SECOND);
    Duration d =
        Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
    if (d.isZero()) {
      throw new IllegalArgumentException("'" + text + "': expected more than zero");
    }
    return d;
  }

  /** {@code d} in the largest unit that divides it: {@code 4h}, {@code 90s}, {@code 250ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
