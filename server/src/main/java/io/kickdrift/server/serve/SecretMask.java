package io.kickdrift.server.serve;

import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a viewer sees of secrets in a host's variables and rendered files: {@value #MASK}. The
 * agent's secret rules decide (a password's or token's key, a value shaped like a hash, a key or a
 * token: {@link InlineSecrets}), plus what kickdrift itself knows is one: the variable {@code
 * root-password-hash} and a kickstart's {@code rootpw} value.
 */
final class SecretMask {
  static final String MASK = "********";

  private static final InlineSecrets RULES = InlineSecrets.builtIn();
  private static final Pattern ROOTPW =
      Pattern.compile("(?m)^([ \\t]*rootpw[ \\t]+(?:--\\S+[ \\t]+)*)(?!--)(\\S+)");

  private SecretMask() {}

  /** The variables with the value of each secret one masked, in the same order. */
  static Map<String, String> variables(Map<String, String> variables) {
    Map<String, String> shown = new LinkedHashMap<>();
    variables.forEach((k, v) -> shown.put(k, secret(k, v) ? MASK : v));
    return shown;
  }

  private static boolean secret(String key, String value) {
    if (key.equals("root-password-hash")) {
      return true;
    }
    // as a line of an env file would read: the rules judge the key and the value's shape
    byte[] line = (key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    return !RULES.find("/etc/kickdrift/variables", line).isEmpty();
  }

  /** A rendered file ({@code path} names it for the rules) with each secret value masked. */
  static String text(String path, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<SecretMatch> found = RULES.find(path, bytes);
    StringBuilder out = new StringBuilder();
    int at = 0;
    // the rules' offsets count bytes: cut the bytes, then decode each kept piece
    for (SecretMatch m : found) {
      out.append(new String(bytes, at, m.start() - at, StandardCharsets.UTF_8)).append(MASK);
      at = m.end();
    }
    out.append(new String(bytes, at, bytes.length - at, StandardCharsets.UTF_8));
    return ROOTPW.matcher(out).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
  }
}
