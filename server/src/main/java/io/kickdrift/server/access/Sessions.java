package io.kickdrift.server.access;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The logged-in browsers, in memory (a restart logs everyone out): ids and CSRF tokens of 32 random
 * bytes (base64url), an idle timeout and an absolute limit, at most {@code max} sessions (the
 * oldest goes first). Each session keeps a stamp, the user's password hash at login: a session
 * whose user's hash changed is ended by {@link AccessControl}.
 */
public final class Sessions {
  /** A live session and the stamp it was opened with. */
  public record Live(Session session, String stamp) {}

  private final Duration idle;
  private final Duration absolute;
  private final int max;
  private final SecureRandom random = new SecureRandom();
  private final LinkedHashMap<String, Live> live = new LinkedHashMap<>();

  public Sessions(Duration idle, Duration absolute, int max) {
    if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero()) {
      throw new IllegalArgumentException("session timeouts must be positive");
    }
    if (max < 1) {
      throw new IllegalArgumentException("at most " + max + " sessions; expected 1 or more");
    }
    this.idle = idle;
    this.absolute = absolute;
    this.max = max;
  }

  /** A new session for {@code who}. */
  public synchronized Session open(Principal who, String stamp, Instant now) {
    Session s = new Session(token(), token(), who, now, now);
    live.put(s.id(), new Live(s, stamp));
    bound(live, max);
    return s;
  }

  /** The live session {@code id}, its idle timer restarted; an expired one is ended. */
  public synchronized Optional<Live> find(String id, Instant now) {
    Live l = id == null ? null : live.get(id);
    if (l == null) {
      return Optional.empty();
    }
    Session s = l.session();
    if (!now.isBefore(s.lastSeen().plus(idle)) || !now.isBefore(s.created().plus(absolute))) {
      live.remove(id);
      return Optional.empty();
    }
    Live touched =
        new Live(new Session(s.id(), s.csrf(), s.principal(), s.created(), now), l.stamp());
    live.put(id, touched); // an existing key keeps its place: eviction stays by age
    return Optional.of(touched);
  }

  /** Ends the session (no-op when unknown). */
  public synchronized void end(String id) {
    if (id != null) {
      live.remove(id);
    }
  }

  /** Ends every session of {@code user}; returns how many. */
  public synchronized int endUser(String user) {
    int before = live.size();
    live.values().removeIf(l -> l.session().principal().user().equals(user));
    return before - live.size();
  }

  /** How many sessions are live (expired ones not yet met count too). */
  public synchronized int size() {
    return live.size();
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static <K, V> void bound(Map<K, V> map, int max) {
    Iterator<K> oldest = map.keySet().iterator();
    while (map.size() > max) {
      oldest.next();
      oldest.remove();
    }
  }
}
