package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.access.AuditLog;
import io.kickdrift.server.access.Passwords;
import io.kickdrift.server.access.UsersFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kickdrift user} and {@code kickdrift token} on a state made by {@code kickdrift init}:
 * what each prints, refuses (exit 2, saying why) and leaves in the users file and the audit log.
 */
class AccountsCommandsTest {
  @TempDir Path dir;
  private Path state;

  @BeforeEach
  void init() {
    state = KickdriftCli.initState(dir.resolve("state"));
  }

  @Test
  void usersAreAddedListedGivenANewPasswordAndRemoved() throws Exception {
    Run add = run(new AccountsCommands.UserAdd(), "olga pw\n", "olga", "--role", "operator");
    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out())
        .isEqualTo("user olga added (operator) to " + state.resolve("users.yaml") + "\n");
    UsersFile.User olga = UsersFile.read(state.resolve("users.yaml")).get("olga");
    assertThat(Passwords.verify(olga.password(), "olga pw".toCharArray())).isTrue();

    assertThat(run(new AccountsCommands.UserList()).out()).isEqualTo("olga\toperator\n");
    assertThat(run(new AccountsCommands.UserList(), "", "--json").out())
        .isEqualToIgnoringWhitespace("[{\"name\":\"olga\",\"role\":\"operator\"}]");

    Run passwd = run(new AccountsCommands.UserPasswd(), "new pw\n", "olga");
    assertThat(passwd.out()).isEqualTo("password of olga changed\n");
    olga = UsersFile.read(state.resolve("users.yaml")).get("olga");
    assertThat(Passwords.verify(olga.password(), "new pw".toCharArray())).isTrue();
    assertThat(olga.role().word()).isEqualTo("operator");

    assertThat(run(new AccountsCommands.UserRemove(), "", "olga").out())
        .isEqualTo("user olga removed; its tokens revoked\n");
    assertThat(UsersFile.read(state.resolve("users.yaml"))).isEmpty();

    try (AuditLog audit = AuditLog.open(state)) {
      assertThat(audit.page(10, null))
          .extracting(e -> e.action() + " " + e.target() + " by " + e.actor() + " via " + e.via())
          .containsExactly(
              "user remove olga by " + cliUser() + " via cli",
              "user change olga by " + cliUser() + " via cli",
              "user add olga by " + cliUser() + " via cli");
    }
  }

  @Test
  void mistakesAreExitTwoSayingWhatWasWrong() {
    run(new AccountsCommands.UserAdd(), "pw\n", "olga", "--role", "viewer");
    assertThat(run(new AccountsCommands.UserAdd(), "pw\n", "olga", "--role", "viewer").err())
        .isEqualTo("kickdrift user add: user olga exists\n");
    assertThat(run(new AccountsCommands.UserAdd(), "pw\n", "ivan", "--role", "root").err())
        .isEqualTo(
            "kickdrift user add: unknown role \"root\"; expected viewer, operator or admin\n");
    assertThat(run(new AccountsCommands.UserAdd(), "\n", "ivan", "--role", "viewer").err())
        .isEqualTo("kickdrift user add: password: expected a password, not an empty one\n");
    assertThat(run(new AccountsCommands.UserAdd(), "pw\n", "-rf", "--role", "viewer").exit())
        .isEqualTo(2);
    assertThat(run(new AccountsCommands.UserPasswd(), "pw\n", "ivan").err())
        .isEqualTo("kickdrift user passwd: no user ivan in " + state.resolve("users.yaml") + "\n");
    assertThat(run(new AccountsCommands.UserRemove(), "", "ivan").exit()).isEqualTo(2);
    assertThat(run(new AccountsCommands.TokenRevoke(), "", "0123456789abcdef").err())
        .isEqualTo("kickdrift token revoke: no live token 0123456789abcdef\n");
  }

  @Test
  void aTokenIsPrintedOnceListedWithoutItsSecretAndRevoked() {
    run(new AccountsCommands.UserAdd(), "pw\n", "olga", "--role", "operator");
    assertThat(
            run(new AccountsCommands.TokenCreate(), "", "--user", "olga", "--scope", "admin").err())
        .isEqualTo("kickdrift token create: scope admin is above olga's role operator\n");

    Run created =
        run(
            new AccountsCommands.TokenCreate(),
            "",
            "--user",
            "olga",
            "--scope",
            "viewer",
            "--name",
            "grafana",
            "--expires",
            "30d");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).matches("kd_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n");
    String id = created.out().substring(3, 19);
    String secret = created.out().strip().substring(20);

    Run list = run(new AccountsCommands.TokenList());
    assertThat(list.out()).startsWith(id + "\tolga\tviewer\texpires ").endsWith("\tgrafana\n");
    assertThat(list.out()).doesNotContain(secret);
    assertThat(run(new AccountsCommands.TokenList(), "", "--json").out())
        .contains("\"id\" : \"" + id + "\"")
        .doesNotContain(secret);

    assertThat(run(new AccountsCommands.TokenRevoke(), "", id).out())
        .isEqualTo("token " + id + " revoked\n");
    assertThat(run(new AccountsCommands.TokenList()).out()).contains("\trevoked\t");
    assertThat(run(new AccountsCommands.TokenRevoke(), "", id).exit()).isEqualTo(2);
  }

  @Test
  void removingAUserRevokesItsTokens() {
    run(new AccountsCommands.UserAdd(), "pw\n", "olga", "--role", "viewer");
    run(new AccountsCommands.TokenCreate(), "", "--user", "olga", "--scope", "viewer");
    run(new AccountsCommands.UserRemove(), "", "olga");
    assertThat(run(new AccountsCommands.TokenList()).out()).contains("\tolga\tviewer\trevoked\t");
  }

  private record Run(int exit, String out, String err) {}

  private Run run(AccountsCommands.Base command, String stdin, String... args) {
    InputStream in = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state", state.toString()));
    if (command instanceof AccountsCommands.UserAdd
        || command instanceof AccountsCommands.UserPasswd) {
      all.add("--password-stdin");
    }
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      command.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
      command.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
      CommandLine cl = new CommandLine(command);
      cl.setErr(new java.io.PrintWriter(command.stderr, true));
      int exit = cl.execute(all.toArray(String[]::new));
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(in);
    }
  }

  private Run run(AccountsCommands.Base command) {
    return run(command, "");
  }

  private static String cliUser() {
    return System.getProperty("user.name") + "@cli";
  }
}
