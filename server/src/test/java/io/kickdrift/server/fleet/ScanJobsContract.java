package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScanJobs} keeps: run on SQLite ({@link ScanJobsTest}) and on PostgreSQL ({@code
 * PostgresStateStoreIT.Jobs}). {@link #open()} opens a new store, with its own connections, on the
 * same database each time: two opens are two servers.
 */
public abstract class ScanJobsContract {
  static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(10);

  /** A new store on this test's database. */
  protected abstract ScanJobs open();

  static FleetScan.HostResult ok(String host) {
    return new FleetScan.HostResult(
        host, "agentless", 2, 1500, "0123456789abcdef", "2 files changed", null, List.of("w1"));
  }

  @Test
  void eachHostIsTakenByOneServerAndTheOutcomeIsKept() {
    try (ScanJobs a = open();
        ScanJobs b = open()) {
      assertThat(a.add("n1", List.of("web01", "web02"), T0)).isEqualTo(2);
      assertThat(b.add("n1", List.of("web02", "db01"), T0)).as("web02 is there").isEqualTo(1);
      Optional<ScanJobs.Taken> ta = a.take("n1", "A", T0, T0.plus(LEASE));
      Optional<ScanJobs.Taken> tb = b.take("n1", "B", T0, T0.plus(LEASE));
      Optional<ScanJobs.Taken> tc = b.take("n1", "B", T0, T0.plus(LEASE));
      assertThat(List.of(ta.get().host(), tb.get().host(), tc.get().host()))
          .containsExactly("db01", "web01", "web02");
      assertThat(ta.get().attempts()).isEqualTo(1);
      assertThat(ta.get().created()).isEqualTo(T0);
      assertThat(a.take("n1", "A", T0, T0.plus(LEASE))).isEmpty();
      assertThat(a.take("other", "A", T0, T0.plus(LEASE))).as("another scan").isEmpty();

      assertThat(a.finish("n1", ok("db01"), "A", T0.plusSeconds(1))).isTrue();
      assertThat(a.finish("n1", ok("web01"), "A", T0.plusSeconds(1))).as("B holds web01").isFalse();
      List<ScanJobs.Row> rows = b.rows("n1");
      assertThat(rows).extracting(ScanJobs.Row::host).containsExactly("db01", "web01", "web02");
      assertThat(rows.get(0).result()).isEqualTo(ok("db01"));
      assertThat(rows.get(0).owner()).isEqualTo("A");
      assertThat(rows.get(1).result()).isNull();
      assertThat(rows.get(1).owner()).isEqualTo("B");
    }
  }

  @Test
  void aLeaseThatRanOutIsTakenAgainAndItsOldOwnerCanNoLongerFinish() {
    try (ScanJobs a = open();
        ScanJobs b = open()) {
      a.add("n2", List.of("web01"), T0);
      assertThat(a.take("n2", "A", T0, T0.plus(LEASE))).isPresent();
      assertThat(b.take("n2", "B", T0.plusSeconds(9), T0.plusSeconds(19))).isEmpty();
      assertThat(a.renew("n2", List.of("web01"), "A", T0.plusSeconds(9), T0.plusSeconds(19)))
          .isEmpty();
      assertThat(b.take("n2", "B", T0.plusSeconds(12), T0.plusSeconds(22)))
          .as("renewed until 19")
          .isEmpty();
      Optional<ScanJobs.Taken> again = b.take("n2", "B", T0.plusSeconds(20), T0.plusSeconds(30));
      assertThat(again).map(ScanJobs.Taken::attempts).contains(2);
      assertThat(again).map(ScanJobs.Taken::created).contains(T0);
      assertThat(a.renew("n2", List.of("web01"), "A", T0.plusSeconds(21), T0.plusSeconds(31)))
          .containsExactly("web01");
      assertThat(a.finish("n2", ok("web01"), "A", T0.plusSeconds(21))).isFalse();
      assertThat(b.finish("n2", ok("web01"), "B", T0.plusSeconds(29))).isTrue();
      assertThat(b.finish("n2", ok("web01"), "B", T0.plusSeconds(29))).as("once").isFalse();
      assertThat(a.take("n2", "A", T0.plusSeconds(99), T0.plusSeconds(109))).isEmpty();
    }
  }

  @Test
  void aFailedHostIsFinishedWithItsError() {
    try (ScanJobs a = open()) {
      a.add("n3", List.of("db01"), T0);
      a.take("n3", "A", T0, T0.plus(LEASE));
      FleetScan.HostResult failed =
          new FleetScan.HostResult(
              "db01", null, -1, 10, null, null, "db01: connection refused", List.of());
      assertThat(a.finish("n3", failed, "A", T0)).isTrue();
      assertThat(a.rows("n3")).singleElement().extracting(ScanJobs.Row::result).isEqualTo(failed);
    }
  }

  /** Baseline scans: due later, tried again until they give up, scheduled again once done. */
  @Test
  void aScheduledJobIsTakenWhenDueAndCanBePostponedThenScheduledAgain() {
    try (ScanJobs a = open();
        ScanJobs b = open()) {
      Instant due = T0.plusSeconds(30);
      assertThat(a.schedule("baseline", "web01", T0, due, due.plusSeconds(600))).isTrue();
      assertThat(b.schedule("baseline", "web01", T0, T0, null)).as("one is waiting").isFalse();
      assertThat(b.take("baseline", "B", T0.plusSeconds(29), T0.plusSeconds(39))).isEmpty();
      ScanJobs.Taken t = b.take("baseline", "B", due, due.plus(LEASE)).orElseThrow();
      assertThat(t.giveUp()).isEqualTo(due.plusSeconds(600));
      assertThat(t.created()).isEqualTo(T0);

      // unreachable yet: given back until later, then anyone may take it
      assertThat(a.postpone("baseline", "web01", "A", due, due.plusSeconds(60))).isFalse();
      assertThat(b.postpone("baseline", "web01", "B", due, due.plusSeconds(60))).isTrue();
      assertThat(a.take("baseline", "A", due.plusSeconds(59), due.plusSeconds(69))).isEmpty();
      ScanJobs.Taken again =
          a.take("baseline", "A", due.plusSeconds(60), due.plusSeconds(70)).get();
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(a.finish("baseline", ok("web01"), "A", due.plusSeconds(61))).isTrue();

      // a host installed again: a new scan replaces the finished one
      assertThat(b.schedule("baseline", "web01", T0.plusSeconds(900), T0.plusSeconds(900), null))
          .isTrue();
      ScanJobs.Taken rescan =
          b.take("baseline", "B", T0.plusSeconds(900), T0.plusSeconds(910)).orElseThrow();
      assertThat(rescan.attempts()).isEqualTo(1);
      assertThat(rescan.giveUp()).isNull();
      assertThat(b.rows("baseline")).singleElement().extracting(ScanJobs.Row::result).isNull();
    }
  }

  /** Servers taking at once never take one host twice: row locks, not timing. */
  @Test
  void serversTakingAtOnceTakeEachHostOnce() throws Exception {
    List<String> hosts = IntStream.range(0, 150).mapToObj(i -> "h" + (1000 + i)).toList();
    Map<String, String> takenBy = new ConcurrentHashMap<>();
    List<String> twice = new ArrayList<>();
    try (ScanJobs a = open();
        ScanJobs b = open()) {
      a.add("n4", hosts, T0);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          ScanJobs s = i % 2 == 0 ? a : b;
          String owner = "S" + i;
          fs.add(
              pool.submit(
                  () -> {
                    go.await();
                    for (Optional<ScanJobs.Taken> t = s.take("n4", owner, T0, T0.plus(LEASE));
                        t.isPresent();
                        t = s.take("n4", owner, T0, T0.plus(LEASE))) {
                      if (takenBy.putIfAbsent(t.get().host(), owner) != null) {
                        synchronized (twice) {
                          twice.add(t.get().host());
                        }
                      }
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(twice).isEmpty();
      assertThat(takenBy).hasSize(hosts.size());
      assertThat(a.rows("n4")).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
    }
  }
}
