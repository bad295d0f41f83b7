package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Any datagram decodes, or fails with a {@link TftpCodecException} that says why; what decodes
 * encodes back to the same packet; a read request's options negotiate to values inside the server's
 * limits, and the OACK they make is a packet too. Inputs: {@code TftpPacketFuzzTestInputs/decode/}.
 */
class TftpPacketFuzzTest {
  private static final TftpServer.Settings SETTINGS = TftpServer.Settings.defaults();

  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void decode(byte[] datagram) throws Exception {
    // what the codec refuses is checked by roundTrip; of what it decodes, read requests negotiate
    if (TftpPacketPropertiesTest.CODEC.roundTrip(datagram).orElse(null)
        instanceof TftpPacket.ReadRequest rrq) {
      Negotiation n = Negotiation.of(rrq.options(), datagram.length, SETTINGS);
      assertThat(n.blockSize()).isBetween(8, SETTINGS.maxBlockSize());
      assertThat(n.windowSize()).isBetween(1, SETTINGS.maxWindowSize());
      assertThat(n.accepted().size() + n.ignored().size()).isEqualTo(rrq.options().size());
      TftpPacket oack = new TftpPacket.OptionAck(n.accepted());
      assertThat(TftpPacket.decode(oack.encode())).isEqualTo(oack);
    }
  }
}
