package io.kickdrift.server.access;

import io.kickdrift.server.state.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Access control as serve runs it: users from the users file ({@link UsersFile}, re-read when it
 * changes), passwords checked with {@link Passwords}, sessions in memory ({@link Sessions}), logins
 * guarded ({@link LoginGuard}), API tokens and the audit log in the state database ({@link
 * ApiTokens}, {@link AuditLog}), and the state's admin token ({@link AdminTokenOnly}). A token or
 * session never does more than its user may now: a user demoted or removed loses it at once, a
 * password changed ends its sessions. Every login, token and user change is audited.
 */
public final class AccessControl implements Access, AutoCloseable {
  /**
   * @param users the users file
   * @param state the state directory (its database holds tokens and the audit log)
   * @param adminToken the state's admin token
   * @param limits lockout and throttle
   * @param sessionIdle how long a session may stay unused
   */
  public record Settings(
      Path users, Path state, byte[] adminToken, LoginGuard.Limits limits, Duration sessionIdle) {}

  /** Sessions end after a day whatever their use; at most this many live at once. */
  static final Duration SESSION_LIMIT = Duration.ofHours(24);

  static final int MAX_SESSIONS = 10_000;

  private final UsersFile users;
  private final ApiTokens tokens;
  private final AuditLog audit;
  private final Sessions sessions;
  private final LoginGuard guard;
  private final AdminTokenOnly admin;

  private AccessControl(Settings s, Database db) {
    this.users = new UsersFile(s.users());
    this.tokens = new ApiTokens(db.share());
    this.audit = new AuditLog(db);
    this.sessions =
        new Sessions(
            s.sessionIdle(),
            s.sessionIdle().compareTo(SESSION_LIMIT) > 0 ? s.sessionIdle() : SESSION_LIMIT,
            MAX_SESSIONS);
    this.guard = new LoginGuard(s.limits());
    this.admin = new AdminTokenOnly(s.adminToken());
  }

  /** Opens the token and audit tables of SQLite's file in the state directory (migrated first). */
  public static AccessControl open(Settings settings) {
    return open(settings, Database.sqlite(settings.state()));
  }

  /**
   * The same over {@code db}, which this closes when closed (pass {@code db.share()} to keep it).
   */
  public static AccessControl open(Settings settings, Database db) {
    return new AccessControl(settings, db);
  }

  /** The users file in use (for serve's log and its problems). */
  public UsersFile usersFile() {
    return users;
  }

  @Override
  public Optional<Principal> bearer(String token, Instant now) {
    Optional<Principal> root = admin.bearer(token, now);
    if (root.isPresent() || !ApiTokens.looksLike(token.strip())) {
      return root;
    }
    Optional<ApiTokens.Token> t = tokens.check(token.strip(), now);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    UsersFile.User u = users.users().get(t.get().user());
    if (u == null) {
      return Optional.empty(); // the user is gone, and with it what its tokens may do
    }
    Role role = u.role().covers(t.get().scope()) ? t.get().scope() : u.role();
    return Optional.of(new Principal(u.name(), role, "token:" + t.get().id()));
  }

  @Override
  public Optional<Session> session(String id, Instant now) {
    Optional<Sessions.Live> live = sessions.find(id, now);
    if (live.isEmpty()) {
      return Optional.empty();
    }
    Session s = live.get().session();
    UsersFile.User u = users.users().get(s.principal().user());
    if (u == null || !u.password().equals(live.get().stamp())) {
      sessions.end(s.id()); // removed, or the password changed since the login
      return Optional.empty();
    }
    Principal now_ = new Principal(u.name(), u.role(), "session");
    return Optional.of(new Session(s.id(), s.csrf(), now_, s.created(), s.lastSeen()));
  }

  @Override
  public Login login(String user, char[] password, String from, Instant now) {
    String who = user == null ? "" : user;
    Optional<Login> refused = guard.admit(who, from, now);
    if (refused.isPresent()) {
      audit.add(now, who, "login", "login refused", who, from, word(refused.get()));
      return refused.get();
    }
    UsersFile.User u = users.users().get(who);
    // an unknown user costs the same verification as a known one
    boolean right = Passwords.verify(u == null ? Passwords.DUMMY : u.password(), password);
    if (u == null || !right) {
      Optional<Instant> locked = guard.failed(who, now);
      audit.add(
          now,
          who,
          "login",
          "login refused",
          who,
          from,
          "wrong user or password" + locked.map(t -> "; locked until " + t).orElse(""));
      return new Login.Refused();
    }
    guard.succeeded(who);
    Session s = sessions.open(new Principal(u.name(), u.role(), "session"), u.password(), now);
    audit.add(now, u.name(), "login", "login", u.name(), from, "");
    return new Login.Ok(s);
  }

  @Override
  public void logout(String sessionId) {
    sessions.end(sessionId);
  }

  @Override
  public void audit(Principal who, String action, String target, String from, Instant at) {
    audit.add(at, who.user(), who.via(), action, target, from, "");
  }

  // ---- accounts: what the API's token, user and audit routes do ----------------------------

  /** The caller's tokens; an admin's call lists everyone's. */
  public List<ApiTokens.Token> tokens(Principal who) {
    return tokens.list(who.may(Role.ADMIN) ? null : who.user());
  }

  /** A new token of the caller's user, its scope at most the user's role. */
  public ApiTokens.Created createToken(
      Principal who, String name, Role scope, Instant expires, Instant now) {
    UsersFile.User u = users.users().get(who.user());
    if (u == null) {
      throw new IllegalArgumentException(
          who.user() + " is no user of " + users.file() + ": tokens belong to users");
    }
    if (!u.role().covers(scope)) {
      throw new IllegalArgumentException(
          "scope " + scope.word() + " is above " + u.name() + "'s role " + u.role().word());
    }
    if (expires != null && !expires.isAfter(now)) {
      throw new IllegalArgumentException("expires: expected a time in the future");
    }
    ApiTokens.Created c = tokens.create(u.name(), name == null ? "" : name, scope, now, expires);
    audit.add(now, who.user(), who.via(), "token create", c.token().id(), "", scope.word());
    return c;
  }

  /** Revokes a token of the caller's (an admin: anyone's); false when there is none such. */
  public boolean revokeToken(Principal who, String id, Instant now) {
    Optional<ApiTokens.Token> t = tokens.find(id);
    if (t.isEmpty() || (!who.may(Role.ADMIN) && !t.get().user().equals(who.user()))) {
      return false;
    }
    boolean done = tokens.revoke(id, now);
    if (done) {
      audit.add(now, who.user(), who.via(), "token revoke", id, "", t.get().user());
    }
    return done;
  }

  /** The users, by name. */
  public List<UsersFile.User> users() {
    return new ArrayList<>(new TreeMap<>(users.users()).values());
  }

  /** Adds a user or, when it exists and {@code replace}, sets its role and password. */
  public void putUser(
      Principal who, String name, Role role, char[] password, boolean replace, Instant now)
      throws IOException, UsersFile.UsersException {
    if (name == null || !UsersFile.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "user name: expected a letter or digit, then letters, digits, . _ - @ (64 at most)");
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("password: expected a password, not an empty one");
    }
    String hash = Passwords.hash(password);
    java.util.Arrays.fill(password, '\0');
    boolean[] existed = new boolean[1];
    users.change(
        all -> {
          existed[0] = all.containsKey(name);
          if (existed[0] && !replace) {
            throw new IllegalStateException("user " + name + " exists");
          }
          Role keep = role != null ? role : existed[0] ? all.get(name).role() : Role.VIEWER;
          all.put(name, new UsersFile.User(name, keep, hash));
          return all;
        });
    // a changed password ends the user's sessions (their stamp no longer matches)
    sessions.endUser(name);
    audit.add(
        now,
        who.user(),
        who.via(),
        existed[0] ? "user change" : "user add",
        name,
        "",
        role == null ? "password" : role.word());
  }

  /** Removes a user, revokes its tokens, ends its sessions; false when there is none such. */
  public boolean removeUser(Principal who, String name, Instant now)
      throws IOException, UsersFile.UsersException {
    boolean[] found = new boolean[1];
    users.change(
        all -> {
          found[0] = all.remove(name) != null;
          return all;
        });
    if (!found[0]) {
      return false;
    }
    tokens.revokeUser(name, now);
    sessions.endUser(name);
    audit.add(now, who.user(), who.via(), "user remove", name, "", "");
    return true;
  }

  /** The audit log, newest first: entries with an id below {@code before}. */
  public List<AuditLog.Entry> audit(long before, int limit) {
    return audit.page(limit, before == Long.MAX_VALUE ? null : before);
  }

  private static String word(Login refusal) {
    if (refusal instanceof Login.Locked l) {
      return "locked until " + l.until();
    }
    if (refusal instanceof Login.Throttled t) {
      return "throttled for " + t.retryAfter().toSeconds() + " s";
    }
    return "refused";
  }

  @Override
  public void close() {
    tokens.close();
    audit.close();
  }

  /** Who a change made with the kickdrift command is audited as: the Unix user, "@cli". */
  public static Principal cli() {
    return new Principal(System.getProperty("user.name", "?") + "@cli", Role.ADMIN, "cli");
  }
}
