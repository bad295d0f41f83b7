package io.kickdrift.server.guard;

import java.io.IOException;

/** A requested path that must not be served (it leaves the served root); the message says why. */
public final class PathRefusedException extends IOException {
  public PathRefusedException(String message) {
    super(message);
  }
}
