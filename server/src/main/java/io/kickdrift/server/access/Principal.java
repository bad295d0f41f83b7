package io.kickdrift.server.access;

/**
 * Who made a request, once authenticated.
 *
 * @param user the user name (for the admin token: {@code admin-token})
 * @param role what the request may do: the user's role, or a token's scope (never above its user's
 *     role)
 * @param via how it was authenticated, for the audit log: {@code session}, {@code token:ID}, {@code
 *     admin-token}
 */
public record Principal(String user, Role role, String via) {
  /** Whether this principal may do what {@code needed} may. */
  public boolean may(Role needed) {
    return role.covers(needed);
  }
}
