package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} does, whatever its database: one suite, run against SQLite ({@link
 * SqliteStateStoreTest}) and PostgreSQL ({@link PostgresStateStoreIT}).
 */
abstract class StateStoreContract {
  static final Instant T1 = Instant.parse("2026-11-24T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-11-24T11:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);

  /** A store on this test's database: the same database each time it is called in a test. */
  abstract StateStore open();

  @Test
  void anInstallTurnsNetbootOffAndSurvivesReopening() {
    try (StateStore store = open()) {
      assertThat(store.host("web01")).isEmpty();
      store.installed("web01", true, T1, "from 192.0.2.21");
    }
    try (StateStore store = open()) {
      assertThat(store.host("web01")).contains(new HostRecord("web01", false, true, T1, T1));
      assertThat(store.events("web01", 10))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.kind()).isEqualTo("installed");
                assertThat(e.detail()).isEqualTo("from 192.0.2.21");
                assertThat(e.at()).isEqualTo(T1);
              });
    }
  }

  @Test
  void reenablingKeepsTheInstallTimeAndLogsAnEvent() {
    try (StateStore store = open()) {
      store.installed("web01", true, T1, "");
      Install window = new Install("a".repeat(32), T2, T2.plusSeconds(3600));
      store.enable("web01", window, true, "by admin");
      assertThat(store.host("web01")).contains(new HostRecord("web01", true, true, T2, T1, window));
      assertThat(store.events(null, 10))
          .extracting(Event::kind)
          .containsExactly("netboot-enabled", "installed");
      assertThat(store.events("other", 10)).isEmpty();
      assertThat(store.hosts()).containsOnlyKeys("web01");
    }
  }

  @Test
  void twoStoresOnOneDatabaseSeeEachOthersWrites() {
    try (StateStore server = open();
        StateStore cli = open()) {
      server.installed("web01", true, T1, "");
      cli.enable("web01", Install.start(T2, HOUR), true, "kickdrift netboot enable");
      assertThat(server.host("web01").orElseThrow().netboot()).isTrue();
    }
  }

  @Test
  void eventsArePagedNewestFirstByTheIdOfTheLastOneSeen() {
    try (StateStore store = open()) {
      for (int i = 1; i <= 5; i++) {
        store.event(i % 2 == 0 ? "web02" : "web01", "boot-menu", "menu " + i, T1);
      }
      java.util.List<Event> first = store.eventsBefore(null, Long.MAX_VALUE, 2);
      assertThat(first).extracting(Event::detail).containsExactly("menu 5", "menu 4");
      java.util.List<Event> second = store.eventsBefore(null, first.get(1).id(), 2);
      assertThat(second).extracting(Event::detail).containsExactly("menu 3", "menu 2");
      assertThat(store.eventsBefore(null, second.get(1).id(), 2))
          .extracting(Event::detail)
          .containsExactly("menu 1");
      assertThat(store.eventsBefore("web01", first.get(1).id(), 10))
          .extracting(Event::detail)
          .containsExactly("menu 3", "menu 1");
      assertThat(store.eventsBefore("web01", 1, 10)).isEmpty();
    }
  }

  @Test
  void eachEnableStartsANewInstallWindowAndTheCallbackOrADisableClosesIt() {
    try (StateStore store = open()) {
      Install first = Install.start(T1, HOUR);
      Install second = Install.start(T2, HOUR);
      assertThat(first.id()).hasSize(32).isNotEqualTo(second.id());
      store.enable("web01", first, false, "kickdrift netboot enable");
      assertThat(InstallPhase.install(false, store.host("web01"))).contains(first);
      store.enable("web01", second, false, "API");
      assertThat(InstallPhase.install(false, store.host("web01"))).contains(second);
      assertThat(InstallPhase.of(false, store.host("web01"), T2.plusSeconds(60)))
          .isEqualTo(InstallPhase.PENDING);
      assertThat(InstallPhase.of(false, store.host("web01"), T2.plus(HOUR)))
          .isEqualTo(InstallPhase.EXPIRED);

      store.installed("web01", false, T2.plusSeconds(600), "callback");
      assertThat(store.host("web01").orElseThrow().install()).isNull();
      assertThat(InstallPhase.of(false, store.host("web01"), T2.plusSeconds(601)))
          .isEqualTo(InstallPhase.LOCAL);

      store.enable("web02", first, false, "");
      store.disable("web02", false, T2, "kickdrift netboot disable");
      assertThat(store.host("web02").orElseThrow())
          .isEqualTo(new HostRecord("web02", false, false, T2, null, null));
      assertThat(store.events("web01", 10))
          .extracting(Event::detail)
          .anyMatch(d -> d.endsWith("install " + second.shortId() + " until " + second.expires()));
    }
  }

  @Test
  void issuingGivesWindowsOnlyToHostsThatStillHaveNone() {
    try (StateStore store = open()) {
      Install open = Install.start(T1, HOUR);
      store.enable("pending", open, true, "");
      store.disable("disabled", true, T1, "kickdrift netboot disable");
      store.installed("installed", true, T1, "");
      store.enable("flipped", Install.start(T1, HOUR), false, ""); // decided when inventory false
      List<StateStore.NewInstall> wanted = new ArrayList<>();
      for (String h : List.of("new", "pending", "disabled", "installed", "flipped")) {
        wanted.add(StateStore.NewInstall.of(h, true, Optional.empty(), T2, HOUR));
      }
      assertThat(store.issue(wanted)).containsExactly("new", "flipped");
      assertThat(store.host("pending").orElseThrow().install()).isEqualTo(open);
      assertThat(store.host("new").orElseThrow().install()).isEqualTo(wanted.get(0).install());
      assertThat(store.host("flipped").orElseThrow().inventoryNetboot()).isTrue();
      assertThat(store.host("disabled").orElseThrow().netboot()).isFalse();
      assertThat(store.issue(wanted)).isEmpty();
    }
  }

  @Test
  void pruningDropsEventsByAgeThenKeepsTheNewest() {
    try (StateStore store = open()) {
      for (int i = 0; i < 10; i++) {
        // sub-second instants too: their text does not sort, their value must
        store.event("h", "e" + i, "", T1.plusSeconds(i * 3600).plusMillis(i % 2 == 0 ? 0 : 500));
      }
      assertThat(store.prune(T1.plusSeconds(3 * 3600), 1000)).isEqualTo(3);
      assertThat(store.events(null, 100)).extracting(Event::kind).last().isEqualTo("e3");
      assertThat(store.prune(T1, 4)).isEqualTo(3);
      assertThat(store.events(null, 100))
          .extracting(Event::kind)
          .containsExactly("e9", "e8", "e7", "e6");
    }
  }

  @Test
  void storedEventFieldsAreCut() {
    try (StateStore store = open()) {
      store.event("h".repeat(10_000), "k".repeat(1000), "d".repeat(1_000_000), T1);
      Event e = store.events(null, 1).get(0);
      assertThat(e.host()).hasSizeLessThanOrEqualTo(StateStore.MAX_HOST);
      assertThat(e.kind()).hasSizeLessThanOrEqualTo(StateStore.MAX_KIND);
      assertThat(e.detail())
          .hasSizeLessThanOrEqualTo(StateStore.MAX_DETAIL)
          .endsWith("more)")
          .startsWith("ddd");
    }
  }

  @Test
  void storesRacingToIssueTheSameWindowIssueItOnce() throws Exception {
    int racers = 4;
    List<StateStore> stores = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int i = 0; i < racers; i++) {
        stores.add(open());
      }
      for (int round = 0; round < 20; round++) {
        String host = "race" + round;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> issued = new ConcurrentLinkedQueue<>();
        List<Future<?>> done = new ArrayList<>();
        for (StateStore s : stores) {
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    issued.addAll(
                        s.issue(
                            List.of(
                                StateStore.NewInstall.of(host, true, Optional.empty(), T2, HOUR))));
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get();
        }
        assertThat(issued).as(host).containsExactly(host);
        assertThat(stores.get(0).events(host, 10)).as(host).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
      for (StateStore s : stores) {
        s.close();
      }
    }
  }
}
