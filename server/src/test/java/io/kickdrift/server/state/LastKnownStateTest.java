package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastKnownStateTest {
  static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path dir;

  /** A real store that throws as a lost database does while {@code away} is set. */
  static StateStore switchable(StateStore real, AtomicBoolean away) {
    return (StateStore)
        Proxy.newProxyInstance(
            StateStore.class.getClassLoader(),
            new Class<?>[] {StateStore.class},
            (proxy, method, args) -> {
              if (away.get() && !method.getName().equals("close")) {
                throw new StateException(
                    "postgresql://kd@db/kd: cannot read: connection refused", null);
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void whileTheDatabaseIsAwayReadsAnswerWhatWasLastReadAndWritesFail() {
    AtomicBoolean away = new AtomicBoolean();
    List<String> log = new ArrayList<>();
    try (LastKnownState s =
        new LastKnownState(
            switchable(SqliteStateStore.open(dir), away),
            Clock.fixed(T0, ZoneOffset.UTC),
            log::add)) {
      HostRecord web01 = s.installed("web01", false, T0, "callback");
      assertThat(s.host("db01")).isEmpty();
      assertThat(s.hosts()).containsOnlyKeys("web01");
      assertThat(s.unavailable()).isEmpty();

      away.set(true);
      assertThat(s.host("web01")).contains(web01);
      assertThat(s.host("db01")).isEmpty();
      assertThat(s.hosts()).containsEntry("web01", web01);
      assertThatThrownBy(() -> s.current("web01")).isInstanceOf(StateException.class);
      assertThatThrownBy(() -> s.installed("web01", false, T0, "again"))
          .isInstanceOf(StateException.class);
      s.event("web01", "menu", "local", T0); // dropped, counted, not thrown
      assertThat(s.unavailable()).hasValueSatisfying(w -> assertThat(w).contains("unreachable"));
      assertThat(s.host("never-read")).as("not in the last full read").isEmpty();
      assertThat(log).hasSize(1);
      assertThat(log.get(0)).startsWith("state database unreachable: postgresql://kd@db/kd");

      away.set(false);
      assertThat(s.current("web01")).contains(web01);
      assertThat(s.unavailable()).isEmpty();
      assertThat(log).hasSize(2);
      assertThat(log.get(1))
          .startsWith("state database reachable again")
          .contains("1 events could not be recorded");
    }
  }

  /** A real store that counts the reads of one host, running {@code after} each one's read. */
  static StateStore counting(
      StateStore real, java.util.concurrent.atomic.AtomicInteger reads, Runnable after) {
    return (StateStore)
        Proxy.newProxyInstance(
            StateStore.class.getClassLoader(),
            new Class<?>[] {StateStore.class},
            (proxy, method, args) -> {
              try {
                Object r = method.invoke(real, args);
                if (method.getName().equals("host")) {
                  reads.incrementAndGet();
                  after.run();
                }
                return r;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aBurstOfReadsOfOneHostReadsTheDatabaseOnceAndAChangeIsSeenWithinTheFreshTime() {
    var reads = new java.util.concurrent.atomic.AtomicInteger();
    var nanos = new java.util.concurrent.atomic.AtomicLong();
    try (StateStore elsewhere = SqliteStateStore.open(dir);
        LastKnownState s =
            new LastKnownState(
                counting(SqliteStateStore.open(dir), reads, () -> {}),
                Clock.fixed(T0, ZoneOffset.UTC),
                nanos::get,
                line -> {})) {
      for (int i = 0; i <= 1000; i++) {
        assertThat(s.host("web01")).isEmpty();
      }
      assertThat(reads.get()).as("reads of the database for 1001 requests").isEqualTo(1);
      // another process writes; this one sees it once the record is no longer fresh
      HostRecord web01 = elsewhere.installed("web01", false, T0, "callback");
      nanos.addAndGet(LastKnownState.FRESH_NANOS - 1);
      assertThat(s.host("web01")).as("still fresh").isEmpty();
      nanos.addAndGet(1);
      assertThat(s.host("web01")).contains(web01);
      assertThat(reads.get()).isEqualTo(2);
      // this one's own writes and NOTIFY's changed() are seen at once
      HostRecord off = s.disable("web01", false, T0, "api");
      assertThat(s.host("web01")).contains(off);
      HostRecord again = elsewhere.installed("web01", false, T0.plusSeconds(1), "callback");
      s.changed("web01");
      assertThat(s.host("web01")).contains(again);
    }
  }

  /**
   * A read that began before a change and ends after it (a menu request racing a callback, or
   * NOTIFY) must not be remembered as fresh: the next request would get the record from before.
   */
  @Test
  void aReadBegunBeforeAChangeIsNotRememberedAsFresh() throws Exception {
    var nanos = new java.util.concurrent.atomic.AtomicLong(); // time stands still: all is fresh
    for (String change : List.of("own write", "notify", "issue")) {
      java.nio.file.Path here = java.nio.file.Files.createTempDirectory(dir, "s");
      var readDone = new java.util.concurrent.CountDownLatch(1);
      var release = new java.util.concurrent.CountDownLatch(1);
      var slow = new AtomicBoolean(true);
      try (StateStore elsewhere = SqliteStateStore.open(here);
          LastKnownState s =
              new LastKnownState(
                  counting(
                      SqliteStateStore.open(here),
                      new java.util.concurrent.atomic.AtomicInteger(),
                      () -> {
                        if (slow.getAndSet(false)) { // the first read has its record, then waits
                          readDone.countDown();
                          await(release);
                        }
                      }),
                  Clock.fixed(T0, ZoneOffset.UTC),
                  nanos::get,
                  line -> {})) {
        var before = new java.util.concurrent.FutureTask<>(() -> s.host("web01"));
        Thread reader = new Thread(before, "slow read");
        reader.start();
        assertThat(readDone.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        HostRecord now =
            switch (change) {
              case "own write" -> s.installed("web01", false, T0, "callback");
              case "notify" -> {
                HostRecord r = elsewhere.installed("web01", false, T0, "callback");
                s.changed("web01");
                yield r;
              }
              default -> {
                s.issue(
                    List.of(
                        StateStore.NewInstall.of(
                            "web01",
                            true,
                            java.util.Optional.empty(),
                            T0,
                            java.time.Duration.ofHours(1))));
                yield elsewhere.host("web01").orElseThrow();
              }
            };
        release.countDown();
        reader.join(10_000);
        assertThat(before.get()).as(change + ": the slow read's own answer").isEmpty();
        assertThat(s.host("web01")).as(change + ": the next request").contains(now);
      }
    }
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void withNothingReadYetTheFailureIsTheAnswer() {
    AtomicBoolean away = new AtomicBoolean(true);
    try (LastKnownState s =
        new LastKnownState(
            switchable(SqliteStateStore.open(dir), away), Clock.systemUTC(), line -> {})) {
      assertThatThrownBy(() -> s.host("web01")).isInstanceOf(StateException.class);
      assertThatThrownBy(s::hosts).isInstanceOf(StateException.class);
    }
  }
}
