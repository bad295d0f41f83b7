package io.kickdrift.server.state;

/** The state database could not be read or written; the message names the database and why. */
public final class StateException extends RuntimeException {
  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}
