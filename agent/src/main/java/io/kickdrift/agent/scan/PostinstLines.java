package io.kickdrift.agent.scan;

import java.util.HashMap;
import java.util.Map;
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
   * The line ({@code "line 42: chgrp bind /etc/bind/named.conf*"}) of {@code script} that sets
   * {@code path}'s owner, group or mode, or {@code null} when none does.
   */
  static String naming(String script, String path) {
    Map<String, String> vars = new HashMap<>();
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
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
      if (c.find() && names(substitute(c.group(2), vars), path)) {
        return "line " + (i + 1) + ": " + lines[i].strip();
      }
    }
    return null;
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
