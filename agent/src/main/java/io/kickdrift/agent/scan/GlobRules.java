package io.kickdrift.agent.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Path rules in gitignore syntax, matched against absolute paths of the scanned host: a pattern
 * with a slash (other than a trailing one) is anchored at {@code /}, one without matches a name at
 * any depth; {@code *}, {@code ?}, {@code [..]} and {@code **}; a trailing {@code /} matches
 * directories only; {@code !} re-includes; the last matching rule wins.
 */
public final class GlobRules {
  record Rule(String source, Pattern pattern, boolean negated, boolean dirOnly) {}

  private final List<Rule> rules;

  private GlobRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * A rule file shipped in the jar beside the scanner ({@code default-ignore.txt}, {@code
   * default-secrets.txt}); the agent, the fleet scan and serve all read them here.
   */
  public static GlobRules builtIn(String resource) throws IOException {
    try (InputStream in = GlobRules.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("built-in rules " + resource + " missing from the jar");
      }
      return parse(
          "(built-in " + resource + ")", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  public static GlobRules empty() {
    return new GlobRules(List.of());
  }

  /**
   * @param source where the text came from, for error messages ({@code file})
   * @throws IllegalArgumentException naming {@code source:line} for a pattern that cannot match
   */
  public static GlobRules parse(String source, String text) {
    List<Rule> out = new ArrayList<>();
    int n = 0;
    for (String raw : text.split("\n")) {
      n++;
      String line = raw.stripTrailing();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negated = line.startsWith("!");
      if (negated) {
        line = line.substring(1);
      }
      boolean dirOnly = line.endsWith("/") && line.length() > 1;
      if (dirOnly) {
        line = line.substring(0, line.length() - 1);
      }
      boolean anchored = line.indexOf('/') >= 0;
      String body = line.startsWith("/") ? line.substring(1) : line;
      if (body.isEmpty()) {
        throw new IllegalArgumentException(source + ":" + n + ": empty pattern");
      }
      String regex = (anchored ? "/" : "(?:.*/)?") + globToRegex(source, n, body) + "(?:/.*)?";
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        // What translation leaves to the regex engine, such as a range [z-a].
        throw new IllegalArgumentException(
            source + ":" + n + ": invalid pattern '" + line + "': " + e.getDescription(), e);
      }
      out.add(new Rule(line, pattern, negated, dirOnly));
    }
    return new GlobRules(out);
  }

  public GlobRules plus(GlobRules more) {
    List<Rule> all = new ArrayList<>(rules);
    all.addAll(more.rules);
    return new GlobRules(all);
  }

  /** The rule that decides {@code path}, or {@code null} when no rule matches or one negates it. */
  public String match(String path, boolean directory) {
    Rule hit = null;
    for (Rule r : rules) {
      if ((!r.dirOnly || directory || matchesParent(r, path))
          && r.pattern.matcher(path).matches()) {
        hit = r;
      }
    }
    return hit == null || hit.negated ? null : hit.source;
  }

  public boolean matches(String path, boolean directory) {
    return match(path, directory) != null;
  }

  // A dir-only rule also covers everything beneath a matching directory.
  private static boolean matchesParent(Rule r, String path) {
    int slash = path.lastIndexOf('/');
    return slash > 0 && r.pattern.matcher(path.substring(0, slash)).matches();
  }

  static String globToRegex(String source, int line, String glob) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*':
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
            b.append(slashAfter ? "(?:.*/)?" : ".*");
            i += slashAfter ? 2 : 1;
          } else {
            b.append("[^/]*");
          }
          break;
        case '?':
          b.append("[^/]");
          break;
        case '[':
          int from = i + 1;
          boolean negated =
              from < glob.length() && (glob.charAt(from) == '!' || glob.charAt(from) == '^');
          if (negated) {
            from++;
          }
          // A ']' right after '[' or '[!' is a member, not the end.
          int end = glob.indexOf(']', from + 1);
          if (end < 0) {
            throw new IllegalArgumentException(
                source + ":" + line + ": unclosed '[' in pattern '" + glob + "'");
          }
          // As in gitignore, a set never matches the separator.
          b.append(negated ? "(?!/)[^" : "(?!/)[");
          for (int k = from; k < end; k++) {
            char m = glob.charAt(k);
            boolean edgeDash = m == '-' && (k == from || k == end - 1);
            if (m == '\\' || m == '[' || m == ']' || m == '&' || m == '^' || edgeDash) {
              b.append('\\');
            }
            b.append(m);
          }
          b.append(']');
          i = end;
          break;
        case '\\':
          if (i + 1 < glob.length()) {
            b.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
          break;
        default:
          b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return b.toString();
  }
}
