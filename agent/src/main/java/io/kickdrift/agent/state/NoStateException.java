package io.kickdrift.agent.state;

import java.io.IOException;

/**
 * A command that needs a server's state was pointed at a directory that holds none: never made
 * silently, so a mistyped path cannot split the state in two.
 */
public final class NoStateException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoStateException(String message) {
    super(message);
  }
}
