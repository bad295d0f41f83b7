package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommandGroup;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.agent.state.StateDir;
import io.kickdrift.server.access.AccessControl;
import io.kickdrift.server.access.ApiTokens;
import io.kickdrift.server.access.LoginGuard;
import io.kickdrift.server.access.Principal;
import io.kickdrift.server.access.Role;
import io.kickdrift.server.access.UsersFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kickdrift user} and {@code kickdrift token}: the console's users (the users file) and
 * their API tokens (the state database), each change audited as {@code <unix user>@cli}.
 */
final class AccountsCommands {
  private AccountsCommands() {}

  /** What every account command opens: the state, the users file, AccessControl over both. */
  abstract static class Base implements Callable<Integer> {
    @Mixin StateOption state = new StateOption();
    @Mixin UsersOption users = new UsersOption();
    @Mixin DatabaseOption database = new DatabaseOption();

    PrintStream stdout = System.out;
    PrintStream stderr = System.err;

    abstract String name();

    abstract int run(AccessControl access, Principal me) throws Exception;

    @Override
    public Integer call() {
      try {
        StateDir dir = state.existing();
        byte[] admin = io.kickdrift.agent.state.SecretFile.readOrCreate(dir.adminToken(), 16);
        try (AccessControl access =
            AccessControl.open(
                new AccessControl.Settings(
                    users.file(dir),
                    dir.dir(),
                    admin,
                    LoginGuard.Limits.defaults(),
                    Duration.ofHours(8)),
                database.open(dir.dir()))) {
          return run(access, AccessControl.cli());
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        stderr.println("kickdrift " + name() + ": " + e.getMessage());
        return 2;
      } catch (Exception e) {
        return Failed.report(name(), e, stderr::println);
      }
    }
  }

  /** {@code --password-stdin}, else the password typed twice on the terminal without echo. */
  static final class PasswordInput {
    @Option(
        names = "--password-stdin",
        description = "Read the password from the first line of stdin instead of the terminal.")
    boolean stdin;

    char[] read() throws java.io.IOException {
      if (stdin) {
        String line =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? new char[0] : line.toCharArray();
      }
      java.io.Console console = System.console();
      if (console == null) {
        throw new IllegalArgumentException(
            "no terminal to type the password on: use --password-stdin");
      }
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Again: ");
      if (first == null || second == null || !java.util.Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the two passwords differ");
      }
      java.util.Arrays.fill(second, '\0');
      return first;
    }
  }

  @Command(
      name = "user",
      mixinStandardHelpOptions = true,
      description = "Manages the console's users: add, passwd, remove, list (docs/security.md).",
      subcommands = {UserAdd.class, UserPasswd.class, UserRemove.class, UserList.class})
  static final class UserCommand extends CommandGroup {}

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Adds a user with a role; the password is stored as an Argon2id hash.")
  static final class UserAdd extends Base {
    @Parameters(paramLabel = "NAME", description = "The user name.")
    String user;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "viewer (reads), operator (also netboot and rescans), admin (also users).")
    String role;

    @Mixin PasswordInput password = new PasswordInput();

    @Override
    String name() {
      return "user add";
    }

    @Override
    int run(AccessControl access, Principal me) throws Exception {
      Role r = Role.of(role);
      access.putUser(me, user, r, password.read(), false, Instant.now());
      stdout.println("user " + user + " added (" + r.word() + ") to " + access.usersFile().file());
      return 0;
    }
  }

  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      description = "Sets a user's password; its sessions end.")
  static final class UserPasswd extends Base {
    @Parameters(paramLabel = "NAME", description = "The user name.")
    String user;

    @Mixin PasswordInput password = new PasswordInput();

    @Override
    String name() {
      return "user passwd";
    }

    @Override
    int run(AccessControl access, Principal me) throws Exception {
      if (access.users().stream().noneMatch(u -> u.name().equals(user))) {
        throw new IllegalArgumentException("no user " + user + " in " + access.usersFile().file());
      }
      access.putUser(me, user, null, password.read(), true, Instant.now());
      stdout.println("password of " + user + " changed");
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Removes a user; its API tokens are revoked and its sessions end.")
  static final class UserRemove extends Base {
    @Parameters(paramLabel = "NAME", description = "The user name.")
    String user;

    @Override
    String name() {
      return "user remove";
    }

    @Override
    int run(AccessControl access, Principal me) throws Exception {
      if (!access.removeUser(me, user, Instant.now())) {
        throw new IllegalArgumentException("no user " + user + " in " + access.usersFile().file());
      }
      stdout.println("user " + user + " removed; its tokens revoked");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users.")
  static final class UserList extends Base {
    /** A user as {@code --json} lists it: never its hash. */
    record Listed(String name, String role) {}

    @Mixin JsonOption json = new JsonOption();

    @Override
    String name() {
      return "user list";
    }

    @Override
    int run(AccessControl access, Principal me) throws Exception {
      List<UsersFile.User> all = access.users();
      if (json.on()) {
        stdout.println(
            JsonOption.text(all.stream().map(u -> new Listed(u.name(), u.role().word())).toList()));
      } else {
        all.forEach(u -> stdout.println(u.name() + "\t" + u.role().word()));
      }
      return 0;
    }
  }

  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = "Manages personal API tokens: create, list, revoke (docs/security.md).",
      subcommands = {TokenCreate.class, TokenList.class, TokenRevoke.class})
  static final class TokenCommand extends CommandGroup {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Makes an API token for a user and prints it, this once.")
  static final class TokenCreate extends Base {
    @Option(names = "--user", required = true, paramLabel = "NAME", description = "Its user.")
    String user;

    @Option(
        names = "--scope",
        required = true,
        paramLabel = "ROLE",
        description = "What it may do: viewer, operator or admin, at most the user's role.")
    String scope;

    @Option(names = "--name", paramLabel = "TEXT", description = "What it is for.")
    String label = "";

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "How long it lives, e.g. 90d (default 90d).")
    Duration expires = Duration.ofDays(90);

    @Override
    String name() {
      return "token create";
    }

    @Override
    int run(AccessControl access, Principal me) throws Exception {
      UsersFile.User u =
          access.users().stream()
              .filter(x -> x.name().equals(user))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no user " + user + " in " + access.usersFile().file()));
      Instant now = Instant.now();
      ApiTokens.Created c =
          access.createToken(
              new Principal(u.name(), u.role(), me.via()),
              label,
              Role.of(scope),
              now.plus(expires),
              now);
      stdout.println(c.text());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the API tokens.")
  static final class TokenList extends Base {
    @Mixin JsonOption json = new JsonOption();

    @Override
    String name() {
      return "token list";
    }

    @Override
    int run(AccessControl access, Principal me) throws Exception {
      List<ApiTokens.Token> all = access.tokens(me);
      if (json.on()) {
        stdout.println(JsonOption.text(all.stream().map(ApiTokens.Token::json).toList()));
      } else {
        for (ApiTokens.Token t : all) {
          stdout.println(
              t.id()
                  + "\t"
                  + t.user()
                  + "\t"
                  + t.scope().word()
                  + "\t"
                  + (t.revoked() != null
                      ? "revoked"
                      : t.expires() == null ? "no expiry" : "expires " + t.expires())
                  + "\t"
                  + t.name());
        }
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API token.")
  static final class TokenRevoke extends Base {
    @Parameters(paramLabel = "ID", description = "The token's id (token list shows it).")
    String id;

    @Override
    String name() {
      return "token revoke";
    }

    @Override
    int run(AccessControl access, Principal me) throws Exception {
      if (!access.revokeToken(me, id, Instant.now())) {
        throw new IllegalArgumentException("no live token " + id);
      }
      stdout.println("token " + id + " revoked");
      return 0;
    }
  }
}
