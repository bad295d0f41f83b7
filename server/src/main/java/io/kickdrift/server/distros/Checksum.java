package io.kickdrift.server.distros;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An expected digest of a file, as {@code .treeinfo} writes it: {@code sha256:HEX}.
 *
 * @param algorithm {@code sha256}, {@code sha512}, {@code sha1} or {@code md5}
 * @param hex the digest in lower-case hex
 */
public record Checksum(String algorithm, String hex) {
  private static final Map<String, Integer> LENGTHS =
      Map.of("md5", 32, "sha1", 40, "sha256", 64, "sha384", 96, "sha512", 128);

  /** Parses {@code ALG:HEX}, or says what is wrong. */
  static Optional<Checksum> parse(String text, StringBuilder why) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      why.append("'").append(text).append("' is not ALGORITHM:HEX, e.g. sha256:9f86…");
      return Optional.empty();
    }
    String alg = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String hex = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
    Integer length = LENGTHS.get(alg);
    if (length == null) {
      why.append("unknown checksum algorithm '")
          .append(alg)
          .append("'; expected sha256, sha512, sha384, sha1 or md5");
      return Optional.empty();
    }
    if (hex.length() != length || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      why.append("'").append(hex).append("' is not ").append(length).append(" hex digits");
      return Optional.empty();
    }
    return Optional.of(new Checksum(alg, hex));
  }

  /** A fresh digest of this checksum's algorithm. */
  public MessageDigest newDigest() {
    String name =
        switch (algorithm) {
          case "md5" -> "MD5";
          case "sha1" -> "SHA-1";
          case "sha384" -> "SHA-384";
          case "sha512" -> "SHA-512";
          default -> "SHA-256";
        };
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is a required JDK algorithm", e);
    }
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
