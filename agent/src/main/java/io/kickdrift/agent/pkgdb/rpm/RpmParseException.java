package io.kickdrift.agent.pkgdb.rpm;

import java.io.IOException;

/** An RPM header blob, or the package it describes, is malformed. */
final class RpmParseException extends IOException {
  private static final long serialVersionUID = 1L;

  public RpmParseException(String message) {
    super(message);
  }
}
