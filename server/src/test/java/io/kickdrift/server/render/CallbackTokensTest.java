package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CallbackTokensTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private final CallbackTokens tokens = new CallbackTokens(KEY);

  @Example
  void aTokenIsTheFirstHalfOfTheHmacInLowerCaseHex() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(
                mac.doFinal("kickdrift-install\0web01\0id-1".getBytes(StandardCharsets.UTF_8)))
            .substring(0, 32);

    assertThat(tokens.token("web01", "id-1")).isEqualTo(expected);
    assertThat(tokens.verify("web01", "id-1", expected)).isTrue();
  }

  @Example
  void onlyTheExactLowerCaseDigitsVerify() {
    String t = tokens.token("web01", "id-1");

    assertThat(tokens.verify("web01", "id-1", t.toUpperCase()))
        .isEqualTo(t.equals(t.toUpperCase()));
    assertThat(tokens.verify("web01", "id-1", t + "0")).isFalse();
    assertThat(tokens.verify("web01", "id-1", t.substring(1))).isFalse();
    assertThat(tokens.verify("web01", "id-1", null)).isFalse();
    assertThat(tokens.verify("web02", "id-1", t)).isFalse();
    assertThat(tokens.verify("web01", "id-2", t)).isFalse();
    // digits of other scripts are digits to Character.digit, never to a token
    String arabic = t.replace('3', '\u0663');
    assertThat(tokens.verify("web01", "id-1", arabic)).isEqualTo(arabic.equals(t));
  }

  @Property
  void anyOtherTextIsRefused(@ForAll String host, @ForAll String id, @ForAll String given) {
    String t = tokens.token(host, id);

    assertThat(tokens.verify(host, id, t)).isTrue();
    assertThat(tokens.verify(host, id, given)).isEqualTo(given.equals(t));
  }

  @Property
  void oneChangedDigitIsRefused(
      @ForAll String host, @ForAll String id, @ForAll("positions") int at) {
    String t = tokens.token(host, id);
    char c = t.charAt(at);
    String changed = t.substring(0, at) + (c == '0' ? '1' : '0') + t.substring(at + 1);

    assertThat(tokens.verify(host, id, changed)).isFalse();
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 31);
  }
}
