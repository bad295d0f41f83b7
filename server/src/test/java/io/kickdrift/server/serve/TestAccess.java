package io.kickdrift.server.serve;

import io.kickdrift.server.access.Access;
import io.kickdrift.server.access.Login;
import io.kickdrift.server.access.Principal;
import io.kickdrift.server.access.Role;
import io.kickdrift.server.access.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Access for tests: bearer tokens {@code viewer}, {@code operator}, {@code admin} of the role they
 * name, one session per role (cookie {@code s-ROLE}, CSRF token {@code c-ROLE}), and the audit
 * lines written, in order.
 */
final class TestAccess implements Access {
  /** One audit line. */
  record Audited(String user, String action, String target, String from) {}

  final List<Audited> audited = Collections.synchronizedList(new ArrayList<>());

  @Override
  public Optional<Principal> bearer(String token, Instant now) {
    try {
      Role role = Role.of(token);
      return Optional.of(new Principal(token + "-user", role, "token:" + token));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<Session> session(String id, Instant now) {
    if (!id.startsWith("s-")) {
      return Optional.empty();
    }
    try {
      Role role = Role.of(id.substring(2));
      Principal p = new Principal(role.word() + "-user", role, "session");
      return Optional.of(new Session(id, "c-" + role.word(), p, now, now));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public Login login(String user, char[] password, String from, Instant now) {
    return new Login.Refused();
  }

  @Override
  public void logout(String sessionId) {}

  @Override
  public void audit(Principal who, String action, String target, String from, Instant at) {
    audited.add(new Audited(who.user(), action, target, from));
  }
}
