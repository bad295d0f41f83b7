package io.kickdrift.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lockout per account, throttle per address, both over a clock the test moves. */
class LoginGuardTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  private final LoginGuard guard =
      new LoginGuard(new LoginGuard.Limits(3, Duration.ofMinutes(15), 5));

  @Test
  void anAccountIsLockedAfterItsWrongPasswordsAndOpensWhenTheLockEnds() {
    assertThat(guard.admit("alice", "a", T0)).isEmpty();
    assertThat(guard.failed("alice", T0)).isEmpty();
    assertThat(guard.failed("alice", T0.plusSeconds(60))).isEmpty();
    Instant third = T0.plusSeconds(120);
    assertThat(guard.failed("alice", third)).contains(third.plus(Duration.ofMinutes(15)));

    // locked whatever address it comes from; another account is not
    assertThat(guard.admit("alice", "b", third.plusSeconds(1)))
        .contains(new Login.Locked(third.plus(Duration.ofMinutes(15))));
    assertThat(guard.admit("bob", "b", third.plusSeconds(1))).isEmpty();
    assertThat(guard.admit("alice", "c", third.plus(Duration.ofMinutes(15)))).isEmpty();
  }

  @Test
  void wrongPasswordsOlderThanTheLockoutDoNotCount() {
    guard.failed("alice", T0);
    guard.failed("alice", T0.plusSeconds(1));
    assertThat(guard.failed("alice", T0.plus(Duration.ofMinutes(16)))).isEmpty();
  }

  @Test
  void aRightPasswordStartsTheCountAgain() {
    guard.failed("alice", T0);
    guard.failed("alice", T0);
    guard.succeeded("alice");
    assertThat(guard.failed("alice", T0)).isEmpty();
    assertThat(guard.failed("alice", T0)).isEmpty();
    assertThat(guard.failed("alice", T0)).isPresent();
  }

  @Test
  void anAddressIsThrottledForTheRestOfItsMinute() {
    for (int i = 0; i < 5; i++) {
      assertThat(guard.admit("user" + i, "192.0.2.7", T0.plusSeconds(i))).isEmpty();
    }
    assertThat(guard.admit("other", "192.0.2.7", T0.plusSeconds(10)))
        .contains(new Login.Throttled(Duration.ofSeconds(50)));
    assertThat(guard.admit("other", "192.0.2.8", T0.plusSeconds(10))).isEmpty();
    assertThat(guard.admit("other", "192.0.2.7", T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void limitsThatAreNotPositiveAreRefused() {
    assertThatThrownBy(() -> new LoginGuard.Limits(0, Duration.ofMinutes(1), 1))
        .hasMessageContaining("expected positive numbers");
    assertThatThrownBy(() -> new LoginGuard.Limits(1, Duration.ZERO, 1))
        .hasMessageContaining("expected positive numbers");
  }
}
