package io.kickdrift.server.tftp;

import java.io.IOException;

/** A request for a path that must not be served (outside the root); answered with ERROR 2. */
final class TftpRefusedException extends IOException {
  public TftpRefusedException(String message) {
    super(message);
  }
}
