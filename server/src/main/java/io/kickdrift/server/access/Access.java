package io.kickdrift.server.access;

import java.time.Instant;
import java.util.Optional;

/**
 * Who may do what in serve's console and API: the one object the HTTP front asks. Users come from
 * the users file, API tokens and the audit log from the state database, sessions from memory.
 * Implemented by {@code AccessControl}; {@link AdminTokenOnly} knows the admin token alone.
 */
public interface Access {
  /**
   * The principal of a bearer token ({@code Authorization: Bearer TOKEN}): a personal API token not
   * expired nor revoked, or the state's admin token; empty otherwise. Constant-time compared.
   */
  Optional<Principal> bearer(String token, Instant now);

  /** The live session with this cookie value (its idle timer restarts), else empty. */
  Optional<Session> session(String id, Instant now);

  /** A login attempt from address {@code from}; every outcome is audited. */
  Login login(String user, char[] password, String from, Instant now);

  /** Ends the session (a no-op for an unknown one). */
  void logout(String sessionId);

  /**
   * Records a change in the audit log: who ({@code principal.user()} and how), what ({@code
   * action}, e.g. {@code netboot on}), on what ({@code target}, e.g. the host), from where.
   */
  void audit(Principal who, String action, String target, String from, Instant at);
}
