package io.kickdrift.server.desired.ansible;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ansible Vault's format 1.1 (AES256), as {@code ansible-vault} writes and reads it, in Java: a
 * random 32-byte salt; PBKDF2-HMAC-SHA256 of the password, 10,000 rounds, 80 bytes: the AES key,
 * the HMAC key, the counter's start; the text padded (PKCS#7) and encrypted with AES-256-CTR;
 * HMAC-SHA256 of the ciphertext; salt, HMAC and ciphertext in hex on three lines, that in hex
 * again, in lines of 80 under the header {@code $ANSIBLE_VAULT;1.1;AES256}.
 */
public final class AnsibleVault {
  static final String HEADER = "$ANSIBLE_VAULT;1.1;AES256";
  private static final int ROUNDS = 10_000;
  private static final HexFormat HEX = HexFormat.of();

  private AnsibleVault() {}

  /** {@code plain} encrypted with {@code password}: the vault text, ending with a newline. */
  public static String encrypt(byte[] plain, char[] password) {
    byte[] salt = new byte[32];
    new SecureRandom().nextBytes(salt);
    return encrypt(plain, password, salt);
  }

  static String encrypt(byte[] plain, char[] password, byte[] salt) {
    try {
      Keys k = keys(password, salt);
      int pad = 16 - plain.length % 16;
      byte[] padded = Arrays.copyOf(plain, plain.length + pad);
      Arrays.fill(padded, plain.length, padded.length, (byte) pad);
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.aes, "AES"), new IvParameterSpec(k.iv));
      byte[] ciphertext = aes.doFinal(padded);
      byte[] hmac = hmac(k.hmac, ciphertext);
      String inner =
          HEX.formatHex(salt) + "\n" + HEX.formatHex(hmac) + "\n" + HEX.formatHex(ciphertext);
      String outer = HEX.formatHex(inner.getBytes(StandardCharsets.US_ASCII));
      StringBuilder b = new StringBuilder(HEADER).append('\n');
      for (int i = 0; i < outer.length(); i += 80) {
        b.append(outer, i, Math.min(outer.length(), i + 80)).append('\n');
      }
      return b.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CTR, HMAC-SHA256 or PBKDF2 missing from the JDK", e);
    }
  }

  /**
   * The plain text of vault text {@code vault}.
   *
   * @throws IllegalArgumentException when it is no vault 1.1/1.2 AES256 text, or the password is
   *     wrong (the HMAC differs), saying which
   */
  public static byte[] decrypt(String vault, char[] password) {
    String[] lines = vault.strip().split("\\R");
    String[] header = lines[0].strip().split(";");
    if (header.length < 3 || !header[0].equals("$ANSIBLE_VAULT") || !header[2].equals("AES256")) {
      throw new IllegalArgumentException(
          "not an Ansible Vault AES256 text: its first line is '" + lines[0] + "'");
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 1; i < lines.length; i++) {
      hex.append(lines[i].strip());
    }
    try {
      String inner = new String(HEX.parseHex(hex), StandardCharsets.US_ASCII);
      String[] parts = inner.split("\n");
      if (parts.length != 3) {
        throw new IllegalArgumentException("vault text: expected salt, HMAC and ciphertext");
      }
      byte[] salt = HEX.parseHex(parts[0]);
      byte[] mac = HEX.parseHex(parts[1]);
      byte[] ciphertext = HEX.parseHex(parts[2]);
      Keys k = keys(password, salt);
      if (!MessageDigest.isEqual(mac, hmac(k.hmac, ciphertext))) {
        throw new IllegalArgumentException(
            "vault text: the HMAC differs: a wrong password, or the text was changed");
      }
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k.aes, "AES"), new IvParameterSpec(k.iv));
      byte[] padded = aes.doFinal(ciphertext);
      int pad = padded.length == 0 ? 0 : padded[padded.length - 1];
      if (pad < 1 || pad > 16 || pad > padded.length) {
        throw new IllegalArgumentException("vault text: bad padding");
      }
      return Arrays.copyOf(padded, padded.length - pad);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CTR, HMAC-SHA256 or PBKDF2 missing from the JDK", e);
    }
  }

  /**
   * A YAML value holding {@code plain} vaulted, as {@code ansible-vault encrypt_string} prints it:
   * {@code !vault |} and the vault text indented by {@code indent} spaces.
   */
  public static String yamlValue(byte[] plain, char[] password, int indent) {
    StringBuilder b = new StringBuilder("!vault |\n");
    for (String line : encrypt(plain, password).split("\n")) {
      b.append(" ".repeat(indent)).append(line).append('\n');
    }
    return b.toString();
  }

  private record Keys(byte[] aes, byte[] hmac, byte[] iv) {}

  private static Keys keys(char[] password, byte[] salt) throws GeneralSecurityException {
    // ansible encodes the password as UTF-8 bytes; PBEKeySpec takes chars and PBKDF2WithHmacSHA256
    // encodes them as UTF-8
    byte[] k =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(password, salt, ROUNDS, 80 * 8))
            .getEncoded();
    return new Keys(
        Arrays.copyOfRange(k, 0, 32), Arrays.copyOfRange(k, 32, 64), Arrays.copyOfRange(k, 64, 80));
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key, "HmacSHA256"));
    return m.doFinal(data);
  }
}
