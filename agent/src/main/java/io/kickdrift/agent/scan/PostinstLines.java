package io.kickdrift.agent.scan;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line of a maintainer script that sets a file's owner, group or mode: a {@code chown},
 * {@code chgrp}, {@code chmod} or {@code dpkg-statoverride} naming the path, a glob matching it
 * ({@code /etc/bind/named.conf*}), or, with {@code -R}, a directory above it. Simple {@code
 * VAR=value} assignments earlier in the script are substituted ({@code $CONF/x}, {@code
 * ${CONF}/x}); anything more dynamic (loops, command substitution) is not followed, so such a
 * change stays a finding.
 */
final class PostinstLines {
  private PostinstLines() {}

  private static final Pattern COMMAND =
      Pattern.compile("(?:^|[;&|({`\\s])(chown|chgrp|chmod|dpkg-statoverride)\\s+(.*)");
  private static final Pattern ASSIGN =
      Pattern.compile(
          "^\\s*(?:local\\s+|export\\s+|readonly\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\\S*)\\s*$");
  private static final Pattern VAR =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  /**
   * The lines ({@code "line 42: chgrp bind /etc/bind/named.conf*"}) of {@code script} that make
   * each of {@code problems} (owner, group, mode) of {@code path}, joined by {@code "; "}, or
   * {@code null} when one of them no line makes: a chown does not explain a mode.
   */
  static String naming(String script, String path, Set<Problem> problems) {
    Map<String, String> vars = new HashMap<>();
    Set<Problem> left = EnumSet.copyOf(problems);
    Set<String> found = new LinkedHashSet<>();
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length && !left.isEmpty(); i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0 && (hash == 0 || Character.isWhitespace(line.charAt(hash - 1)))) {
        line = line.substring(0, hash);
      }
      Matcher a = ASSIGN.matcher(line);
      if (a.matches()) {
        vars.put(a.group(1), unquote(substitute(a.group(2), vars)));
        continue;
      }
      Matcher c = COMMAND.matcher(line);
      if (!c.find()) {
        continue;
      }
      String args = substitute(c.group(2), vars);
      if (!names(args, path)) {
        continue;
      }
      Set<Problem> makes = makes(c.group(1), args);
      makes.retainAll(left);
      if (!makes.isEmpty()) {
        left.removeAll(makes);
        found.add("line " + (i + 1) + ": " + lines[i].strip());
      }
    }
    return left.isEmpty() && !found.isEmpty() ? String.join("; ", found) : null;
  }

  /** What a command sets: chown user:group both, chown user the owner, chgrp the group, … */
  private static Set<Problem> makes(String command, String args) {
    switch (command) {
      case "chmod":
        return EnumSet.of(Problem.MODE);
      case "chgrp":
        return EnumSet.of(Problem.GROUP);
      case "chown":
        for (String t : args.split("\\s+")) {
          if (!t.startsWith("-")) {
            return t.contains(":") || t.contains(".")
                ? EnumSet.of(Problem.OWNER, Problem.GROUP)
                : EnumSet.of(Problem.OWNER);
          }
        }
        return EnumSet.of(Problem.OWNER);
      default: // dpkg-statoverride --update --add user group mode path
        return EnumSet.of(Problem.OWNER, Problem.GROUP, Problem.MODE);
    }
  }

  private static final Pattern ENABLE =
      Pattern.compile(
          "(?:^|[;&|({`\\s])(?:(?:systemctl|deb-systemd-helper)\\s.*\\benable|a2en(?:mod|conf|site))"
              + "\\s+(.*)");

  /**
   * The line of {@code script} that enables {@code unit} ({@code systemctl enable
   * getty@tty1.service} in systemd's postinst), or {@code null}.
   */
  static String enabling(String script, String unit) {
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = ENABLE.matcher(lines[i]);
      if (m.find()) {
        for (String t : m.group(1).split("[\\s;&|)]+")) {
          if (unquote(t).equals(unit)) {
            return "line " + (i + 1) + ": " + lines[i].strip();
          }
        }
      }
    }
    return null;
  }

  private static boolean names(String args, String path) {
    boolean recursive = false;
    for (String raw : args.split("[\\s;&|)]+")) {
      String t = unquote(raw);
      if (t.equals("-R") || t.equals("--recursive")) {
        recursive = true;
        continue;
      }
      if (!t.startsWith("/")) {
        continue;
      }
      if (t.equals(path) || globMatches(t, path)) {
        return true;
      }
      if (recursive && path.startsWith(t.endsWith("/") ? t : t + "/")) {
        return true;
      }
    }
    return false;
  }

  private static boolean globMatches(String glob, String path) {
    if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0 && glob.indexOf('[') < 0) {
      return false;
    }
    try {
      return Pattern.matches(
          GlobRules.globToRegex("postinst", 0, glob.substring(1)), path.substring(1));
    } catch (IllegalArgumentException e) {
      return false; // not a glob we can read: not a match
    }
  }

  private static String substitute(String s, Map<String, String> vars) {
    Matcher m = VAR.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String v = vars.get(name);
      m.appendReplacement(b, Matcher.quoteReplacement(v != null ? v : m.group()));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static String unquote(String t) {
    return t.replace("\"", "").replace("'", "");
  }
}
