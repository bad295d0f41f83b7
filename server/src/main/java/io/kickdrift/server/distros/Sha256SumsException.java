package io.kickdrift.server.distros;

/** A {@code SHA256SUMS} that cannot be read; the message starts with {@code SHA256SUMS:LINE:}. */
final class Sha256SumsException extends Exception {
  public Sha256SumsException(int line, String message) {
    super("SHA256SUMS:" + line + ": " + message);
  }
}
