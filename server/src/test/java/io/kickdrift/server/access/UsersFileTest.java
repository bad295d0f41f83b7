package io.kickdrift.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file: read strictly with FILE:LINE errors, written atomically, re-read on change. */
class UsersFileTest {
  private static final String HASH = Passwords.hash("s3cret".toCharArray());

  @TempDir Path dir;

  @Test
  void readsUsersWithTheirRolesAndHashes() throws Exception {
    Path f =
        file(
            "users:\n  alice:\n    role: admin\n    password: \""
                + HASH
                + "\"\n"
                + "  bob:\n    role: viewer\n    password: \""
                + HASH
                + "\"\n");
    Map<String, UsersFile.User> users = UsersFile.read(f);
    assertThat(users.keySet()).containsExactly("alice", "bob");
    assertThat(users.get("alice").role()).isEqualTo(Role.ADMIN);
    assertThat(users.get("bob").role()).isEqualTo(Role.VIEWER);
    assertThat(Passwords.verify(users.get("bob").password(), "s3cret".toCharArray())).isTrue();
  }

  @Test
  void anAbsentOrEmptyFileHasNoUsers() throws Exception {
    assertThat(UsersFile.read(dir.resolve("none.yaml"))).isEmpty();
    assertThat(UsersFile.read(file(""))).isEmpty();
    assertThat(UsersFile.read(file("users:\n"))).isEmpty();
  }

  @Test
  void eachMistakeIsNamedWithItsFileAndLine() throws Exception {
    refused("usrs:\n", ":1: unknown key \"usrs\"; expected users");
    refused(
        "users:\n  alice:\n    role: boss\n    password: \"" + HASH + "\"\n",
        ":3: alice: unknown role \"boss\"; expected viewer, operator or admin");
    refused(
        "users:\n  alice:\n    role: admin\n    password: \""
            + HASH
            + "\"\n"
            + "  alice:\n    role: viewer\n    password: \""
            + HASH
            + "\"\n",
        ":5: user alice appears twice");
    refused("users:\n  alice:\n    role: admin\n", ":2: user alice lacks password");
    refused(
        "users:\n  alice:\n    role: admin\n    password: \"" + HASH + "\"\n    shell: sh\n",
        ":5: alice: unknown key \"shell\"; expected role and password");
    refused("users:\n  \"-x\":\n    role: admin\n", ":2: user name \"-x\"");
    refused("users: [alice]\n", ":1: expected users: a mapping of user names");
    refused("users:\n  alice: {role: admin\n", ":2: not YAML: ");
  }

  @Test
  void aClearPasswordIsRefusedWithoutBeingQuoted() throws Exception {
    Path f = file("users:\n  alice:\n    role: admin\n    password: hunter2\n");
    assertThatThrownBy(() -> UsersFile.read(f))
        .isInstanceOf(UsersFile.UsersException.class)
        .hasMessageStartingWith(f + ":4: alice: password ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void writesAtomicallyWithMode0640AndReadsBackWhatItWrote() throws Exception {
    Path f = dir.resolve("users.yaml");
    Map<String, UsersFile.User> users =
        Map.of(
            "carol", new UsersFile.User("carol", Role.OPERATOR, HASH),
            "dave@example.com", new UsersFile.User("dave@example.com", Role.VIEWER, HASH));
    UsersFile.write(f, users);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r-----");
    assertThat(UsersFile.read(f)).isEqualTo(users);
    try (var left = Files.list(dir)) {
      assertThat(left).containsExactly(f); // no temporary file left behind
    }
  }

  @Test
  void aChangedFileIsReadAgainAndABrokenOneKeepsTheUsersBefore() throws Exception {
    Path f = dir.resolve("users.yaml");
    UsersFile live = new UsersFile(f);
    assertThat(live.users()).isEmpty();
    UsersFile.write(f, Map.of("alice", new UsersFile.User("alice", Role.ADMIN, HASH)));
    assertThat(live.users()).containsOnlyKeys("alice");

    Files.writeString(f, "users:\n  alice:\n    role: wizard\n    password: \"" + HASH + "\"\n");
    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(live.users()).containsOnlyKeys("alice");
    assertThat(live.users().get("alice").role()).isEqualTo(Role.ADMIN);
    assertThat(live.problem()).startsWith(f + ":3: alice: unknown role \"wizard\"");

    // a change never writes over a broken file: it would lose what the file held
    assertThatThrownBy(() -> live.change(all -> all))
        .isInstanceOf(UsersFile.UsersException.class)
        .hasMessageContaining("wizard");
    assertThat(Files.readString(f)).contains("role: wizard");

    Files.writeString(f, "users:\n  alice:\n    role: admin\n    password: \"" + HASH + "\"\n");
    live.change(
        all -> {
          all.put("bob", new UsersFile.User("bob", Role.VIEWER, HASH));
          return all;
        });
    assertThat(live.problem()).isNull();
    assertThat(live.users()).containsOnlyKeys("alice", "bob");
  }

  @Test
  void bootstrapMakesAdminOnceWithAPasswordOnlyItsOwnerReads() throws Exception {
    Path f = dir.resolve("users.yaml");
    assertThat(UsersFile.bootstrap(f, dir)).isEqualTo(UsersFile.Bootstrap.CREATED);
    Path secret = dir.resolve("initial-admin-password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
        .isEqualTo("rw-------");
    String password = Files.readString(secret).strip();
    assertThat(password).hasSize(20);
    UsersFile.User admin = UsersFile.read(f).get("admin");
    assertThat(admin.role()).isEqualTo(Role.ADMIN);
    assertThat(Passwords.verify(admin.password(), password.toCharArray())).isTrue();
    assertThat(Files.readString(f)).doesNotContain(password);

    assertThat(UsersFile.bootstrap(f, dir)).isEqualTo(UsersFile.Bootstrap.EXISTS);
    assertThat(Files.readString(secret).strip()).isEqualTo(password);
    assertThat(UsersFile.bootstrap(dir.resolve("no/such/dir/users.yaml"), dir))
        .isEqualTo(UsersFile.Bootstrap.NOT_WRITABLE);
  }

  @Property(tries = 300)
  void theReaderThrowsNothingButItsOwnRefusal(@ForAll String text) throws IOException {
    Path f = Files.createTempFile("users", ".yaml");
    try {
      Files.writeString(f, "users:\n  alice:\n    role: " + text + "\n" + text);
      try {
        UsersFile.read(f);
      } catch (UsersFile.UsersException e) {
        assertThat(e.getMessage()).startsWith(f.toString() + ":");
      }
    } finally {
      Files.delete(f);
    }
  }

  private Path file(String text) throws IOException {
    Path f = Files.createTempFile(dir, "users", ".yaml");
    Files.writeString(f, text);
    return f;
  }

  private void refused(String text, String expected) throws IOException {
    Path f = file(text);
    assertThatThrownBy(() -> UsersFile.read(f))
        .isInstanceOf(UsersFile.UsersException.class)
        .hasMessageStartingWith(f + expected);
  }
}
