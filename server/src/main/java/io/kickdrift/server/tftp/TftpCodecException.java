package io.kickdrift.server.tftp;

import java.io.IOException;

/** A datagram that is not a well-formed TFTP packet; the message says what was wrong. */
final class TftpCodecException extends IOException {
  public TftpCodecException(String message) {
    super(message);
  }
}
