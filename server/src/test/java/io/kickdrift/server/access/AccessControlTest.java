package io.kickdrift.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access as serve runs it: a token or session never does more than its user may now, a changed
 * password ends sessions, and logins, tokens and user changes are audited.
 */
class AccessControlTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  private static final byte[] ADMIN_TOKEN =
      HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
  private static final Principal CLI = new Principal("root@cli", Role.ADMIN, "cli");

  @TempDir Path state;
  private AccessControl access;

  @BeforeEach
  void open() throws Exception {
    access =
        AccessControl.open(
            new AccessControl.Settings(
                state.resolve("users.yaml"),
                state,
                ADMIN_TOKEN,
                new LoginGuard.Limits(3, Duration.ofMinutes(15), 100),
                Duration.ofHours(8)));
    access.putUser(CLI, "alice", Role.ADMIN, "alice pw".toCharArray(), false, T0);
    access.putUser(CLI, "olga", Role.OPERATOR, "olga pw".toCharArray(), false, T0);
  }

  @AfterEach
  void close() {
    access.close();
  }

  @Test
  void theAdminTokenIsAdminAndAnythingElseIsNobody() {
    assertThat(access.bearer("00112233445566778899aabbccddeeff\n", T0))
        .contains(AdminTokenOnly.ADMIN);
    assertThat(access.bearer("00112233445566778899aabbccddeefe", T0)).isEmpty();
    assertThat(access.bearer("alice pw", T0)).isEmpty();
  }

  @Test
  void aRightPasswordOpensASessionAndAWrongOneIsRefusedLikeAnUnknownUser() {
    Login ok = access.login("olga", "olga pw".toCharArray(), "192.0.2.1", T0);
    assertThat(ok).isInstanceOf(Login.Ok.class);
    Session s = ((Login.Ok) ok).session();
    assertThat(access.session(s.id(), T0.plusSeconds(1)))
        .hasValueSatisfying(live -> assertThat(live.principal().role()).isEqualTo(Role.OPERATOR));
    assertThat(access.login("olga", "wrong".toCharArray(), "192.0.2.1", T0))
        .isEqualTo(new Login.Refused());
    assertThat(access.login("nobody", "olga pw".toCharArray(), "192.0.2.1", T0))
        .isEqualTo(new Login.Refused());
    access.logout(s.id());
    assertThat(access.session(s.id(), T0.plusSeconds(2))).isEmpty();
    assertThat(access.audit(Long.MAX_VALUE, 10))
        .extracting(e -> e.action() + " " + e.target() + " " + e.origin())
        .contains(
            "login olga 192.0.2.1",
            "login refused olga 192.0.2.1",
            "login refused nobody 192.0.2.1",
            "user add alice ",
            "user add olga ");
  }

  @Test
  void theAccountIsLockedAfterWrongPasswordsEvenForTheRightOne() {
    for (int i = 0; i < 3; i++) {
      access.login("olga", "wrong".toCharArray(), "192.0.2.1", T0);
    }
    assertThat(access.login("olga", "olga pw".toCharArray(), "192.0.2.2", T0.plusSeconds(1)))
        .isEqualTo(new Login.Locked(T0.plus(Duration.ofMinutes(15))));
    assertThat(access.audit(Long.MAX_VALUE, 1).get(0).detail())
        .isEqualTo("locked until " + T0.plus(Duration.ofMinutes(15)));
  }

  @Test
  void aChangedPasswordEndsTheSessionsOpenedWithTheOldOne() throws Exception {
    Session s = ((Login.Ok) access.login("olga", "olga pw".toCharArray(), "a", T0)).session();
    access.putUser(CLI, "olga", null, "new pw".toCharArray(), true, T0);
    assertThat(access.session(s.id(), T0.plusSeconds(1))).isEmpty();
    assertThat(access.users())
        .filteredOn(u -> u.name().equals("olga"))
        .extracting(UsersFile.User::role)
        .containsExactly(Role.OPERATOR);
    assertThatThrownBy(() -> access.putUser(CLI, "olga", Role.VIEWER, "x".toCharArray(), false, T0))
        .hasMessage("user olga exists");
  }

  @Test
  void aTokenIsCappedByItsUsersRoleNowAndDiesWithTheUser() throws Exception {
    Principal olga = new Principal("olga", Role.OPERATOR, "session");
    assertThatThrownBy(() -> access.createToken(olga, "x", Role.ADMIN, null, T0))
        .hasMessage("scope admin is above olga's role operator");
    String text = access.createToken(olga, "ci", Role.OPERATOR, null, T0).text();
    assertThat(access.bearer(text, T0))
        .contains(new Principal("olga", Role.OPERATOR, "token:" + text.substring(3, 19)));

    access.putUser(CLI, "olga", Role.VIEWER, "olga pw".toCharArray(), true, T0);
    assertThat(access.bearer(text, T0)).map(Principal::role).contains(Role.VIEWER);

    assertThat(access.removeUser(CLI, "olga", T0)).isTrue();
    assertThat(access.bearer(text, T0)).isEmpty();
    assertThat(access.removeUser(CLI, "olga", T0)).isFalse();
  }

  @Test
  void onlyItsOwnerOrAnAdminRevokesAToken() {
    Principal olga = new Principal("olga", Role.OPERATOR, "session");
    Principal alice = new Principal("alice", Role.ADMIN, "session");
    ApiTokens.Created alices = access.createToken(alice, "a", Role.VIEWER, null, T0);
    ApiTokens.Created olgas = access.createToken(olga, "o", Role.VIEWER, null, T0);
    assertThat(access.tokens(olga)).extracting(ApiTokens.Token::name).containsExactly("o");
    assertThat(access.tokens(alice)).hasSize(2);
    assertThat(access.revokeToken(olga, alices.token().id(), T0)).isFalse();
    assertThat(access.bearer(alices.text(), T0)).isPresent();
    assertThat(access.revokeToken(alice, olgas.token().id(), T0)).isTrue();
    assertThat(access.bearer(olgas.text(), T0)).isEmpty();
    assertThatThrownBy(() -> access.createToken(olga, "late", Role.VIEWER, T0.minusSeconds(1), T0))
        .hasMessage("expires: expected a time in the future");
  }
}
