package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.state.Event;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLimiterTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private final TestClock clock = new TestClock(T0);

  /** What the provisioner does with a request that will be refused. */
  private static boolean refuse(EventLimiter limiter, String source) {
    if (limiter.throttled(source, "callback-refused")) {
      return false;
    }
    limiter.refused(source, null, "callback-refused", "wrong token from " + source);
    return true;
  }

  /** The newest event (of {@code host}, or of any when null): there must be one. */
  private static Event onlyNewest(StateStore state, String host) {
    List<Event> newest = state.events(host, 1);
    assertThat(newest).hasSize(1);
    return newest.get(0);
  }

  @Test
  void aSourcesFirstRefusalsAreStoredTheRestCountedThenThrottledAndSummedUp(@TempDir Path dir) {
    try (StateStore state = SqliteStateStore.open(dir)) {
      EventLimiter limiter = new EventLimiter(state, clock, EventLimiter.Settings.DEFAULT);
      int answered = 0;
      for (int i = 0; i < 3000; i++) {
        answered += refuse(limiter, "192.0.2.66") ? 1 : 0;
      }
      assertThat(answered).isEqualTo(20); // then 429 for the rest of the minute
      assertThat(limiter.retryAfterSeconds("192.0.2.66")).isEqualTo(61);
      assertThat(refuse(limiter, "192.0.2.67")).as("another source is not throttled").isTrue();
      assertThat(state.events(null, 100))
          .extracting(Event::detail)
          .containsExactly(
              "wrong token from 192.0.2.67",
              "wrong token from 192.0.2.66",
              "wrong token from 192.0.2.66",
              "wrong token from 192.0.2.66",
              "wrong token from 192.0.2.66",
              "wrong token from 192.0.2.66");

      limiter.flush(false);
      assertThat(state.events(null, 100)).hasSize(6); // the window is not over yet
      clock.advance(Duration.ofSeconds(60));
      limiter.flush(false);
      Event summary = onlyNewest(state, null);
      assertThat(summary.kind()).isEqualTo("refused-summary");
      assertThat(summary.detail())
          .isEqualTo(
              "refusals from 192.0.2.66: 2995 more not recorded one by one"
                  + " (callback-refused 2995), 2980 of them throttled with 429, between "
                  + T0
                  + " and "
                  + T0);

      // a new window: stored one by one again
      assertThat(refuse(limiter, "192.0.2.66")).isTrue();
      assertThat(state.events(null, 1).get(0).detail()).isEqualTo("wrong token from 192.0.2.66");
    }
  }

  @Test
  void theSameMenuToTheSameClientIsStoredOnceAWindow(@TempDir Path dir) {
    try (StateStore state = SqliteStateStore.open(dir)) {
      EventLimiter limiter = new EventLimiter(state, clock, EventLimiter.Settings.DEFAULT);
      for (int i = 0; i < 100; i++) {
        limiter.menu("web01", "pxelinux install for 52:54:00:12:34:01 to tftp 192.0.2.21");
      }
      limiter.menu("web01", "pxelinux local for 52:54:00:12:34:01 to tftp 192.0.2.21");
      limiter.menu("web01", "pxelinux install for 52:54:00:12:34:01 to tftp 192.0.2.99");
      assertThat(state.events("web01", 100)).hasSize(3);
      limiter.flush(true); // as at shutdown
      Event summary = onlyNewest(state, "web01");
      assertThat(summary.kind()).isEqualTo("boot-menu");
      assertThat(summary.detail())
          .startsWith(
              "pxelinux install for 52:54:00:12:34:01 to tftp 192.0.2.21: 99 more times,"
                  + " between ");
    }
  }

  @Test
  void manySourcesStayWithinTheTableAndTheStoredBudget(@TempDir Path dir) {
    try (StateStore state = SqliteStateStore.open(dir)) {
      EventLimiter limiter =
          new EventLimiter(
              state, clock, new EventLimiter.Settings(Duration.ofMinutes(1), 5, 20, 50, 100));
      for (int i = 0; i < 20_000; i++) {
        String source = "10.0." + (i / 256 % 256) + "." + (i % 256);
        refuse(limiter, source);
        refuse(limiter, source);
        assertThat(limiter.size()).isLessThanOrEqualTo(100);
      }
      // 50 stored one by one (the budget), the rest counted
      assertThat(state.events(null, 1000)).hasSize(50);
      limiter.flush(true);
      List<Event> events = state.events(null, 1000);
      assertThat(events).hasSizeLessThanOrEqualTo(50 + 100 + 1);
      long summed =
          events.stream()
              .filter(e -> e.kind().equals("refused-summary"))
              .mapToLong(e -> Long.parseLong(e.detail().replaceAll(".*: (\\d+) more .*", "$1")))
              .sum();
      assertThat(summed + 50).isEqualTo(40_000);
      assertThat(events)
          .anyMatch(
              e ->
                  e.detail()
                      .startsWith(
                          "refusals and menus of sources no longer tracked (table full): "));
    }
  }
}
