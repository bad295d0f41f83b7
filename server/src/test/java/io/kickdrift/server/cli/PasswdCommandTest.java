package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The SHA-512 crypt hashes against OpenSSL's, the peer that glibc's crypt agrees with. */
class PasswdCommandTest {
  @ParameterizedTest
  @ValueSource(strings = {"kickdrift", "correct horse battery staple", "pässwörd€", "x"})
  void hashesAsOpensslDoes(String password) throws Exception {
    Cmd.require("openssl", "openssl");
    Cmd.Result openssl = Cmd.ok("openssl", "passwd", "-6", "-salt", "Zq8/ab.Cd", password);
    assertThat(PasswdCommand.hash(password.getBytes(StandardCharsets.UTF_8), "Zq8/ab.Cd", 5000))
        .isEqualTo(openssl.out().strip());
  }

  @Test
  void roundsAsGlibcWritesThem() throws Exception {
    Cmd.require("python3", "python3");
    // glibc's crypt(3) through Python's crypt module: the function the installed system checks with
    Cmd.Result glibc =
        Cmd.run(
            List.of(
                "python3",
                "-W",
                "ignore",
                "-c",
                "import crypt; print(crypt.crypt('kickdrift', '$6$rounds=10000$saltsalt'))"));
    assertThat(glibc.exit()).as(glibc.err()).isZero();
    assertThat(PasswdCommand.hash("kickdrift".getBytes(StandardCharsets.UTF_8), "saltsalt", 10000))
        .isEqualTo(glibc.out().strip());
  }

  @Test
  void readsOneLineFromStandardInputAndPrintsAFreshSaltedHash() {
    String first = run("kickdrift\n", 0);
    String second = run("kickdrift\n", 0);
    assertThat(first).matches("\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}\n");
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void jsonPrintsTheHashAsADocument() throws Exception {
    String doc = run("kickdrift\n", 0, "--json", "--salt", "saltsalt", "--rounds", "10000");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc).get("hash").asText())
        .isEqualTo(
            PasswdCommand.hash("kickdrift".getBytes(StandardCharsets.UTF_8), "saltsalt", 10000));
  }

  @Test
  void anEmptyPasswordOrBadOptionIsExitTwo() {
    assertThat(run("\n", 2)).isEmpty();
    assertThat(run("pw\n", 2, "--rounds", "10")).isEmpty();
    assertThat(run("pw\n", 2, "--salt", "bad salt")).isEmpty();
  }

  private static String run(String stdin, int exit, String... options) {
    InputStream in = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      PasswdCommand command = new PasswdCommand();
      command.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
      command.stderr = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      assertThat(new CommandLine(command).execute(options)).isEqualTo(exit);
    } finally {
      System.setIn(in);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
