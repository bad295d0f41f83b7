package io.kickdrift.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API tokens in the state database: shown once, stored as a hash, checked, revoked, expired. */
class ApiTokensTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path state;

  @Test
  void aTokenIsShownOnceAndOnlyItsHashIsStored() throws Exception {
    String text;
    try (ApiTokens tokens = ApiTokens.open(state)) {
      ApiTokens.Created c = tokens.create("alice", "ci", Role.OPERATOR, T0, null);
      text = c.text();
      assertThat(text)
          .matches("kd_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")
          .startsWith("kd_" + c.token().id());
      assertThat(ApiTokens.looksLike(text)).isTrue();
      assertThat(tokens.check(text, T0.plusSeconds(1)))
          .hasValueSatisfying(
              t -> {
                assertThat(t.user()).isEqualTo("alice");
                assertThat(t.scope()).isEqualTo(Role.OPERATOR);
              });
    }
    String secret = text.substring(20);
    byte[] db = Files.readAllBytes(state.resolve("kickdrift.db"));
    assertThat(new String(db, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + state.resolve("kickdrift.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT secret_sha256 FROM api_tokens")) {
      assertThat(r.next()).isTrue();
      assertThat(HexFormat.of().formatHex(r.getBytes(1)))
          .isEqualTo(
              HexFormat.of()
                  .formatHex(
                      ApiTokens.sha256(
                          secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }
  }

  @Test
  void aWrongSecretAnUnknownIdOrAnotherFormIsNoToken() {
    try (ApiTokens tokens = ApiTokens.open(state)) {
      String text = tokens.create("alice", "", Role.VIEWER, T0, null).text();
      char last = text.charAt(text.length() - 1);
      String wrong = text.substring(0, text.length() - 1) + (last == 'A' ? 'B' : 'A');
      assertThat(tokens.check(wrong, T0)).isEmpty();
      assertThat(tokens.check("kd_0000000000000000" + text.substring(19), T0)).isEmpty();
      assertThat(tokens.check(text.substring(1), T0)).isEmpty();
      assertThat(tokens.check(null, T0)).isEmpty();
      assertThat(tokens.check(" " + text + "\n", T0)).isPresent();
    }
  }

  @Test
  void aRevokedOrExpiredTokenNoLongerWorksButIsStillListed() {
    try (ApiTokens tokens = ApiTokens.open(state)) {
      ApiTokens.Created soon =
          tokens.create("alice", "soon", Role.VIEWER, T0, T0.plus(Duration.ofHours(1)));
      ApiTokens.Created revoked = tokens.create("alice", "gone", Role.VIEWER, T0, null);
      ApiTokens.Created bobs = tokens.create("bob", "bob's", Role.VIEWER, T0.plusSeconds(5), null);
      assertThat(tokens.check(soon.text(), T0.plus(Duration.ofMinutes(59)))).isPresent();
      assertThat(tokens.check(soon.text(), T0.plus(Duration.ofHours(1)))).isEmpty();

      assertThat(tokens.revoke(revoked.token().id(), T0.plusSeconds(10))).isTrue();
      assertThat(tokens.revoke(revoked.token().id(), T0.plusSeconds(11))).isFalse();
      assertThat(tokens.revoke("ffffffffffffffff", T0)).isFalse();
      assertThat(tokens.check(revoked.text(), T0.plusSeconds(12))).isEmpty();

      assertThat(tokens.list("alice"))
          .extracting(ApiTokens.Token::name)
          .containsExactlyInAnyOrder("soon", "gone");
      assertThat(tokens.list(null)).extracting(ApiTokens.Token::name).first().isEqualTo("bob's");
      assertThat(tokens.find(revoked.token().id()).orElseThrow().revoked())
          .isEqualTo(T0.plusSeconds(10));

      assertThat(tokens.revokeUser("bob", T0.plusSeconds(20))).isEqualTo(1);
      assertThat(tokens.check(bobs.text(), T0.plusSeconds(21))).isEmpty();
    }
  }

  @Test
  void lastUseIsNotedAtMostOnceAMinute() {
    try (ApiTokens tokens = ApiTokens.open(state)) {
      ApiTokens.Created c = tokens.create("alice", "", Role.VIEWER, T0, null);
      tokens.check(c.text(), T0.plusSeconds(1));
      tokens.check(c.text(), T0.plusSeconds(30));
      assertThat(tokens.find(c.token().id()).orElseThrow().lastUsed()).isEqualTo(T0.plusSeconds(1));
      tokens.check(c.text(), T0.plusSeconds(61));
      assertThat(tokens.find(c.token().id()).orElseThrow().lastUsed())
          .isEqualTo(T0.plusSeconds(61));
    }
  }
}
