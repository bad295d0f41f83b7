package io.kickdrift.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Argon2id PHC strings: made, checked, and parsed strictly. */
class PasswordsTest {
  @Test
  void verifiesTheReferenceImplementationsArgon2idHash() {
    // phc-winner-argon2 (the reference implementation), its README's Argon2id example:
    // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -e
    String reference =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(Passwords.verify(reference, "password".toCharArray())).isTrue();
    assertThat(Passwords.verify(reference, "Password".toCharArray())).isFalse();
  }

  @Test
  void aHashIsArgon2idWithOwaspParametersAndASaltOfItsOwn() {
    String a = Passwords.hash("correct horse".toCharArray());
    String b = Passwords.hash("correct horse".toCharArray());
    assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
    assertThat(Passwords.verify(a, "correct horse".toCharArray())).isTrue();
    assertThat(Passwords.verify(b, "correct horse".toCharArray())).isTrue();
    assertThat(Passwords.verify(a, "correct horse ".toCharArray())).isFalse();
  }

  @Test
  void aClearPasswordOrABrokenHashIsRefusedSayingWhatWasExpected() {
    assertThatThrownBy(() -> Passwords.check("hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected");
    assertThatThrownBy(() -> Passwords.check("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Passwords.verify("hunter2", "hunter2".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 300)
  void theParserThrowsNothingButItsOwnRefusal(@ForAll String stored) {
    try {
      Passwords.check(stored);
    } catch (IllegalArgumentException expected) {
      // the documented refusal
    }
    try {
      assertThat(Passwords.verify(stored, new char[] {'x'})).isFalse();
    } catch (IllegalArgumentException expected) {
      // the documented refusal
    }
  }
}
