package io.kickdrift.server.tftp;

import io.kickdrift.server.guard.LogText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** NUL-terminated strings and option lists, the shared shapes of RRQ, WRQ and OACK. */
final class TftpWire {
  /** How much of a client's option name a decoder message shows. */
  private static final int MAX_NAME_SHOWN = 40;

  private TftpWire() {}

  /** The fields of an RRQ or WRQ. */
  record Request(String filename, String mode, List<TftpPacket.Option> options) {
    static Request decode(ByteBuffer b, String packet) throws TftpCodecException {
      String filename = utf8(cString(b, packet, "filename"), packet, "filename");
      if (filename.isEmpty()) {
        throw new TftpCodecException(packet + ": empty filename");
      }
      String mode = latin1(cString(b, packet, "mode"));
      if (mode.isEmpty()) {
        throw new TftpCodecException(packet + ": empty mode");
      }
      return new Request(filename, mode, TftpWire.options(b, packet));
    }
  }

  static byte[] cString(ByteBuffer b, String packet, String field) throws TftpCodecException {
    int start = b.position();
    for (int i = start; i < b.limit(); i++) {
      if (b.get(i) == 0) {
        byte[] s = new byte[i - start];
        b.get(s).get();
        return s;
      }
    }
    throw new TftpCodecException(packet + ": " + field + " not NUL-terminated");
  }

  static String utf8(byte[] bytes, String packet, String field) throws TftpCodecException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new TftpCodecException(packet + ": " + field + " is not UTF-8");
    }
  }

  static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Option pairs up to the end; trailing NUL padding, which some PXE ROMs send, is ignored. */
  static List<TftpPacket.Option> options(ByteBuffer b, String packet) throws TftpCodecException {
    var options = new java.util.ArrayList<TftpPacket.Option>();
    while (b.hasRemaining()) {
      if (onlyZeros(b)) {
        b.position(b.limit());
        break;
      }
      String name = latin1(cString(b, packet, "option name"));
      if (name.isEmpty()) {
        throw new TftpCodecException(packet + ": empty option name");
      }
      // The name goes into messages that are logged and sent back: bounded and made printable.
      String shown = LogText.of(name, MAX_NAME_SHOWN);
      if (!b.hasRemaining()) {
        throw new TftpCodecException(packet + ": option " + shown + " has no value");
      }
      String value = latin1(cString(b, packet, "value of option " + shown));
      options.add(new TftpPacket.Option(name, value));
    }
    return options;
  }

  private static boolean onlyZeros(ByteBuffer b) {
    for (int i = b.position(); i < b.limit(); i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  static void putRequest(
      ByteBuffer out, String filename, String mode, List<TftpPacket.Option> options) {
    out.put(filename.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
    out.put(mode.getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0);
    putOptions(out, options);
  }

  static void putOptions(ByteBuffer out, List<TftpPacket.Option> options) {
    for (TftpPacket.Option o : options) {
      out.put(o.name().getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0);
      out.put(o.value().getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0);
    }
  }

  static int requestSize(String filename, String mode, List<TftpPacket.Option> options) {
    return filename.getBytes(StandardCharsets.UTF_8).length
        + mode.getBytes(StandardCharsets.ISO_8859_1).length
        + 2
        + optionsSize(options);
  }

  static int optionsSize(List<TftpPacket.Option> options) {
    int n = 0;
    for (TftpPacket.Option o : options) {
      n += o.name().length() + o.value().length() + 2;
    }
    return n;
  }
}
