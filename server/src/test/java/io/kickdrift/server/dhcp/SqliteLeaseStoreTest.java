package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.dhcp.LeaseStore.Lease;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLeaseStoreTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Inet4Address A = DhcpPacket.ipv4("192.0.2.100");
  static final Inet4Address B = DhcpPacket.ipv4("192.0.2.101");

  @TempDir Path state;

  @Test
  void leasesSurviveAReopen() {
    try (LeaseStore s = SqliteLeaseStore.open(state)) {
      s.put(new Lease("52:54:00:aa:00:01", A, T0.plusSeconds(3600)));
    }
    try (LeaseStore s = SqliteLeaseStore.open(state)) {
      assertThat(s.byMac("52:54:00:aa:00:01"))
          .contains(new Lease("52:54:00:aa:00:01", A, T0.plusSeconds(3600)));
      assertThat(s.byIp(A)).map(Lease::mac).contains("52:54:00:aa:00:01");
      assertThat(s.active(T0)).containsExactly(A);
      assertThat(s.active(T0.plusSeconds(3600))).isEmpty();
    }
  }

  @Test
  void aMacHoldsOneLeaseAndAnAddressOneMac() {
    try (LeaseStore s = SqliteLeaseStore.open(state)) {
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
    try (LeaseStore s = SqliteLeaseStore.open(state)) {
      s.put(new Lease("", A, T0.plusSeconds(60)));
      s.put(new Lease("", B, T0.plusSeconds(120)));
      assertThat(s.active(T0)).containsExactlyInAnyOrder(A, B);
      assertThat(s.expire(T0.plusSeconds(60))).isEqualTo(1);
      assertThat(s.active(T0)).containsExactly(B);
    }
  }
}
