package io.kickdrift.agent.scan.secret;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The text committed in place of one secret value: {@code kickdrift-secret.RULE.DIGEST}, where
 * DIGEST is 16 hex digits of a keyed digest (HMAC-SHA256 under the host's digest key, held in the
 * state directory, never in the repository). Only characters that are plain in every format we
 * redact (shell, INI, YAML, JSON strings, XML, URLs), so the redacted file still reads.
 */
public final class InlinePlaceholder {
  /** Matches one placeholder anywhere in a text; group 1 is the rule, group 2 the digest. */
  public static final Pattern PATTERN =
      Pattern.compile("kickdrift-secret\\.([a-z0-9][a-z0-9-]*)\\.([0-9a-f]{16})");

  private InlinePlaceholder() {}

  /**
   * @param keyedDigest at least 8 bytes of the value's keyed digest
   */
  public static String text(String rule, byte[] keyedDigest) {
    return "kickdrift-secret." + rule + "." + HexFormat.of().formatHex(keyedDigest, 0, 8);
  }

  /** Whether {@code value} is a placeholder, alone or with quotes around it. */
  public static boolean isPlaceholder(String value) {
    String v = value.strip();
    if (v.length() >= 2
        && (v.charAt(0) == '"' || v.charAt(0) == '\'')
        && v.charAt(v.length() - 1) == v.charAt(0)) {
      v = v.substring(1, v.length() - 1);
    }
    return PATTERN.matcher(v).matches();
  }
}
