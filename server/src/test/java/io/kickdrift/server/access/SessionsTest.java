package io.kickdrift.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Sessions: random ids, idle and absolute timeouts, a bound on how many live. */
class SessionsTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  private static final Principal ALICE = new Principal("alice", Role.ADMIN, "session");
  private final Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(2), 3);

  @Test
  void aSessionHasRandomIdAndCsrfTokenAndKeepsItsStamp() {
    Session a = sessions.open(ALICE, "stamp", T0);
    Session b = sessions.open(ALICE, "stamp", T0);
    assertThat(a.id()).hasSize(43).isNotEqualTo(b.id()).isNotEqualTo(a.csrf());
    assertThat(a.csrf()).matches("[A-Za-z0-9_-]{43}");
    assertThat(sessions.find(a.id(), T0.plusSeconds(1)))
        .hasValueSatisfying(l -> assertThat(l.stamp()).isEqualTo("stamp"));
    assertThat(sessions.find("unknown", T0)).isEmpty();
    assertThat(sessions.find(null, T0)).isEmpty();
  }

  @Test
  void useKeepsASessionAliveUntilItsIdleTimeoutOrItsAbsoluteLimit() {
    Session s = sessions.open(ALICE, "x", T0);
    Instant t = T0;
    for (int i = 0; i < 3; i++) {
      t = t.plus(Duration.ofMinutes(29));
      assertThat(sessions.find(s.id(), t)).as("after %s", t).isPresent();
    }
    assertThat(sessions.find(s.id(), T0.plus(Duration.ofHours(2)))).isEmpty();

    Session idle = sessions.open(ALICE, "x", T0);
    assertThat(sessions.find(idle.id(), T0.plus(Duration.ofMinutes(30)))).isEmpty();
    assertThat(sessions.find(idle.id(), T0)).as("an expired session is gone").isEmpty();
  }

  @Test
  void theOldestSessionGoesWhenTooManyLive() {
    Session first = sessions.open(ALICE, "x", T0);
    Session second = sessions.open(ALICE, "x", T0);
    sessions.find(first.id(), T0.plusSeconds(1)); // use does not make it younger
    sessions.open(ALICE, "x", T0);
    sessions.open(ALICE, "x", T0);
    assertThat(sessions.size()).isEqualTo(3);
    assertThat(sessions.find(first.id(), T0.plusSeconds(2))).isEmpty();
    assertThat(sessions.find(second.id(), T0.plusSeconds(2))).isPresent();
  }

  @Test
  void endingAUserEndsEachOfItsSessionsOnly() {
    Session a = sessions.open(ALICE, "x", T0);
    Session b = sessions.open(ALICE, "x", T0);
    Session bob = sessions.open(new Principal("bob", Role.VIEWER, "session"), "y", T0);
    assertThat(sessions.endUser("alice")).isEqualTo(2);
    assertThat(sessions.find(a.id(), T0)).isEmpty();
    assertThat(sessions.find(b.id(), T0)).isEmpty();
    assertThat(sessions.find(bob.id(), T0)).isPresent();
    sessions.end(bob.id());
    assertThat(sessions.find(bob.id(), T0)).isEmpty();
  }
}
