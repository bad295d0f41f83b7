package io.kickdrift.server.serve;

import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
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
    // the rules count bytes: one char per byte, so the kickstart pattern counts them too
    String latin = new String(bytes, StandardCharsets.ISO_8859_1);
    List<int[]> spans = new ArrayList<>();
    List<int[]> rootpwLines = new ArrayList<>();
    Matcher m = ROOTPW.matcher(latin);
    while (m.find()) {
      spans.add(new int[] {m.start(2), m.end(2)});
      rootpwLines.add(new int[] {m.start(), m.end()});
    }
    for (SecretMatch found : RULES.find(path, bytes)) {
      // on a rootpw line the rules take "--iscrypted" for the value: the line is masked above
      if (rootpwLines.stream().noneMatch(l -> found.start() < l[1] && found.end() > l[0])) {
        spans.add(new int[] {found.start(), found.end()});
      }
    }
    spans.sort(Comparator.comparingInt(span -> span[0]));
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (int[] span : spans) {
      if (span[0] >= at) {
        out.append(new String(bytes, at, span[0] - at, StandardCharsets.UTF_8)).append(MASK);
        at = span[1];
      }
    }
    return out.append(new String(bytes, at, bytes.length - at, StandardCharsets.UTF_8)).toString();
  }
}
