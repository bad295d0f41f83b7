package io.kickdrift.agent.pkgdb.dpkg;

import java.io.IOException;

/**
 * A dpkg database file is not in the expected format; the message starts with {@code file:line:}.
 */
final class DpkgParseException extends IOException {
  private static final long serialVersionUID = 1L;

  public DpkgParseException(String file, int line, String message) {
    super(file + ":" + line + ": " + message);
  }

  DpkgParseException(String message) {
    super(message);
  }
}
