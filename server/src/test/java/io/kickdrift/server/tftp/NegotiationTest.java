package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.tftp.TftpPacket.Option;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NegotiationTest {
  private static final TftpServer.Settings SETTINGS =
      new TftpServer.Settings(Duration.ofSeconds(1), 5, 1468, 32, 2048, 8, 64);

  private static Negotiation of(long size, String... nameValue) {
    return Negotiation.of(TftpServerTest.opts(nameValue), size, SETTINGS);
  }

  @Test
  void valuesWithinLimitsAreGrantedInTheClientsOrderAndSpelling() {
    Negotiation n = of(1000, "WindowSize", "8", "TSIZE", "0", "blksize", "1428", "timeout", "3");
    assertThat(n.accepted())
        .containsExactly(
            new Option("WindowSize", "8"),
            new Option("TSIZE", "1000"),
            new Option("blksize", "1428"),
            new Option("timeout", "3"));
    assertThat(n.blockSize()).isEqualTo(1428);
    assertThat(n.windowSize()).isEqualTo(8);
    assertThat(n.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(n.ignored()).isEmpty();
  }

  @Test
  void valuesAboveTheServersLimitsAreLowered() {
    Negotiation n = of(1, "blksize", "65464", "windowsize", "65535");
    assertThat(n.accepted())
        .containsExactly(new Option("blksize", "1468"), new Option("windowsize", "32"));
  }

  @Test
  void badValuesAreLeftOutSoTheDefaultsApply() {
    Negotiation n =
        of(5, "blksize", "7", "windowsize", "0", "timeout", "256", "tsize", "-1", "multicast", "");
    assertThat(n.accepted()).isEmpty();
    assertThat(n.blockSize()).isEqualTo(512);
    assertThat(n.windowSize()).isEqualTo(1);
    assertThat(n.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(n.ignored())
        .containsExactly(
            "blksize=7: not a number in 8..65464",
            "windowsize=0: not a number in 1..65535",
            "timeout=256: not a number of seconds in 1..255",
            "tsize=-1: not a number",
            "multicast: unknown");
  }

  @Test
  void theFirstOfRepeatedOptionsCountsAndAnEmptyFileGetsNoTsize() {
    Negotiation n = of(0, "blksize", "1024", "BLKSIZE", "8", "tsize", "0");
    assertThat(n.accepted()).containsExactly(new Option("blksize", "1024"));
    assertThat(n.ignored())
        .containsExactly("blksize: repeated", "tsize: not sent for an empty file");
  }
}
