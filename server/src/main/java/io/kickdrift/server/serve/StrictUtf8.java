package io.kickdrift.server.serve;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 as RFC 3629 has it: malformed and overlong sequences and lone surrogates refused. */
final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * {@code bytes} as text.
   *
   * @param what the name of what is decoded, for the message ("request body", "parameter host")
   * @throws ClientError 400, naming {@code what} and the offset of the first bad byte
   */
  static String decode(byte[] bytes, String what) throws ClientError {
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
      throw new ClientError(400, what + ": not UTF-8 at byte " + in.position());
    }
    return out.flip().toString();
  }
}
