package io.kickdrift.server.serve;

import io.kickdrift.server.guard.StrictUtf8;

/**
 * A request the client got wrong (a body too large or not UTF-8, a bad query parameter): the 4xx
 * status and a short message that names what was wrong, for the client to read. Never carries
 * another exception's text.
 */
final class ClientError extends Exception {
  private final int status;

  ClientError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  /** {@code bytes} as strict UTF-8, else 400 naming {@code what} and the first bad byte. */
  static String utf8(byte[] bytes, String what) throws ClientError {
    try {
      return StrictUtf8.decode(bytes);
    } catch (StrictUtf8.MalformedException e) {
      throw new ClientError(400, what + ": " + e.getMessage());
    }
  }
}
