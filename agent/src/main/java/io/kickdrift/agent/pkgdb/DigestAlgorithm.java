package io.kickdrift.agent.pkgdb;

/** Digest algorithms package databases use, with RPM's PGPHASHALGO numbers. */
public enum DigestAlgorithm {
  MD5("MD5", "md5", 1, 32),
  SHA1("SHA-1", "sha1", 2, 40),
  SHA256("SHA-256", "sha256", 8, 64),
  SHA384("SHA-384", "sha384", 9, 96),
  SHA512("SHA-512", "sha512", 10, 128),
  SHA224("SHA-224", "sha224", 11, 56);

  private final String jcaName;
  private final String label;
  private final int rpmId;
  private final int hexLength;

  DigestAlgorithm(String jcaName, String label, int rpmId, int hexLength) {
    this.jcaName = jcaName;
    this.label = label;
    this.rpmId = rpmId;
    this.hexLength = hexLength;
  }

  /** The name {@link java.security.MessageDigest#getInstance(String)} takes. */
  public String jcaName() {
    return jcaName;
  }

  public String label() {
    return label;
  }

  public int hexLength() {
    return hexLength;
  }

  /** The algorithm of RPM's FILEDIGESTALGO value; RPM means MD5 when the tag is absent. */
  public static DigestAlgorithm fromRpmId(int id) {
    for (DigestAlgorithm a : values()) {
      if (a.rpmId == id) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown RPM digest algorithm " + id);
  }
}
