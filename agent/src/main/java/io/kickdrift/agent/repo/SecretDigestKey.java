package io.kickdrift.agent.repo;

import io.kickdrift.agent.state.SecretFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of the keyed digests that placeholders of secret values carry (docs/config-repo.md,
 * "Secrets"): HMAC-SHA256 of the value, so the same value under the same key gives the same
 * placeholder, and without the key no dictionary guess can be checked against one. The key is 32
 * random bytes in the state directory ({@code secret-digest.key}, mode 0600), never in the
 * repository.
 *
 * <p>Example: {@code SecretDigestKey.load(StateDir.resolve(null).secretDigestKey())}
 */
public final class SecretDigestKey {
  private static final int KEY_BYTES = 32;
  private final SecretKeySpec key;

  private SecretDigestKey(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException(
          "secret digest key of " + key.length + " bytes; expected " + KEY_BYTES);
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** The key in {@code file}, made (32 random bytes, mode 0600) when the file is absent. */
  public static SecretDigestKey load(Path file) throws IOException {
    try {
      return new SecretDigestKey(SecretFile.readOrCreate(file, KEY_BYTES));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The key in {@code file}, or {@code null} when there is none this process may read: for readers
   * that must not write, and can do without it (restore matches values by rule and key then).
   */
  public static SecretDigestKey ifPresent(Path file) throws IOException {
    return Files.isRegularFile(file) && Files.isReadable(file) ? load(file) : null;
  }

  /**
   * A key of this process only: placeholders it makes match no other run's. For callers that keep
   * no state; a repository written with it shows every secret value as changed on each scan.
   */
  public static SecretDigestKey ephemeral() {
    byte[] k = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(k);
    return new SecretDigestKey(k);
  }

  /** HMAC-SHA256 of {@code content[start, end)}. */
  byte[] digest(byte[] content, int start, int end) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(content, start, end - start);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
