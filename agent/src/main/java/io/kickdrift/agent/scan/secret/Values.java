package io.kickdrift.agent.scan.secret;

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
          "\\$\\{[^}]*}|\\$\\([^)]*\\)|\\$[A-Za-z_][A-Za-z0-9_]*|%\\([^)]*\\)[sd]|%\\{[^}]*}"
              + "|\\{\\{.*}}|\\{%.*%}|<[^<>]*>|@[A-Za-z_][A-Za-z0-9_]*@|__[A-Za-z0-9_]+__"
              + "|ENC\\[.*]|vault:.*|env:.*|file:.*|!vault.*|!env.*");
  private static final Pattern NUMBER =
      Pattern.compile(
          "[-+]?[0-9][0-9_.,:]*(?:[kKmMgGtT]i?[bB]?|[bB]|s|ms|m|h|d|w|%)?|0x[0-9a-fA-F]+");

  /** A Postfix-style lookup table or a file path with a scheme: {@code hash:/etc/x}. */
  private static final Pattern LOOKUP = Pattern.compile("[a-z][a-z0-9_+-]*:(?:/|~/)[^\\s]*");

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
    return REFERENCE.matcher(s).matches()
        || NUMBER.matcher(s).matches()
        || LOOKUP.matcher(s).matches();
  }

  /**
   * Whether {@code v} looks generated rather than chosen as an example: long enough, and mixing
   * letters with digits or symbols. Used where a key name alone is weak evidence (a {@code *key}
   * key, a commented-out line of a sample config).
   */
  static boolean looksRandom(String v) {
    String s = v.strip();
    if (s.length() < 12 || isNotSecret(s) || s.indexOf(' ') >= 0) {
      return false;
    }
    int lower = 0;
    int upper = 0;
    int digit = 0;
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        lower = 1;
      } else if (c >= 'A' && c <= 'Z') {
        upper = 1;
      } else if (c >= '0' && c <= '9') {
        digit = 1;
      } else {
        other = 1;
      }
    }
    return lower + upper + digit + other >= 3 || (s.length() >= 20 && lower + upper + digit >= 2);
  }
}
