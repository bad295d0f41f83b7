package io.kickdrift.agent.pkgdb;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A file digest as a package database records it: the algorithm and lower-case hex.
 *
 * <p>Example: {@code Digest.of(DigestAlgorithm.MD5, "d41d8cd98f00b204e9800998ecf8427e")}.
 */
public record Digest(DigestAlgorithm algorithm, String hex) {
  public Digest {
    if (algorithm == null) {
      throw new IllegalArgumentException("digest algorithm missing");
    }
    hex = hex.toLowerCase(Locale.ROOT);
    if (hex.length() != algorithm.hexLength() || !isHex(hex)) {
      throw new IllegalArgumentException(
          "not a " + algorithm + " digest (" + algorithm.hexLength() + " hex digits): " + hex);
    }
  }

  public static Digest of(DigestAlgorithm algorithm, String hex) {
    return new Digest(algorithm, hex);
  }

  public static Digest of(DigestAlgorithm algorithm, byte[] raw) {
    return new Digest(algorithm, HexFormat.of().formatHex(raw));
  }

  /** Whether {@code s} is a valid digest of this algorithm; for parsers that warn instead. */
  public static boolean isValid(DigestAlgorithm algorithm, String s) {
    return s.length() == algorithm.hexLength() && isHex(s.toLowerCase(Locale.ROOT));
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return algorithm.label() + ":" + hex;
  }
}
