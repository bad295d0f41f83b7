package io.kickdrift.server.serve;

import io.kickdrift.server.access.Principal;
import io.kickdrift.server.access.Role;
import java.time.Instant;
import java.util.List;

/**
 * The accounts side of access control that the API's token, user and audit routes use; {@code
 * io.kickdrift.server.access.AccessControl} implements it. A request the caller got wrong (a scope
 * above its role, a bad name or password) is an {@link IllegalArgumentException} whose message the
 * client reads (400); a conflict (a user that exists) an {@link IllegalStateException} (409).
 */
public interface AccountAdmin {
  /** An API token as listed: never its secret. Times null when not set (never expires, …). */
  record Token(
      String id,
      String user,
      String name,
      Role scope,
      Instant created,
      Instant expires,
      Instant revoked,
      Instant lastUsed) {}

  /** A token just made, with the whole token text ({@code kd_ID_SECRET}), shown this once. */
  record NewToken(Token token, String secret) {}

  /** A user of the users file. */
  record User(String name, Role role) {}

  /** One line of the audit log. */
  record AuditEntry(
      long id,
      Instant at,
      String actor,
      String via,
      String action,
      String target,
      String origin,
      String detail) {}

  /** The caller's own tokens; an admin's call lists every user's. */
  List<Token> tokens(Principal who);

  /** A new token of the caller's user, scope at most its role, expiring at {@code expires}. */
  NewToken createToken(Principal who, String name, Role scope, Instant expires, Instant now);

  /** Revokes a token of the caller's (an admin: anyone's); false when there is no such token. */
  boolean revokeToken(Principal who, String id, Instant now);

  List<User> users();

  /** Adds a user to the users file (the password is hashed; the array is cleared). */
  void addUser(String name, Role role, char[] password);

  /** Removes a user and revokes its tokens; false when there is no such user. */
  boolean removeUser(String name);

  /**
   * The audit log, newest first: entries with an id below {@code before}, at most {@code limit}.
   */
  List<AuditEntry> audit(long before, int limit);
}
