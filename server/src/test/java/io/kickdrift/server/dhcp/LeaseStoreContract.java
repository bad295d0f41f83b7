package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.dhcp.LeaseStore.Lease;
import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaseStore} over a database keeps: run on SQLite ({@link JdbcLeaseStoreTest})
 * and on PostgreSQL ({@code PostgresStateStoreIT.Leases}). {@link #open()} opens a new store, with
 * its own connections, on the same database each time: two opens are two servers.
 */
public abstract class LeaseStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Inet4Address A = DhcpPacket.ipv4("192.0.2.100");
  protected static final Inet4Address B = DhcpPacket.ipv4("192.0.2.101");

  /** A new store on this test's database. */
  protected abstract LeaseStore open();

  @Test
  void leasesSurviveAReopen() {
    try (LeaseStore s = open()) {
      s.put(new Lease("52:54:00:aa:00:01", A, T0.plusSeconds(3600)));
    }
    try (LeaseStore s = open()) {
      assertThat(s.byMac("52:54:00:aa:00:01"))
          .contains(new Lease("52:54:00:aa:00:01", A, T0.plusSeconds(3600)));
      assertThat(s.byIp(A)).map(Lease::mac).contains("52:54:00:aa:00:01");
      assertThat(s.active(T0)).containsExactly(A);
      assertThat(s.active(T0.plusSeconds(3600))).isEmpty();
    }
  }

  @Test
  void aMacHoldsOneLeaseAndAnAddressOneMac() {
    try (LeaseStore s = open()) {
      s.put(new Lease("52:54:00:aa:00:01", A, T0.plusSeconds(60)));
      s.put(new Lease("52:54:00:aa:00:01", B, T0.plusSeconds(60)));
      assertThat(s.byIp(A)).isEmpty();
      s.put(new Lease("52:54:00:aa:00:02", B, T0.plusSeconds(90)));
      assertThat(s.byMac("52:54:00:aa:00:01")).isEmpty();
      s.release("52:54:00:aa:00:01", B);
      assertThat(s.byIp(B)).isPresent();
      s.release("52:54:00:aa:00:02", B);
      assertThat(s.byIp(B)).isEmpty();
    }
  }

  @Test
  void expireDeletesEndedLeasesAndDeclinedHoldsCoexist() {
    try (LeaseStore s = open()) {
      s.put(new Lease("", A, T0.plusSeconds(60)));
      s.put(new Lease("", B, T0.plusSeconds(120)));
      assertThat(s.active(T0)).containsExactlyInAnyOrder(A, B);
      assertThat(s.expire(T0.plusSeconds(60))).isEqualTo(1);
      assertThat(s.active(T0)).containsExactly(B);
    }
  }

  @Test
  void aClaimTakesAFreeOrExpiredAddressOrTheMacsOwnButNotAnothersLiveOne() {
    try (LeaseStore s = open()) {
      assertThat(s.claim(new Lease("52:54:00:aa:00:01", A, T0.plusSeconds(60)), T0)).isTrue();
      assertThat(s.claim(new Lease("52:54:00:aa:00:02", A, T0.plusSeconds(60)), T0)).isFalse();
      assertThat(s.byIp(A)).map(Lease::mac).contains("52:54:00:aa:00:01");
      // the holder renews; its other lease goes
      assertThat(s.claim(new Lease("52:54:00:aa:00:01", A, T0.plusSeconds(90)), T0)).isTrue();
      assertThat(s.byIp(A)).map(Lease::expires).contains(T0.plusSeconds(90));
      // once it has ended, another MAC may have it
      assertThat(
              s.claim(new Lease("52:54:00:aa:00:02", A, T0.plusSeconds(200)), T0.plusSeconds(90)))
          .isTrue();
      assertThat(s.byMac("52:54:00:aa:00:01")).isEmpty();
      // an address declined (no MAC) is held for no one
      s.put(new Lease("", B, T0.plusSeconds(300)));
      assertThat(s.claim(new Lease("52:54:00:aa:00:03", B, T0.plusSeconds(400)), T0)).isFalse();
    }
  }

  /**
   * Two servers (two stores, each with its own connections) claim from one range for many clients
   * at once, as a DHCP storm reaching both would: each address goes to at most one client, and
   * every client that got an answer holds a different address. Without the conditional claim (a
   * plain put) both servers hand out the same free address.
   */
  @Test
  void serversClaimingOneRangeAtOnceNeverGiveAnAddressTwice() throws Exception {
    int clients = 120;
    List<Inet4Address> range = new ArrayList<>();
    for (int i = 10; i < 250; i++) {
      range.add(DhcpPacket.ipv4("192.0.2." + i));
    }
    Map<String, Inet4Address> got = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (LeaseStore a = open();
        LeaseStore b = open()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        String mac = String.format("52:54:00:bb:%02x:%02x", c / 256, c % 256);
        LeaseStore server = c % 2 == 0 ? a : b;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  // what DhcpPolicy does: the first address not active, claimed; again if lost
                  for (int tries = 0; tries < 50; tries++) {
                    var taken = server.active(T0);
                    Inet4Address ip =
                        range.stream().filter(r -> !taken.contains(r)).findFirst().orElseThrow();
                    if (server.claim(new Lease(mac, ip, T0.plusSeconds(60)), T0)) {
                      got.put(mac, ip);
                      return null;
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(got).hasSize(clients);
      assertThat(got.values()).doesNotHaveDuplicates();
      for (var e : got.entrySet()) {
        assertThat(a.byIp(e.getValue())).map(Lease::mac).contains(e.getKey());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
