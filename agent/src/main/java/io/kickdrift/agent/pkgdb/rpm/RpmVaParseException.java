package io.kickdrift.agent.pkgdb.rpm;

import java.io.IOException;

/** A line of {@code rpm -V} output is not in the format rpm prints. */
final class RpmVaParseException extends IOException {
  private static final long serialVersionUID = 1L;

  public RpmVaParseException(String message) {
    super(message);
  }
}
