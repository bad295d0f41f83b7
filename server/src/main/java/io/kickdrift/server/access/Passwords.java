package io.kickdrift.server.access;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes of the users file: Argon2id as a PHC string ({@code
 * $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}, the OWASP minimum: 19 MiB, 2 passes, 1 lane), and
 * bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) accepted for users brought from elsewhere. A
 * stored string that is neither is refused with an {@link IllegalArgumentException} naming what was
 * expected; nothing else is thrown for any input.
 */
public final class Passwords {
  static final int MEMORY_KIB = 19456;
  static final int PASSES = 2;
  static final int LANES = 1;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  // Bounds on what a stored hash may ask for: a hand-edited m=4000000 would cost 4 GiB per login.
  private static final int MAX_MEMORY_KIB = 1 << 20;
  private static final int MAX_PASSES = 16;
  private static final int MAX_LANES = 16;

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=(\\d{1,3})\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})"
              + "\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,172})");
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A hash no password matches: what an unknown user's login is verified against (same cost). */
  static final String DUMMY = hash(randomChars());

  private Passwords() {}

  /** The Argon2id PHC string of {@code password} with a new random salt. */
  public static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] out = argon2(password, salt, MEMORY_KIB, PASSES, LANES, HASH_BYTES);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + PASSES
        + ",p="
        + LANES
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(out);
  }

  /**
   * Whether {@code password} matches {@code stored} (compared in constant time); an {@link
   * IllegalArgumentException} when {@code stored} is no hash this class reads.
   */
  public static boolean verify(String stored, char[] password) {
    if (stored != null && stored.startsWith("$2")) {
      checkBcrypt(stored);
      try {
        return OpenBSDBCrypt.checkPassword(stored, password);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad bcrypt hash: " + e.getMessage(), e);
      }
    }
    Phc phc = parse(stored);
    byte[] out = argon2(password, phc.salt, phc.memory, phc.passes, phc.lanes, phc.hash.length);
    return MessageDigest.isEqual(out, phc.hash);
  }

  /** Refuses ({@link IllegalArgumentException}) a string that is no hash {@link #verify} reads. */
  public static void check(String stored) {
    if (stored != null && stored.startsWith("$2")) {
      checkBcrypt(stored);
    } else {
      parse(stored);
    }
  }

  private static void checkBcrypt(String stored) {
    Matcher m = BCRYPT.matcher(stored);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "bad bcrypt hash; expected $2a$, $2b$ or $2y$, a two-digit cost, $ and 53 characters"
              + " of [./A-Za-z0-9]");
    }
    int cost = Integer.parseInt(m.group(1));
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("bcrypt cost " + cost + "; expected 04 to 31");
    }
  }

  /** A parsed PHC string. */
  record Phc(int memory, int passes, int lanes, byte[] salt, byte[] hash) {}

  /** The parts of an Argon2id PHC string; {@link IllegalArgumentException} naming what is wrong. */
  static Phc parse(String stored) {
    if (stored == null) {
      throw new IllegalArgumentException("no password hash; expected an Argon2id PHC string");
    }
    Matcher m = PHC.matcher(stored);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a password hash; expected $argon2id$v=19$m=M,t=T,p=P$SALT$HASH (salt and hash in"
              + " unpadded base64) or a bcrypt $2b$ hash");
    }
    if (!m.group(1).equals("19")) {
      throw new IllegalArgumentException(
          "Argon2 version v=" + m.group(1) + "; expected v=19 (Argon2 1.3)");
    }
    int memory = bounded("m", m.group(2), 8, MAX_MEMORY_KIB);
    int passes = bounded("t", m.group(3), 1, MAX_PASSES);
    int lanes = bounded("p", m.group(4), 1, MAX_LANES);
    if (memory < 8 * lanes) {
      throw new IllegalArgumentException("m=" + memory + " below 8 × p=" + lanes + " KiB");
    }
    byte[] salt = unpadded("salt", m.group(5));
    byte[] hash = unpadded("hash", m.group(6));
    if (salt.length < 8) {
      throw new IllegalArgumentException("salt of " + salt.length + " bytes; expected 8 or more");
    }
    if (hash.length < 16) {
      throw new IllegalArgumentException("hash of " + hash.length + " bytes; expected 16 or more");
    }
    return new Phc(memory, passes, lanes, salt, hash);
  }

  private static int bounded(String name, String digits, int min, int max) {
    int value = Integer.parseInt(digits); // at most 8 digits: fits
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + "=" + value + " out of range; expected " + min + " to " + max);
    }
    return value;
  }

  private static byte[] unpadded(String what, String text) {
    if (text.length() % 4 == 1) {
      throw new IllegalArgumentException(
          what + " \"" + text + "\" is not unpadded base64 (length " + text.length() + ")");
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      // Base64 ignores the unused low bits of the last character: refuse a non-canonical form.
      if (!Base64.getEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
        throw new IllegalArgumentException(what + " is not canonical unpadded base64");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not unpadded base64: " + e.getMessage(), e);
    }
  }

  static byte[] argon2(char[] password, byte[] salt, int memory, int passes, int lanes, int size) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memory)
            .withIterations(passes)
            .withParallelism(lanes)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] bytes = utf8(password);
    byte[] out = new byte[size];
    try {
      generator.generateBytes(bytes, out);
      return out;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] utf8(char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = Arrays.copyOf(encoded.array(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    return bytes;
  }

  private static char[] randomChars() {
    char[] chars = new char[24];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('a' + RANDOM.nextInt(26));
    }
    return chars;
  }
}
