package io.kickdrift.agent.pkgdb.deb;

import java.io.IOException;

/** A .deb metadata index file that cannot be trusted: truncated, corrupt or of another version. */
final class DebIndexException extends IOException {
  DebIndexException(String message) {
    super(message);
  }
}
