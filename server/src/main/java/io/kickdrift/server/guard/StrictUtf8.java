package io.kickdrift.server.guard;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as RFC 3629 has it: malformed and overlong sequences and encoded surrogates refused, never
 * replaced. The one decoder for bytes from outside (request bodies and parameters, inventories).
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /** Bytes that are not UTF-8; {@link #offset} is that of the first bad byte. */
  public static final class MalformedException extends CharacterCodingException {
    private final int offset;

    MalformedException(int offset) {
      this.offset = offset;
    }

    public int offset() {
      return offset;
    }

    @Override
    public String getMessage() {
      return "not UTF-8 at byte " + offset;
    }
  }

  /** {@code bytes} as text. */
  public static String decode(byte[] bytes) throws MalformedException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // one UTF-16 unit per byte at most: a 4-byte sequence makes a surrogate pair
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new MalformedException(in.position());
    }
    return out.flip().toString();
  }
}
