package io.kickdrift.server.fleet;

/**
 * A host could not be reached, would not let us in, or a command or transfer on it failed. The
 * message is one line that starts with the host, e.g. {@code web01 (10.0.0.5:22): connect timed out
 * after 5 s}.
 */
final class SshException extends Exception {
  private static final long serialVersionUID = 1L;

  SshException(SshTarget target, String message) {
    super(target + ": " + message);
  }

  SshException(SshTarget target, String message, Throwable cause) {
    super(target + ": " + message, cause);
  }
}
