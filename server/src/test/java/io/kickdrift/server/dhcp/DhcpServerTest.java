package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The loop on loopback: malformed datagrams are counted and the server keeps answering. */
class DhcpServerTest {
  @Test
  void malformedPacketsAreDroppedAndCountedAndTheLoopGoesOn() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    DhcpServer.Settings settings =
        new DhcpServer.Settings(
            DhcpServer.Mode.RESERVATIONS, null, 0, 0, DhcpPacket.ipv4("192.0.2.10"));
    try (DhcpServer server =
            new DhcpServer(() -> DhcpPolicyTest.SITE, settings, new MemoryLeaseStore(), log::add);
        DatagramChannel client = DatagramChannel.open()) {
      server.start();
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.port());
      client.send(ByteBuffer.wrap(new byte[120]), to);
      byte[] badMagic = DhcpPacketTest.pxeDiscover();
      badMagic[236] = 0;
      client.send(ByteBuffer.wrap(badMagic), to);
      // An INFORM from a client on the subnet: answered, unicast to ciaddr:68 (not bound here).
      client.send(
          Requests.of(MessageType.INFORM).unicast().ciaddr("192.0.2.50").build().encode(), to);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (server.stats().answered() + server.stats().failed() < 1
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(server.stats().malformed()).isEqualTo(2);
      assertThat(server.stats().answered() + server.stats().failed()).isEqualTo(1);
      assertThat(log)
          .anySatisfy(
              l -> assertThat(l).contains("malformed packet dropped: truncated header: 120 bytes"))
          .anySatisfy(l -> assertThat(l).contains("wrong magic cookie 00825363"));
    }
  }
}
