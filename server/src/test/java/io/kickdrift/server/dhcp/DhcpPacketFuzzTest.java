package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Any datagram decodes, or fails with a {@link DhcpCodecException} that says why; what decodes
 * encodes back to the same message, and every accessor the policy uses answers; the policy, in both
 * modes and on both ports, answers with a message that encodes, or not at all. Inputs: {@code
 * DhcpPacketFuzzTestInputs/decode/}.
 */
class DhcpPacketFuzzTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final InetSocketAddress FROM = new InetSocketAddress("0.0.0.0", 68);

  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void decode(byte[] datagram) throws Exception {
    Optional<DhcpPacket> decoded = DhcpPacketPropertiesTest.CODEC.roundTrip(datagram);
    if (decoded.isEmpty()) {
      return;
    }
    DhcpPacket packet = decoded.get();
    readEveryOption(packet);
    for (DhcpServer.Mode mode : DhcpServer.Mode.values()) {
      for (boolean pxePort : new boolean[] {false, true}) {
        // A fresh store each time, so that one input's outcome never depends on the ones before.
        DhcpPolicy policy =
            new DhcpPolicy(mode, DhcpPacket.ipv4("192.0.2.10"), new MemoryLeaseStore(), CLOCK);
        Optional<DhcpPolicy.Reply> reply =
            policy.answer(packet, FROM, pxePort, DhcpPolicyTest.SITE);
        if (reply.isPresent()) {
          DhcpPacket out = reply.get().packet();
          assertThat(DhcpPacket.decode(out.encode())).isEqualTo(out);
          assertThat(reply.get().to()).isNotNull();
          assertThat(reply.get().log()).isNotBlank();
        }
      }
    }
  }

  private static void readEveryOption(DhcpPacket p) {
    p.messageType();
    p.requestedIp();
    p.serverId();
    p.parameterList();
    p.vendorClass();
    p.userClass();
    p.clientArch();
    p.clientMachineId();
    p.leaseTime();
    p.broadcast();
    assertThat(p.mac()).hasSize(Math.max(0, Math.min(p.hlen(), 16) * 3 - 1));
    assertThat(p.toString()).isNotBlank();
  }
}
