package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.tftp.TftpPacket.Ack;
import io.kickdrift.server.tftp.TftpPacket.Data;
import io.kickdrift.server.tftp.TftpPacket.Error;
import io.kickdrift.server.tftp.TftpPacket.ErrorCode;
import io.kickdrift.server.tftp.TftpPacket.Option;
import io.kickdrift.server.tftp.TftpPacket.OptionAck;
import io.kickdrift.server.tftp.TftpPacket.ReadRequest;
import io.kickdrift.server.tftp.TftpPacket.WriteRequest;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte for byte, both directions, with the malformed cases the decoder must name. */
class TftpPacketTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.replace('|', '\0').getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static byte[] cat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static TftpPacket decode(byte[] b) throws TftpCodecException {
    return TftpPacket.decode(ByteBuffer.wrap(b));
  }

  private static byte[] encode(TftpPacket p) {
    ByteBuffer b = p.encode();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static void both(TftpPacket packet, byte[] wire) throws TftpCodecException {
    assertThat(encode(packet)).containsExactly(wire);
    assertThat(decode(wire)).isEqualTo(packet);
  }

  @Test
  void readRequest() throws Exception {
    both(new ReadRequest("pxelinux.0", "octet"), cat(bytes(0, 1), ascii("pxelinux.0|octet|")));
  }

  @Test
  void readRequestWithOptionsInOrder() throws Exception {
    both(
        new ReadRequest(
            "a/b",
            "octet",
            List.of(
                new Option("blksize", "1428"),
                new Option("tsize", "0"),
                new Option("windowsize", "16"))),
        cat(bytes(0, 1), ascii("a/b|octet|blksize|1428|tsize|0|windowsize|16|")));
  }

  @Test
  void writeRequest() throws Exception {
    both(new WriteRequest("x", "netascii", List.of()), cat(bytes(0, 2), ascii("x|netascii|")));
  }

  @Test
  void data() throws Exception {
    both(new Data(1, bytes(0xde, 0xad)), bytes(0, 3, 0, 1, 0xde, 0xad));
    both(new Data(0x1234, new byte[0]), bytes(0, 3, 0x12, 0x34));
  }

  @Test
  void blockNumbersAtTheWrap() throws Exception {
    both(new Data(65535, bytes(7)), bytes(0, 3, 0xff, 0xff, 7));
    both(new Data(0, bytes(7)), bytes(0, 3, 0, 0, 7));
    both(new Ack(65535), bytes(0, 4, 0xff, 0xff));
    both(new Ack(0), bytes(0, 4, 0, 0));
    assertThatThrownBy(() -> new Ack(65536)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void error() throws Exception {
    both(new Error(ErrorCode.ACCESS_VIOLATION, "no"), bytes(0, 5, 0, 2, 'n', 'o', 0));
    both(new Error(1, ""), bytes(0, 5, 0, 1, 0));
  }

  @Test
  void optionAck() throws Exception {
    both(
        new OptionAck(List.of(new Option("blksize", "1428"), new Option("tsize", "33554432"))),
        cat(bytes(0, 6), ascii("blksize|1428|tsize|33554432|")));
  }

  @Test
  void trailingNulPaddingAfterARequestIsIgnored() throws Exception {
    assertThat(decode(cat(bytes(0, 1), ascii("f|octet|||"))))
        .isEqualTo(new ReadRequest("f", "octet"));
  }

  @Test
  void decodesFromTheBufferPosition() throws Exception {
    ByteBuffer b = ByteBuffer.wrap(bytes(9, 9, 0, 4, 0, 7));
    b.position(2);
    assertThat(TftpPacket.decode(b)).isEqualTo(new Ack(7));
  }

  @Test
  void malformedPacketsAreNamed() {
    assertMalformed(bytes(), "truncated: 0 bytes, no opcode");
    assertMalformed(bytes(0), "truncated: 1 bytes, no opcode");
    assertMalformed(bytes(0, 9), "unknown opcode 9");
    assertMalformed(bytes(0xff, 0xff, 1), "unknown opcode 65535");
    assertMalformed(cat(bytes(0, 1), ascii("file")), "RRQ: filename not NUL-terminated");
    assertMalformed(cat(bytes(0, 1), ascii("file|octet")), "RRQ: mode not NUL-terminated");
    assertMalformed(cat(bytes(0, 1), ascii("|octet|")), "RRQ: empty filename");
    assertMalformed(cat(bytes(0, 1), ascii("f||")), "RRQ: empty mode");
    assertMalformed(
        cat(bytes(0, 2), ascii("f|octet|blksize|")), "WRQ: option blksize has no value");
    assertMalformed(
        cat(bytes(0, 1), ascii("f|octet|blksize|14")),
        "RRQ: value of option blksize not NUL-terminated");
    assertMalformed(cat(bytes(0, 1), ascii("f|octet||x|")), "RRQ: empty option name");
    assertMalformed(cat(bytes(0, 1, 0xc3, 0x28, 0), ascii("octet|")), "RRQ: filename is not UTF-8");
    assertMalformed(bytes(0, 3, 0), "DATA: truncated block number");
    assertMalformed(bytes(0, 4, 0), "ACK: truncated block number");
    assertMalformed(bytes(0, 4, 0, 1, 0), "ACK: 1 bytes after the block number");
    assertMalformed(bytes(0, 5, 0), "ERROR: truncated error code");
    assertMalformed(bytes(0, 5, 0, 1, 'x'), "ERROR: message not NUL-terminated");
    assertMalformed(bytes(0, 5, 0, 1, 'x', 0, 'y'), "ERROR: 1 bytes after the message");
    assertMalformed(cat(bytes(0, 6), ascii("blksize")), "OACK: option name not NUL-terminated");
  }

  private static void assertMalformed(byte[] wire, String message) {
    assertThatThrownBy(() -> decode(wire))
        .isInstanceOf(TftpCodecException.class)
        .hasMessage(message);
  }
}
