package io.kickdrift.server.access;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Slows password guessing, in memory (each serve instance counts alone): an account is locked for
 * {@code lockout} after {@code lockoutAfter} wrong passwords within {@code lockout}, and an address
 * may try {@code perMinute} logins a minute. Names are counted whether or not the user exists, so a
 * lockout tells nothing about which users exist.
 */
public final class LoginGuard {
  /** The limits: {@code --login-lockout-after} (5), {@code --login-lockout} (15m), 20 a minute. */
  public record Limits(int lockoutAfter, Duration lockout, int perMinute) {
    public Limits {
      if (lockoutAfter < 1 || perMinute < 1 || lockout.isNegative() || lockout.isZero()) {
        throw new IllegalArgumentException(
            "login limits: lockout after "
                + lockoutAfter
                + ", lockout "
                + lockout
                + ", "
                + perMinute
                + " a minute; expected positive numbers");
      }
    }

    public static Limits defaults() {
      return new Limits(5, Duration.ofMinutes(15), 20);
    }
  }

  private static final Duration MINUTE = Duration.ofMinutes(1);
  // Bounds the memory an attacker with many names or addresses can make us hold.
  private static final int TRACKED = 10_000;

  private final Limits limits;
  private final LinkedHashMap<String, ArrayDeque<Instant>> failures = new LinkedHashMap<>();
  private final LinkedHashMap<String, Instant> locked = new LinkedHashMap<>();
  private final LinkedHashMap<String, ArrayDeque<Instant>> attempts = new LinkedHashMap<>();

  public LoginGuard(Limits limits) {
    this.limits = limits;
  }

  /**
   * Counts an attempt of {@code user} from {@code from}: Throttled or Locked when it may not even
   * be checked, else empty (go on and verify the password).
   */
  public synchronized Optional<Login> admit(String user, String from, Instant now) {
    ArrayDeque<Instant> recent = attempts.computeIfAbsent(from, k -> new ArrayDeque<>());
    drop(recent, now.minus(MINUTE));
    if (recent.size() >= limits.perMinute()) {
      Duration wait = Duration.between(now, recent.peekFirst().plus(MINUTE));
      return Optional.of(new Login.Throttled(wait.isNegative() ? Duration.ZERO : wait));
    }
    recent.addLast(now);
    Sessions.bound(attempts, TRACKED);
    Instant until = locked.get(user);
    if (until != null) {
      if (now.isBefore(until)) {
        return Optional.of(new Login.Locked(until));
      }
      locked.remove(user);
    }
    return Optional.empty();
  }

  /** A wrong password for {@code user}: the lock's end when this one locks the account. */
  public synchronized Optional<Instant> failed(String user, Instant now) {
    ArrayDeque<Instant> list = failures.computeIfAbsent(user, k -> new ArrayDeque<>());
    drop(list, now.minus(limits.lockout()));
    list.addLast(now);
    Sessions.bound(failures, TRACKED);
    if (list.size() >= limits.lockoutAfter()) {
      failures.remove(user);
      Instant until = now.plus(limits.lockout());
      locked.put(user, until);
      Sessions.bound(locked, TRACKED);
      return Optional.of(until);
    }
    return Optional.empty();
  }

  /** A right password: the account's count starts again. */
  public synchronized void succeeded(String user) {
    failures.remove(user);
  }

  private static void drop(ArrayDeque<Instant> times, Instant before) {
    while (!times.isEmpty() && !times.peekFirst().isAfter(before)) {
      times.removeFirst();
    }
  }
}
