package io.kickdrift.server.render;

import io.kickdrift.agent.state.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
  private static final int TOKEN_HEX = 32;
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
    // NUL cannot occur in a host name or an id: no two (host, id) pairs give the same message
    byte[] digest =
        macs.get()
            .doFinal(
                ("kickdrift-install\0" + host + "\0" + installId).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, TOKEN_HEX);
  }

  /** Whether {@code token} is that of the host's install {@code installId}, in constant time. */
  public boolean verify(String host, String installId, String token) {
    return token != null
        && MessageDigest.isEqual(
            token(host, installId).getBytes(StandardCharsets.US_ASCII),
            token.getBytes(StandardCharsets.US_ASCII));
  }
}
