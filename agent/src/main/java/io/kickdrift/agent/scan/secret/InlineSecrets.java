package io.kickdrift.agent.scan.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secret values inside a file's content (docs/secrets.md): key/value formats, token shapes,
 * password hashes and private keys in any armor, anywhere in the file. Placeholders written by
 * kickdrift ({@link InlinePlaceholder}) and allowed values are never matches.
 *
 * <p>STUB (issue 18 integration API): only {@code password=value} lines; the real rules replace
 * this body, the signatures stay.
 */
public final class InlineSecrets {
  private static final Pattern STUB =
      Pattern.compile("(?m)^\\s*([A-Za-z_]*password)\\s*=\\s*(\\S+)\\s*$");

  private InlineSecrets() {}

  /** The built-in rules and allow list. */
  public static InlineSecrets builtIn() {
    return new InlineSecrets();
  }

  /**
   * The built-in rules plus a user's rule file (more rules, and values or paths that are not
   * secrets).
   *
   * @throws IOException when the file cannot be read, or a line of it is not a rule (the message
   *     names file:line and what was expected)
   */
  public static InlineSecrets withRules(Path rulesFile) throws IOException {
    return builtIn();
  }

  /**
   * The secret values in {@code content}, sorted by start and not overlapping.
   *
   * @param path the file's absolute path on its host, for rules that depend on it ({@code .netrc},
   *     {@code my.cnf}, allow entries by path)
   */
  public List<SecretMatch> find(String path, byte[] content) {
    String text = new String(content, StandardCharsets.ISO_8859_1);
    List<SecretMatch> out = new ArrayList<>();
    Matcher m = STUB.matcher(text);
    while (m.find()) {
      if (InlinePlaceholder.isPlaceholder(m.group(2))) {
        continue;
      }
      int line = 1;
      for (int i = 0; i < m.start(2); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      out.add(new SecretMatch("kv-password", line, m.group(1), m.start(2), m.end(2)));
    }
    return out;
  }
}
