package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.JsonOption;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.codec.digest.Sha2Crypt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift passwd}: a SHA-512 crypt hash ({@code $6$…}) for an inventory's {@code
 * root-password-hash}, the only form kickstarts carry ({@code rootpw --iscrypted}). Its help text
 * is in {@code PasswdCommand.properties}.
 */
@Command(name = "passwd", mixinStandardHelpOptions = true)
final class PasswdCommand implements Callable<Integer> {
  private static final String SALT_CHARS =
      "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @Option(names = "--rounds", paramLabel = "N")
  int rounds = 5000;

  @Option(names = "--salt", paramLabel = "SALT")
  String salt;

  @Mixin JsonOption json = new JsonOption();

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    if (rounds < 1000 || rounds > 999_999_999) {
      stderr.println("kickdrift passwd: --rounds " + rounds + "; expected 1000 to 999999999");
      return 2;
    }
    if (salt != null && !salt.matches("[./0-9A-Za-z]{1,16}")) {
      stderr.println("kickdrift passwd: --salt must be 1 to 16 of [./0-9A-Za-z]");
      return 2;
    }
    char[] password;
    try {
      password = read();
    } catch (IOException e) {
      return Failed.report("passwd", e, stderr::println);
    }
    if (password == null) {
      return 2;
    }
    byte[] bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)).array();
    int length = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)).limit();
    try {
      String hash = hash(Arrays.copyOf(bytes, length), salt != null ? salt : randomSalt(), rounds);
      stdout.println(json.on() ? JsonOption.text(Map.of("hash", hash)) : hash);
      return 0;
    } finally {
      Arrays.fill(password, '\0');
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The crypt(3) SHA-512 hash; {@code rounds=} appears only when not the default 5000. */
  static String hash(byte[] password, String salt, int rounds) {
    String spec = rounds == 5000 ? "$6$" + salt : "$6$rounds=" + rounds + "$" + salt;
    return Sha2Crypt.sha512Crypt(password, spec);
  }

  static String randomSalt() {
    SecureRandom random = new SecureRandom();
    StringBuilder salt = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      salt.append(SALT_CHARS.charAt(random.nextInt(SALT_CHARS.length())));
    }
    return salt.toString();
  }

  private char[] read() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Again: ");
      if (first == null || again == null || !Arrays.equals(first, again)) {
        stderr.println("kickdrift passwd: the passwords differ; nothing printed");
        return null;
      }
      Arrays.fill(again, '\0');
      return nonEmpty(first);
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    return nonEmpty(line == null ? new char[0] : line.toCharArray());
  }

  private char[] nonEmpty(char[] password) {
    if (password.length == 0) {
      stderr.println("kickdrift passwd: empty password; expected one line on standard input");
      return null;
    }
    return password;
  }
}
