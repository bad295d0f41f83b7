package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.tftp.Admission.Verdict;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limits on concurrent transfers: per client address, in total, and the priority reserve. */
class AdmissionTest {
  static final TftpServer.Settings DEFAULTS = TftpServer.Settings.defaults();

  static InetAddress ip(String a) throws Exception {
    return InetAddress.getByName(a);
  }

  @Test
  void theTotalFitsTheFileDescriptorLimitWithAMarginForTheRest() {
    // two descriptors per transfer, a quarter of the limit (at least 128) left to the process
    assertThat(Admission.of(DEFAULTS, 400).total()).isEqualTo((400 - 128) / 2);
    assertThat(Admission.of(DEFAULTS, 1024).total()).isEqualTo((1024 - 256) / 2);
    assertThat(Admission.of(DEFAULTS, 4096).total()).isEqualTo((4096 - 1024) / 2);
    assertThat(Admission.of(DEFAULTS, 8192).total()).isEqualTo(2048);
    assertThat(Admission.of(DEFAULTS, 524_288).total()).isEqualTo(2048);
    assertThat(Admission.of(DEFAULTS, 0).total()).as("limit unknown").isEqualTo(2048);
    assertThat(Admission.of(DEFAULTS, 100).total()).as("never none").isEqualTo(1);
    // the reserve never takes more than half of a lowered total
    assertThat(Admission.of(DEFAULTS, 400).reserve()).isEqualTo(64);
    assertThat(Admission.of(DEFAULTS, 300).reserve()).isEqualTo(43);
    assertThat(Admission.of(DEFAULTS, 300).perClient()).isEqualTo(8);
  }

  @Test
  void aClientIsAnAddressAndHoldsAtMostItsShare() throws Exception {
    Admission a = new Admission(10, 2, 0);
    assertThat(a.admit(ip("192.0.2.1"), () -> false)).isEqualTo(Verdict.ADMITTED);
    assertThat(a.admit(ip("192.0.2.1"), () -> false)).isEqualTo(Verdict.ADMITTED);
    assertThat(a.admit(ip("192.0.2.1"), () -> true)).isEqualTo(Verdict.OVER_CLIENT);
    assertThat(a.admit(ip("192.0.2.2"), () -> false)).isEqualTo(Verdict.ADMITTED);
    a.release(ip("192.0.2.1"));
    assertThat(a.admit(ip("192.0.2.1"), () -> false)).isEqualTo(Verdict.ADMITTED);
    assertThat(a.held()).isEqualTo(3);
  }

  @Test
  void theReserveIsForPriorityRequestsOnlyAndPriorityIsAskedOnlyThen() throws Exception {
    Admission a = new Admission(4, 4, 2);
    AtomicInteger asked = new AtomicInteger();
    for (int i = 1; i <= 2; i++) {
      assertThat(a.admit(ip("192.0.2." + i), () -> asked.incrementAndGet() < 0))
          .isEqualTo(Verdict.ADMITTED);
    }
    assertThat(asked).as("not asked while open slots are left").hasValue(0);
    assertThat(a.admit(ip("192.0.2.3"), () -> false)).isEqualTo(Verdict.OVER_TOTAL);
    assertThat(a.admit(ip("192.0.2.3"), () -> true)).isEqualTo(Verdict.ADMITTED);
    assertThat(a.admit(ip("192.0.2.4"), () -> true)).isEqualTo(Verdict.ADMITTED);
    assertThat(a.admit(ip("192.0.2.5"), () -> true)).isEqualTo(Verdict.OVER_TOTAL);
    a.release(ip("192.0.2.1"));
    assertThat(a.admit(ip("192.0.2.5"), () -> false))
        .as("a reserve slot taken still counts: 3 held, 2 of 4 are open to everyone")
        .isEqualTo(Verdict.OVER_TOTAL);
    a.release(ip("192.0.2.3"));
    a.release(ip("192.0.2.4"));
    assertThat(a.admit(ip("192.0.2.5"), () -> false)).isEqualTo(Verdict.ADMITTED);
  }

  @Test
  void settingsNameTheBadLimit() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new TftpServer.Settings(s, 5, 512, 1, 0, 1, 0))
        .hasMessage("maxTransfers not in 1..1000000: 0");
    assertThatThrownBy(() -> new TftpServer.Settings(s, 5, 512, 1, 10, 11, 0))
        .hasMessage("maxPerClient not in 1..maxTransfers (10): 11");
    assertThatThrownBy(() -> new TftpServer.Settings(s, 5, 512, 1, 10, 2, 10))
        .hasMessage("priorityReserve not in 0..maxTransfers-1 (9): 10");
    assertThat(DEFAULTS.withLimits(10, 2, 3).maxPerClient()).isEqualTo(2);
  }
}
