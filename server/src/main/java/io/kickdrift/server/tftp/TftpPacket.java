package io.kickdrift.server.tftp;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One TFTP packet (RFC 1350, with RFC 2347 options): a pure codec, bytes in and records out.
 *
 * <pre>{@code
 * TftpPacket p = TftpPacket.decode(ByteBuffer.wrap(datagram)); // or TftpCodecException
 * ByteBuffer wire = new TftpPacket.Ack(7).encode();
 * }</pre>
 *
 * <p>Filenames and error messages are UTF-8; modes and options are ASCII (decoded as Latin-1 so any
 * byte survives a round trip). Block numbers are the 16-bit wire values, 0..65535.
 */
public sealed interface TftpPacket {
  /** The largest block RFC 2348 allows. */
  int MAX_BLOCK_SIZE = 65464;

  /** A request option in the order the client sent it; names are compared case-insensitively. */
  record Option(String name, String value) {
    public Option {
      requireText(name, "option name", false);
      requireText(value, "option value", true);
      requireLatin1(name + value);
    }
  }

  /** RRQ: read {@code filename} in {@code mode} ("octet", "netascii"), with options. */
  record ReadRequest(String filename, String mode, List<Option> options) implements TftpPacket {
    public ReadRequest {
      options = checkedRequest(filename, mode, options);
    }

    public ReadRequest(String filename, String mode) {
      this(filename, mode, List.of());
    }
  }

  /** WRQ: write {@code filename}. This server refuses them, but decodes them to say so. */
  record WriteRequest(String filename, String mode, List<Option> options) implements TftpPacket {
    public WriteRequest {
      options = checkedRequest(filename, mode, options);
    }
  }

  /** DATA: block {@code block} (wire number, wraps 65535 to 0) carrying {@code bytes}. */
  record Data(int block, byte[] bytes) implements TftpPacket {
    public Data {
      requireBlock(block);
      Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data d && d.block == block && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return 31 * block + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Data[block=" + block + ", " + bytes.length + " bytes]";
    }
  }

  /** ACK of block {@code block} (0 acknowledges an OACK). */
  record Ack(int block) implements TftpPacket {
    public Ack {
      requireBlock(block);
    }
  }

  /** ERROR with a code (see {@link ErrorCode}) and a message for humans. */
  record Error(int code, String message) implements TftpPacket {
    public Error {
      requireBlock(code);
      requireText(message, "error message", true);
    }

    public Error(ErrorCode code, String message) {
      this(code.code(), message);
    }
  }

  /** OACK: the options the server accepted, with the values it chose. */
  record OptionAck(List<Option> options) implements TftpPacket {
    public OptionAck {
      options = List.copyOf(options);
    }
  }

  /** The error codes of RFC 1350 and RFC 2347. */
  enum ErrorCode {
    UNDEFINED(0),
    FILE_NOT_FOUND(1),
    ACCESS_VIOLATION(2),
    DISK_FULL(3),
    ILLEGAL_OPERATION(4),
    UNKNOWN_TRANSFER_ID(5),
    FILE_EXISTS(6),
    NO_SUCH_USER(7),
    OPTION_REFUSED(8);

    private final int code;

    ErrorCode(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /** Decodes one whole datagram, from position to limit. */
  static TftpPacket decode(ByteBuffer in) throws TftpCodecException {
    ByteBuffer b = in.slice();
    if (b.remaining() < 2) {
      throw new TftpCodecException("truncated: " + b.remaining() + " bytes, no opcode");
    }
    int opcode = Short.toUnsignedInt(b.getShort());
    try {
      return switch (opcode) {
        case 1 -> {
          TftpWire.Request r = TftpWire.Request.decode(b, "RRQ");
          yield new ReadRequest(r.filename(), r.mode(), r.options());
        }
        case 2 -> {
          TftpWire.Request r = TftpWire.Request.decode(b, "WRQ");
          yield new WriteRequest(r.filename(), r.mode(), r.options());
        }
        case 3 -> {
          int block = u16(b, "DATA", "block number");
          byte[] bytes = new byte[b.remaining()];
          b.get(bytes);
          yield new Data(block, bytes);
        }
        case 4 -> {
          int block = u16(b, "ACK", "block number");
          if (b.hasRemaining()) {
            throw new TftpCodecException("ACK: " + b.remaining() + " bytes after the block number");
          }
          yield new Ack(block);
        }
        case 5 -> {
          int code = u16(b, "ERROR", "error code");
          String message =
              TftpWire.utf8(TftpWire.cString(b, "ERROR", "message"), "ERROR", "message");
          if (b.hasRemaining()) {
            throw new TftpCodecException("ERROR: " + b.remaining() + " bytes after the message");
          }
          yield new Error(code, message);
        }
        case 6 -> new OptionAck(TftpWire.options(b, "OACK"));
        default -> throw new TftpCodecException("unknown opcode " + opcode);
      };
    } catch (BufferUnderflowException e) {
      throw new TftpCodecException("truncated packet, opcode " + opcode);
    }
  }

  /** The wire bytes, in a new buffer ready to read. */
  default ByteBuffer encode() {
    ByteBuffer out = ByteBuffer.allocate(encodedSize(this));
    encode(out);
    return out.flip();
  }

  /** Writes the wire bytes at {@code out}'s position. */
  default void encode(ByteBuffer out) {
    if (this instanceof ReadRequest r) {
      out.putShort((short) 1);
      TftpWire.putRequest(out, r.filename(), r.mode(), r.options());
    } else if (this instanceof WriteRequest w) {
      out.putShort((short) 2);
      TftpWire.putRequest(out, w.filename(), w.mode(), w.options());
    } else if (this instanceof Data d) {
      out.putShort((short) 3).putShort((short) d.block()).put(d.bytes());
    } else if (this instanceof Ack a) {
      out.putShort((short) 4).putShort((short) a.block());
    } else if (this instanceof Error e) {
      out.putShort((short) 5).putShort((short) e.code());
      out.put(e.message().getBytes(StandardCharsets.UTF_8)).put((byte) 0);
    } else if (this instanceof OptionAck o) {
      out.putShort((short) 6);
      TftpWire.putOptions(out, o.options());
    }
  }

  private static int encodedSize(TftpPacket p) {
    if (p instanceof ReadRequest r) {
      return 2 + TftpWire.requestSize(r.filename(), r.mode(), r.options());
    } else if (p instanceof WriteRequest w) {
      return 2 + TftpWire.requestSize(w.filename(), w.mode(), w.options());
    } else if (p instanceof Data d) {
      return 4 + d.bytes().length;
    } else if (p instanceof Error e) {
      return 5 + e.message().getBytes(StandardCharsets.UTF_8).length;
    } else if (p instanceof OptionAck o) {
      return 2 + TftpWire.optionsSize(o.options());
    }
    return 4;
  }

  private static int u16(ByteBuffer b, String packet, String field) throws TftpCodecException {
    if (b.remaining() < 2) {
      throw new TftpCodecException(packet + ": truncated " + field);
    }
    return Short.toUnsignedInt(b.getShort());
  }

  private static void requireBlock(int n) {
    if (n < 0 || n > 0xFFFF) {
      throw new IllegalArgumentException("not a 16-bit number: " + n);
    }
  }

  /** Checks an RRQ's or WRQ's filename and mode; returns an unmodifiable copy of its options. */
  private static List<Option> checkedRequest(String filename, String mode, List<Option> options) {
    requireText(filename, "filename", false);
    requireText(mode, "mode", false);
    requireLatin1(mode);
    return List.copyOf(options);
  }

  private static void requireLatin1(String s) {
    if (!s.chars().allMatch(c -> c <= 0xFF)) {
      throw new IllegalArgumentException("not ASCII/Latin-1: " + s);
    }
  }

  private static void requireText(String s, String what, boolean mayBeEmpty) {
    Objects.requireNonNull(s, what);
    if (!mayBeEmpty && s.isEmpty()) {
      throw new IllegalArgumentException("empty " + what);
    }
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains NUL");
    }
  }
}
