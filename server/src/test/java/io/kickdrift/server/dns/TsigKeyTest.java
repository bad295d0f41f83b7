package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TsigKeyTest {
  static final String KEY =
      """
      // made by tsig-keygen
      key "kickdrift" {
      \talgorithm hmac-sha256;
      \tsecret "b2UzK0GYkohvV/yk1961W3r8BnM5C21DsrOlo5Wqfyo=";
      };
      """;

  @Test
  void readsTsigKeygenOutput() throws Exception {
    TsigKey key = TsigKey.parse("k.key", KEY);

    assertThat(key.name()).isEqualTo("kickdrift");
    assertThat(key.algorithm()).isEqualTo("hmac-sha256");
    assertThat(key.secret()).hasSize(32);
    assertThat(key.toString()).doesNotContain("b2Uz");
    assertThat(key.signer(java.time.Clock.systemUTC())).isNotNull();
  }

  @Test
  void commentsOfEveryKindAndSha512AreAccepted() throws Exception {
    TsigKey key =
        TsigKey.parse(
            "k",
            "# a\n/* multi\nline */ key \"k2\" { algorithm HMAC-SHA512; secret \"AAAA\"; };\n");

    assertThat(key.algorithm()).isEqualTo("hmac-sha512");
  }

  @Test
  void errorsNameTheFileTheLineAndWhatWasExpected() {
    assertThatThrownBy(
            () ->
                TsigKey.parse("k.key", "key \"k\" {\n algorithm hmac-md5;\n secret \"AAAA\";\n};"))
        .hasMessage(
            "k.key:2: algorithm hmac-md5 is not accepted; expected hmac-sha256 or hmac-sha512 (or hmac-sha1/224/384)");
    assertThatThrownBy(
            () ->
                TsigKey.parse(
                    "k.key", "key \"k\" {\n algorithm hmac-sha256;\n secret \"A?A\";\n};"))
        .hasMessageStartingWith("k.key:3: the secret is not base64");
    assertThatThrownBy(() -> TsigKey.parse("k.key", "key \"k\" {\n algorithm hmac-sha256\n};"))
        .hasMessage("k.key:3: found '}'; expected ';'");
    assertThatThrownBy(() -> TsigKey.parse("k.key", "key \"k\" {\n algorithm hmac-sha256;\n"))
        .hasMessage("k.key:2: the file ends; expected algorithm, secret or }");
    assertThatThrownBy(() -> TsigKey.parse("k.key", KEY + KEY))
        .hasMessage("k.key: 2 keys; expected exactly one key \"name\" { ... };");
    assertThatThrownBy(() -> TsigKey.parse("k.key", ""))
        .hasMessage("k.key: 0 keys; expected exactly one key \"name\" { ... };");
  }

  @Property(tries = 500)
  void anyTextEitherParsesOrGivesAPositionedError(@ForAll String text) {
    try {
      TsigKey.parse("f", text);
    } catch (DnsException e) {
      assertThat(e.getMessage()).startsWith("f:");
    }
  }

  @Property(tries = 300)
  void mutatedKeysEitherParseOrGiveAPositionedError(@ForAll int position, @ForAll char c) {
    StringBuilder text = new StringBuilder(KEY);
    text.setCharAt(Math.floorMod(position, text.length()), c);
    try {
      TsigKey.parse("f", text.toString());
    } catch (DnsException e) {
      assertThat(e.getMessage()).startsWith("f:");
    }
  }
}
