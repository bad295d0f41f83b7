package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The one duration syntax of the command line and the inventory. */
class DurationTextTest {
  @Test
  void unitsAndBareSeconds() {
    assertThat(DurationText.parse("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse(" 4h ")).isEqualTo(Duration.ofHours(4));
    assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
    // fractions: doctor's --timeout took seconds as a decimal (0.5) before it took durations
    assertThat(DurationText.parse("0.5")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("0.25ms")).isEqualTo(Duration.ofNanos(250_000));
    assertThatThrownBy(() -> DurationText.parse("4 hours"))
        .hasMessage("'4 hours' is not a duration; expected e.g. 30s, 5m, 4h, 7d or 500ms");
    assertThatThrownBy(() -> DurationText.parse("0d")).hasMessage("'0d': expected more than zero");
    assertThatThrownBy(() -> DurationText.parse(null)).hasMessageContaining("not a duration");
  }

  @Property(tries = 2000)
  void formatThenParseGivesTheDurationBack(
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long ms) {
    Duration d = Duration.ofMillis(ms);
    assertThat(DurationText.parse(DurationText.format(d))).isEqualTo(d);
  }

  @Property(tries = 3000)
  void anyTextParsesOrIsRefusedByName(@ForAll("texts") String text) {
    try {
      assertThat(DurationText.parse(text)).isPositive();
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageStartingWith("'" + text + "'");
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789msdh -+.").ofMaxLength(20),
        Arbitraries.strings().ofMaxLength(20),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(n -> n + "d"));
  }
}
