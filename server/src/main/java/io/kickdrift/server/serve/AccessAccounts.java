package io.kickdrift.server.serve;

import io.kickdrift.server.access.AccessControl;
import io.kickdrift.server.access.ApiTokens;
import io.kickdrift.server.access.AuditLog;
import io.kickdrift.server.access.Principal;
import io.kickdrift.server.access.Role;
import io.kickdrift.server.access.UsersFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The API's accounts routes over {@link AccessControl}: its tokens, users and audit log in the
 * shapes {@link AccountAdmin} promises. The router audits each call with who made it; the user
 * changes are also audited by AccessControl, as made through the API.
 */
final class AccessAccounts implements AccountAdmin {
  private static final Principal API = new Principal("api", Role.ADMIN, "api");

  private final AccessControl access;

  AccessAccounts(AccessControl access) {
    this.access = access;
  }

  @Override
  public List<Token> tokens(Principal who) {
    return access.tokens(who).stream().map(AccessAccounts::token).toList();
  }

  @Override
  public NewToken createToken(
      Principal who, String name, Role scope, Instant expires, Instant now) {
    ApiTokens.Created c = access.createToken(who, name, scope, expires, now);
    return new NewToken(token(c.token()), c.text());
  }

  @Override
  public boolean revokeToken(Principal who, String id, Instant now) {
    return access.revokeToken(who, id, now);
  }

  @Override
  public List<User> users() {
    return access.users().stream().map(u -> new User(u.name(), u.role())).toList();
  }

  @Override
  public void addUser(String name, Role role, char[] password) {
    try {
      access.putUser(API, name, role, password, false, Instant.now());
    } catch (UsersFile.UsersException e) {
      throw new IllegalStateException(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean removeUser(String name) {
    try {
      return access.removeUser(API, name, Instant.now());
    } catch (UsersFile.UsersException e) {
      throw new IllegalStateException(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<AuditEntry> audit(long before, int limit) {
    return access.audit(before, limit).stream().map(AccessAccounts::entry).toList();
  }

  private static Token token(ApiTokens.Token t) {
    return new Token(
        t.id(), t.user(), t.name(), t.scope(), t.created(), t.expires(), t.revoked(), t.lastUsed());
  }

  private static AuditEntry entry(AuditLog.Entry e) {
    return new AuditEntry(
        e.id(), e.at(), e.actor(), e.via(), e.action(), e.target(), e.origin(), e.detail());
  }
}
