package io.kickdrift.agent.scan.secret;

import java.util.List;
import java.util.Locale;

/**
 * Which key names hold secrets (docs/secrets.md, "Keys"): the last part of the key (after a
 * section, a dot, a slash or a colon), lower-cased without {@code -} and {@code _}, ends with a
 * secret word ({@code db_password}, {@code spring.datasource.password}, {@code apiToken}); the key
 * {@code PasswordAuthentication} ends with a setting, not a secret word, so it is none.
 */
final class Keys {
  /** How much a key name says about its value. */
  enum Strength {
    /** Not a secret's key. */
    NONE,
    /** {@code *key}, {@code auth}, {@code credentials}: a secret only if the value looks random. */
    WEAK,
    /** A password's key: any value that is not a placeholder is a secret. */
    PASSWORD,
    /** A secret's, token's or private key's key: as for PASSWORD. */
    SECRET
  }

  private static final List<String> PASSWORD_ENDS =
      List.of("password", "passwd", "passphrase", "pass", "pwd", "pw", "authtok", "masterauth");
  private static final List<String> SECRET_ENDS =
      List.of(
          "secret",
          "token",
          "psk",
          "apikey",
          "privatekey",
          "presharedkey",
          "secretkey",
          "accesskey",
          "signingkey",
          "encryptionkey",
          "masterkey",
          "licensekey",
          "hmackey",
          "sessionkey",
          "clientkey",
          "keydata",
          "secretkeybase",
          "salt");
  private static final List<String> WEAK_ENDS =
      List.of("key", "auth", "credential", "credentials", "cookie", "community");

  /** Keys that end with "pass" and name where to pass a request, not a password. */
  private static final List<String> NOT_PASSWORDS =
      List.of(
          "proxypass",
          "fastcgipass",
          "uwsgipass",
          "scgipass",
          "grpcpass",
          "memcachedpass",
          "bypass",
          "compass",
          "passthrough",
          "cachebypass");

  private Keys() {}

  static Strength strength(String key) {
    String c = compact(key);
    if (c.isEmpty()
        || c.contains("public")
        || c.contains("pubkey")
        || c.contains("authentication")
        || NOT_PASSWORDS.stream().anyMatch(c::endsWith)) {
      return Strength.NONE;
    }
    if (PASSWORD_ENDS.stream().anyMatch(c::endsWith)) {
      return Strength.PASSWORD;
    }
    if (SECRET_ENDS.stream().anyMatch(c::endsWith)) {
      return Strength.SECRET;
    }
    return WEAK_ENDS.stream().anyMatch(c::endsWith) ? Strength.WEAK : Strength.NONE;
  }

  /** The last part of the key, lower case, without separators: {@code a.b.API-Key} is apikey. */
  static String compact(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    int cut = Math.max(Math.max(k.lastIndexOf('.'), k.lastIndexOf('/')), k.lastIndexOf(':'));
    if (cut >= 0 && cut < k.length() - 1) {
      k = k.substring(cut + 1);
    }
    StringBuilder b = new StringBuilder(k.length());
    for (int i = 0; i < k.length(); i++) {
      char ch = k.charAt(i);
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
        b.append(ch);
      }
    }
    return b.toString();
  }
}
