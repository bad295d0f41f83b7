package io.kickdrift.server.state;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One install window of a host: a random id, when it was issued and when it expires. It starts when
 * netboot is turned on and ends with the host's install callback or {@code netboot disable}; the
 * kickstart and callback URLs carry a token derived from the id and the server's key, so the id
 * alone (a copy of the database) does not make a token.
 */
public record Install(String id, Instant issued, Instant expires) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public Install {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("an install needs an id");
    }
    if (!expires.isAfter(issued)) {
      throw new IllegalArgumentException(
          "install " + id + " expires at " + expires + ", not after its issue at " + issued);
    }
  }

  /** A new install with 128 random bits of id, issued {@code at}, valid for {@code lifetime}. */
  public static Install start(Instant at, Duration lifetime) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return new Install(HexFormat.of().formatHex(id), at, at.plus(lifetime));
  }

  /** Whether the window has closed at {@code now}. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expires);
  }

  /** The first 8 characters of the id: enough to tell installs apart in logs and events. */
  public String shortId() {
    return id.substring(0, Math.min(8, id.length()));
  }
}
