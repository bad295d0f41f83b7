package io.kickdrift.server.access;

import java.time.Duration;
import java.time.Instant;

/** How a login attempt went. */
public sealed interface Login {
  /** Right name and password, account not locked: a new session. */
  record Ok(Session session) implements Login {}

  /** Unknown user or wrong password (the two answer alike). */
  record Refused() implements Login {}

  /** Too many wrong passwords for this account: refused until {@code until}, whatever is sent. */
  record Locked(Instant until) implements Login {}

  /** Too many attempts from this address: try again after {@code retryAfter}. */
  record Throttled(Duration retryAfter) implements Login {}
}
