package io.kickdrift.agent.scan.secret;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a value must look like to be a secret (docs/secrets.md, "Placeholders and non-secret
 * values"): not empty, not a reference to where the secret is ({@code ${VAR}}, a file path, a URL),
 * not a word a sample config puts there ({@code changeme}, {@code none}, {@code yes}), not a
 * number, not a kickdrift placeholder.
 */
final class Values {
  private static final Set<String> WORDS =
      Set.of(
          "changeme",
          "change_me",
          "change-me",
          "changeit",
          "changethis",
          "secret",
          "secrets",
          "password",
          "passwd",
          "pass",
          "passphrase",
          "pwd",
          "mypassword",
          "yourpassword",
          "your_password",
          "your-password",
          "mysecret",
          "yoursecret",
          "token",
          "key",
          "apikey",
          "api_key",
          "example",
          "sample",
          "none",
          "null",
          "nil",
          "undefined",
          "unset",
          "empty",
          "true",
          "false",
          "yes",
          "no",
          "on",
          "off",
          "enabled",
          "disabled",
          "enable",
          "disable",
          "required",
          "optional",
          "default",
          "auto",
          "automatic",
          "test",
          "testing",
          "dummy",
          "foo",
          "bar",
          "baz",
          "foobar",
          "foobared",
          "redacted",
          "hidden",
          "removed",
          "todo",
          "fixme",
          "tbd",
          "placeholder",
          "insert",
          "replace",
          "secure",
          "plain",
          "plaintext",
          "md5",
          "sha1",
          "sha256",
          "sha512",
          "crypt",
          "bcrypt",
          "scram-sha-256",
          "clear",
          "cleartext",
          "any",
          "all",
          "always",
          "never",
          "ask",
          "prompt",
          "file",
          "env",
          "internal",
          "external",
          "local",
          "inherit",
          "keyboard-interactive",
          "publickey",
          "password1");
  private static final Pattern REFERENCE =
      Pattern.compile(
          "\\$\\{[^}]*}|\\$\\([^)]*\\)|\\$[A-Za-z_][A-Za-z0-9_:]*|\\$\\{?[A-Za-z_]\\w*}?/.*|%\\([^)]*\\)[sd]|%\\{[^}]*}"
              + "|\\{\\{.*}}|\\{%.*%}|<[^<>]*>|@[A-Za-z_][A-Za-z0-9_]*@|__[A-Za-z0-9_]+__"
              + "|ENC\\[.*]|vault:.*|env:.*|file:.*|!vault.*|!env.*");
  private static final Pattern NUMBER =
      Pattern.compile(
          "[-+]?[0-9][0-9_.,:]*(?:[kKmMgGtT]i?[bB]?|[bB]|s|ms|m|h|d|w|%)?|0x[0-9a-fA-F]+"
              + "|[0-9][0-9.]*/(?:tcp|udp|sctp|[0-9]{1,3})");

  /** A Postfix-style lookup table or a file path with a scheme: {@code hash:/etc/x}. */
  private static final Pattern LOOKUP = Pattern.compile("[a-z][a-z0-9_+-]*:(?:/|~/)[^\\s]*");

  /** A {@code <name>} or {@code %(name)s} slot anywhere in the value. */
  private static final Pattern TEMPLATE =
      Pattern.compile("<[A-Za-z_][\\w .-]*>|%\\([A-Za-z_]\\w*\\)[sd]");

  /** A macro or constant's name: {@code MAIN_TLS_PRIVATEKEY}, {@code REMOTE_SMTP_KEY}. */
  private static final Pattern MACRO = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");

  /**
   * A file name or relative path with a file's extension: {@code exim.key}, {@code $dir/ca.key}.
   */
  private static final Pattern FILE =
      Pattern.compile(
          "(?:[$\\w.{}-]+/)*[\\w.-]+\\.(?:key|pem|crt|cer|cert|der|csr|pub|p12|pfx|jks|keystore"
              + "|conf|cfg|cnf|ini|txt|json|ya?ml|xml|secret|secrets|pass|passwd|db|asc|gpg|age"
              + "|token|keytab)");

  private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9+/=_.~:-]+");

  private Values() {}

  /** Strips one pair of quotes (" ' `) around {@code v}; returns the inner offsets. */
  static int[] unquote(String text, int start, int end) {
    if (end - start >= 2) {
      char q = text.charAt(start);
      if ((q == '"' || q == '\'' || q == '`') && text.charAt(end - 1) == q) {
        return new int[] {start + 1, end - 1};
      }
    }
    return new int[] {start, end};
  }

  /** Whether {@code v} (unquoted) cannot be a secret whatever its key says. */
  static boolean isNotSecret(String v) {
    String s = v.strip();
    if (s.isEmpty() || InlinePlaceholder.isPlaceholder(s) || s.contains("kickdrift-secret.")) {
      return true;
    }
    if (s.length() < 3) {
      return true;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (WORDS.contains(lower)
        || lower.contains("your")
        || lower.startsWith("changeme")
        || lower.startsWith("change_me")
        || lower.startsWith("example")
        || lower.contains("xxxx")
        || lower.startsWith("replace")
        || lower.startsWith("insert")
        || lower.startsWith("put")) {
      return true;
    }
    char c0 = s.charAt(0);
    if (c0 == '/' || s.startsWith("~/") || s.startsWith("./") || s.startsWith("../")) {
      return true;
    }
    if (s.chars().allMatch(ch -> ch == s.charAt(0))) {
      return true; // ***, xxxxxx, ......
    }
    if (s.contains("://") || s.startsWith("...") || s.endsWith("...")) {
      return true;
    }
    if (s.contains("${")
        || s.contains("%{")
        || s.contains("{{")
        || s.contains("$(")
        || TEMPLATE.matcher(s).find()) {
      return true; // a template or an expansion: the secret is elsewhere
    }
    if (MACRO.matcher(s).matches() || FILE.matcher(s).matches()) {
      return true;
    }
    return REFERENCE.matcher(s).matches()
        || NUMBER.matcher(s).matches()
        || LOOKUP.matcher(s).matches();
  }

  /**
   * Whether {@code v} looks generated rather than chosen as an example: long enough, and mixing
   * letters with digits or symbols. Used where a key name alone is weak evidence (a {@code *key}
   * key, a commented-out line of a sample config).
   */
  /** Words joined by dashes or underscores: {@code mschapv2-and-ntlmv2-only}. */
  private static boolean wordsJoined(String s) {
    String[] parts = s.split("[-_]");
    if (parts.length < 3 || !s.equals(s.toLowerCase(Locale.ROOT))) {
      return false;
    }
    return Arrays.stream(parts).filter(p -> p.matches("[a-z]{2,}")).count() >= 2;
  }

  static boolean looksRandom(String v) {
    String s = v.strip();
    if (s.length() < 12 || isNotSecret(s) || !TOKEN_CHARS.matcher(s).matches() || wordsJoined(s)) {
      return false;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    for (String run : new String[] {"0123", "1234", "abcd", "qwer", "asdf", "test", "example"}) {
      if (lower.contains(run)) {
        return false;
      }
    }
    boolean hasLower = !s.equals(s.toUpperCase(Locale.ROOT));
    boolean hasUpper = !s.equals(lower);
    boolean hasDigit = s.chars().anyMatch(c -> c >= '0' && c <= '9');
    if (s.length() >= 20) {
      return hasDigit && (hasLower || hasUpper);
    }
    return hasDigit && hasLower && hasUpper;
  }
}
