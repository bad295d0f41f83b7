package io.kickdrift.server.render;

import io.kickdrift.agent.state.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-install secrets for kickstart URLs and install callbacks: HMAC-SHA256 of the host name and
 * the install's random id under the server's key. The state database keeps only the id, so a copy
 * of it yields no token; a token is worthless for another host and for the host's next install. The
 * key lives in a file of 32 random bytes, mode 0600.
 */
public final class CallbackTokens {
  private static final int KEY_BYTES = 32;
  private static final int TOKEN_BYTES = 16;
  private final SecretKeySpec key;

  /** Mac.getInstance and init cost more than the HMAC itself: one per thread. */
  private final ThreadLocal<Mac> macs;

  public CallbackTokens(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("callback key of " + key.length + " bytes; expected 32");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /**
   * The key in {@code file}, created with a fresh random key (mode 0600, parent 0700) when absent.
   */
  public static CallbackTokens load(Path file) throws IOException {
    return new CallbackTokens(SecretFile.readOrCreate(file, KEY_BYTES));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The token of the host's install {@code installId}: 32 hex digits. */
  public String token(String host, String installId) {
    return HexFormat.of().formatHex(mac(host, installId), 0, TOKEN_BYTES);
  }

  /**
   * Whether {@code token} is that of the host's install {@code installId}, in constant time: the
   * token's 32 lower-case hex digits, as {@link #token} writes them, are compared as bytes with the
   * MAC's first 16; anything else is no token.
   */
  public boolean verify(String host, String installId, String token) {
    byte[] given = token == null ? null : bytes(token);
    return given != null
        && MessageDigest.isEqual(Arrays.copyOf(mac(host, installId), TOKEN_BYTES), given);
  }

  private byte[] mac(String host, String installId) {
    // NUL cannot occur in a host name or an id: no two (host, id) pairs give the same message
    return macs.get()
        .doFinal(
            ("kickdrift-install\0" + host + "\0" + installId).getBytes(StandardCharsets.UTF_8));
  }

  /** The value of a lower-case hex digit, -1 for any other character. */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  /** The bytes of 32 hex digits, or null when {@code token} is not that. */
  private static byte[] bytes(String token) {
    if (token.length() != 2 * TOKEN_BYTES) {
      return null;
    }
    byte[] b = new byte[TOKEN_BYTES];
    for (int i = 0; i < TOKEN_BYTES; i++) {
      int hi = digit(token.charAt(2 * i));
      int lo = digit(token.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        return null;
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return b;
  }
}
