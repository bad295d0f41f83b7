package io.kickdrift.server.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import io.kickdrift.server.dhcp.DhcpPacket.Option;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DhcpPacketTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * A PXE ROM's DISCOVER: op 1, Ethernet, xid 0x11223344, broadcast flag, MAC 52:54:00:12:34:01.
   */
  static byte[] pxeDiscover() {
    byte[] b = new byte[240];
    byte[] head = HEX.parseHex("010106001122334400048000");
    System.arraycopy(head, 0, b, 0, head.length);
    byte[] mac = HEX.parseHex("525400123401");
    System.arraycopy(mac, 0, b, 28, 6);
    byte[] cookie = HEX.parseHex("63825363");
    System.arraycopy(cookie, 0, b, 236, 4);
    byte[] options =
        HEX.parseHex(
            "350101" // 53 DISCOVER
                + "3705010306432b" // 55: 1 3 6 67 43
                + "0000" // two PADs
                + "5d020007" // 93 arch 7
                + "3c20"
                + HEX.formatHex("PXEClient:Arch:00007:UNDI:003016".getBytes())
                + "611100"
                + "00112233445566778899aabbccddeeff" // 97 machine id
                + "ff" // END
                + "deadbeef"); // junk after END is ignored
    byte[] out = Arrays.copyOf(b, b.length + options.length);
    System.arraycopy(options, 0, out, 240, options.length);
    return out;
  }

  @Test
  void decodesAPxeDiscover() throws Exception {
    DhcpPacket p = DhcpPacket.decode(ByteBuffer.wrap(pxeDiscover()));
    assertThat(p.op()).isEqualTo(DhcpPacket.BOOTREQUEST);
    assertThat(p.xid()).isEqualTo(0x11223344);
    assertThat(p.secs()).isEqualTo(4);
    assertThat(p.broadcast()).isTrue();
    assertThat(p.mac()).isEqualTo("52:54:00:12:34:01");
    assertThat(p.ciaddr()).isEqualTo(DhcpPacket.ANY);
    assertThat(p.messageType()).contains(MessageType.DISCOVER);
    assertThat(p.parameterList()).containsExactly(1, 3, 6, 67, 43);
    assertThat(p.clientArch()).contains(7);
    assertThat(p.vendorClass()).contains("PXEClient:Arch:00007:UNDI:003016");
    assertThat(p.clientMachineId()).hasValueSatisfying(id -> assertThat(id).hasSize(17));
    assertThat(p.options()).extracting(Option::code).containsExactly(53, 55, 93, 60, 97);
    assertThat(p.requestedIp()).isEmpty();
  }

  @Test
  void encodesAnOfferByteForByte() {
    DhcpPacket offer =
        new DhcpPacket(
            2,
            1,
            6,
            0,
            0x11223344,
            0,
            0x8000,
            DhcpPacket.ANY,
            DhcpPacket.ipv4("192.0.2.21"),
            DhcpPacket.ipv4("192.0.2.10"),
            DhcpPacket.ANY,
            Arrays.copyOf(HEX.parseHex("525400123401"), 16),
            "",
            "pxelinux.0",
            List.of(
                new Option(53, new byte[] {2}),
                new Option(54, HEX.parseHex("c000020a")),
                new Option(51, HEX.parseHex("00000e10"))));
    byte[] wire = offer.encode().array();
    assertThat(wire).hasSize(300);
    assertThat(Arrays.copyOfRange(wire, 0, 34))
        .isEqualTo(
            HEX.parseHex("02010600112233440000800000000000c0000215c000020a00000000525400123401"));
    assertThat(Arrays.copyOfRange(wire, 108, 119)).isEqualTo("pxelinux.0\0".getBytes());
    assertThat(Arrays.copyOfRange(wire, 236, 256))
        .isEqualTo(HEX.parseHex("63825363" + "350102" + "3604c000020a" + "330400000e10" + "ff"));
    assertThat(Arrays.copyOfRange(wire, 256, 300)).containsOnly(0);
  }

  @Test
  void decodeOfEncodeKeepsTheOffer() throws Exception {
    DhcpPacket p = DhcpPacket.decode(ByteBuffer.wrap(pxeDiscover()));
    assertThat(DhcpPacket.decode(p.encode())).isEqualTo(p);
  }

  @Test
  void missingEndIsTolerated() throws Exception {
    byte[] wire = Arrays.copyOf(pxeDiscover(), 243); // the cookie and option 53, no END
    assertThat(DhcpPacket.decode(ByteBuffer.wrap(wire)).messageType())
        .contains(MessageType.DISCOVER);
  }

  @Test
  void repeatedOptionsConcatenate() throws Exception {
    byte[] wire = Arrays.copyOf(pxeDiscover(), 250);
    System.arraycopy(HEX.parseHex("0c0261620d026300ff"), 0, wire, 240, 9);
    DhcpPacket p = DhcpPacket.decode(ByteBuffer.wrap(wire));
    wire[244] = 12;
    DhcpPacket twice = DhcpPacket.decode(ByteBuffer.wrap(wire));
    assertThat(p.option(12)).hasValueSatisfying(v -> assertThat(v).isEqualTo("ab".getBytes()));
    assertThat(twice.option(12))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo("abc\0".getBytes()));
  }

  @Test
  void truncatedHeader() {
    assertThatThrownBy(() -> DhcpPacket.decode(ByteBuffer.wrap(new byte[120])))
        .isInstanceOf(DhcpCodecException.class)
        .hasMessage("truncated header: 120 bytes, expected at least 240");
  }

  /**
   * The PXE DISCOVER, cut to {@code length} bytes (empty: whole), with single bytes overwritten
   * ({@code offset=value}, space-separated).
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|239=100|wrong magic cookie 63825364, expected 63825363",
        "244|240=53 241=5|option 53 overruns the packet at offset 240: length 5, 2 bytes left",
        "241|240=61|option 61 at offset 240 has no length byte"
      })
  void malformedCookieOrOption(Integer length, String edits, String message) {
    byte[] wire = length == null ? pxeDiscover() : Arrays.copyOf(pxeDiscover(), length);
    for (String edit : edits.split(" ")) {
      String[] offsetValue = edit.split("=");
      wire[Integer.parseInt(offsetValue[0])] = (byte) Integer.parseInt(offsetValue[1]);
    }
    assertThatThrownBy(() -> DhcpPacket.decode(ByteBuffer.wrap(wire)))
        .isInstanceOf(DhcpCodecException.class)
        .hasMessage(message);
  }

  @Test
  void userClassAndRequestedAddress() throws Exception {
    DhcpPacket p =
        DhcpPacket.decode(ByteBuffer.wrap(pxeDiscover()))
            .withOptions(
                List.of(
                    new Option(53, new byte[] {3}),
                    new Option(50, HEX.parseHex("c0000215")),
                    new Option(54, HEX.parseHex("c000020a")),
                    new Option(51, HEX.parseHex("00000e10")),
                    new Option(77, "iPXE".getBytes())));
    DhcpPacket back = DhcpPacket.decode(p.encode());
    assertThat(back.messageType()).contains(MessageType.REQUEST);
    assertThat(back.requestedIp()).contains(DhcpPacket.ipv4("192.0.2.21"));
    assertThat(back.serverId()).contains(DhcpPacket.ipv4("192.0.2.10"));
    assertThat(back.leaseTime()).contains(3600L);
    assertThat(back.userClass()).contains("iPXE");
  }

  @Test
  void fileFieldFilledToTheLastByteHasNoNul() throws Exception {
    byte[] wire = pxeDiscover();
    Arrays.fill(wire, 108, 236, (byte) 'x');
    DhcpPacket p = DhcpPacket.decode(ByteBuffer.wrap(wire));
    assertThat(p.file()).hasSize(128);
    assertThat(DhcpPacket.decode(p.encode())).isEqualTo(p);
  }
}
