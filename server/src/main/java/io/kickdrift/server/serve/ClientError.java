package io.kickdrift.server.serve;

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
}
