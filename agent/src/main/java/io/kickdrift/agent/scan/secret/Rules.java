package io.kickdrift.agent.scan.secret;

import io.kickdrift.agent.scan.GlobRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's rule file for inline secrets (docs/secrets.md, "Rule file"), one entry a line, {@code #}
 * starts a comment line:
 *
 * <pre>
 * allow path GLOB         # files where nothing is a secret (gitignore syntax, absolute paths)
 * allow key REGEX         # keys whose values are not secrets (whole key, case-insensitive)
 * allow value REGEX       # values that are not secrets (whole value)
 * allow rule NAME         # turn a built-in rule off
 * rule NAME key REGEX     # values of these keys are secrets, reported as NAME
 * rule NAME value REGEX   # text matching REGEX is a secret (group 1 if it has one)
 * </pre>
 */
record Rules(
    GlobRules allowPaths,
    List<Pattern> allowKeys,
    List<Pattern> allowValues,
    List<String> allowRules,
    List<KeyRule> keyRules,
    List<ValueRule> valueRules) {
  record KeyRule(String name, Pattern key) {}

  record ValueRule(String name, Pattern value) {}

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  static final Rules NONE =
      new Rules(GlobRules.empty(), List.of(), List.of(), List.of(), List.of(), List.of());

  static Rules read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  static Rules parse(String source, String text) throws IOException {
    List<String> paths = new ArrayList<>();
    List<Pattern> keys = new ArrayList<>();
    List<Pattern> values = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    List<KeyRule> keyRules = new ArrayList<>();
    List<ValueRule> valueRules = new ArrayList<>();
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] w = line.split("\\s+", 4);
      String where = source + ":" + n + ": ";
      if (w[0].equals("allow") && w.length >= 3) {
        String arg = line.split("\\s+", 3)[2];
        switch (w[1]) {
          case "path" -> {
            try {
              GlobRules.parse(source, arg);
            } catch (IllegalArgumentException e) {
              throw new IOException(where + "bad glob " + arg + ": " + e.getMessage());
            }
            paths.add(arg);
          }
          case "key" -> keys.add(regex(where, arg, Pattern.CASE_INSENSITIVE));
          case "value" -> values.add(regex(where, arg, 0));
          case "rule" -> rules.add(name(where, arg));
          default ->
              throw new IOException(
                  where + "expected allow path|key|value|rule, got allow " + w[1]);
        }
      } else if (w[0].equals("rule") && w.length == 4) {
        String name = name(where, w[1]);
        switch (w[2]) {
          case "key" ->
              keyRules.add(new KeyRule(name, regex(where, w[3], Pattern.CASE_INSENSITIVE)));
          case "value" -> valueRules.add(new ValueRule(name, regex(where, w[3], 0)));
          default ->
              throw new IOException(where + "expected rule NAME key|value REGEX, got " + line);
        }
      } else {
        throw new IOException(
            where
                + "expected `allow path|key|value|rule ARG` or `rule NAME key|value REGEX`, got "
                + line);
      }
    }
    return new Rules(
        GlobRules.parse(source, String.join("\n", paths)),
        keys,
        values,
        rules,
        keyRules,
        valueRules);
  }

  private static Pattern regex(String where, String regex, int flags) throws IOException {
    try {
      return Pattern.compile(regex, flags);
    } catch (PatternSyntaxException e) {
      throw new IOException(where + "bad regular expression " + regex + ": " + e.getDescription());
    }
  }

  private static String name(String where, String name) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IOException(where + "expected a rule name of [a-z0-9-], got " + name);
    }
    return name;
  }

  boolean allowsKey(String key) {
    return allowKeys.stream().anyMatch(p -> p.matcher(key).matches());
  }

  boolean allowsValue(String value) {
    return allowValues.stream().anyMatch(p -> p.matcher(value).matches());
  }
}
