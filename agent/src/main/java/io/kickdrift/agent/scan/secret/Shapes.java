package io.kickdrift.agent.scan.secret;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets known by their shape alone, whatever key or comment they are in: cloud access keys, Git
 * forge and chat tokens, chat webhooks, JWTs, age keys, password hashes. Each shape has a literal
 * the line must hold before its regex runs (the prefilter of {@link InlineSecrets}).
 */
final class Shapes {
  /** One shape: its rule, the literal it cannot match without, and its pattern. */
  record Shape(String rule, String literal, Pattern pattern) {}

  private static final String B = "(?<![A-Za-z0-9_+/-])";
  private static final String E = "(?![A-Za-z0-9_])";
  private static final String CRYPT = "[./A-Za-z0-9]";

  static final List<Shape> ALL =
      List.of(
          shape("aws-access-key", "AKIA", "(?<![A-Z0-9])AKIA[A-Z0-9]{16}(?![A-Z0-9])"),
          shape("aws-access-key", "ASIA", "(?<![A-Z0-9])ASIA[A-Z0-9]{16}(?![A-Z0-9])"),
          shape("github-token", "gh", B + "gh[pousr]_[A-Za-z0-9]{36,251}" + E),
          shape("github-token", "github_pat_", B + "github_pat_[A-Za-z0-9_]{60,251}" + E),
          shape("gitlab-token", "gl", B + "gl(?:pat|rt|dt|ptt|cbt|oas|soat|ft)-[A-Za-z0-9_-]{20,}"),
          shape("slack-token", "xox", B + "xox[abeoprs]-(?:[0-9]+-)+[A-Za-z0-9-]{10,}" + E),
          shape(
              "slack-webhook",
              "hooks.slack.com",
              "https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{20,}"),
          shape(
              "discord-webhook",
              "/api/webhooks/",
              "https?://(?:[a-z]+\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]{20,}"),
          shape(
              "teams-webhook",
              "webhook",
              "https?://[A-Za-z0-9.-]+\\.(?:webhook\\.office\\.com/webhookb2|office\\.com/webhook)"
                  + "/[^\\s\"'<>]{20,}"),
          shape(
              "jwt",
              "eyJ",
              B + "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}" + E),
          shape(
              "age-secret-key",
              "AGE-SECRET-KEY-1",
              "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
          shape("npm-token", "npm_", B + "npm_[A-Za-z0-9]{36}" + E),
          shape(
              "password-hash",
              "$",
              "(?<![A-Za-z0-9$])(?:"
                  + "\\$(?:1|5|6|md5|apr1|sha1)\\$(?:rounds=[0-9]+\\$)?"
                  + CRYPT
                  + "{1,16}\\$"
                  + CRYPT
                  + "{20,}"
                  + "|\\$(?:y|gy|7)\\$"
                  + CRYPT
                  + "+\\$"
                  + CRYPT
                  + "+\\$"
                  + CRYPT
                  + "{20,}"
                  + "|\\$2[abxy]?\\$[0-9]{2}\\$"
                  + CRYPT
                  + "{53}"
                  + "|\\$argon2(?:id|i|d)\\$(?:v=[0-9]+\\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+"
                  + "\\$[A-Za-z0-9+/=_-]+\\$[A-Za-z0-9+/=_-]{16,}"
                  + "|\\$(?:pbkdf2|scrypt)[A-Za-z0-9-]*\\$[^\\s:\"']{20,})"),
          shape(
              "password-hash",
              "}",
              "\\{(?:SSHA|SSHA256|SSHA512|SHA|SHA256|SHA512|SMD5|MD5|CRYPT|PBKDF2[A-Z0-9-]*|ARGON2)}"
                  + "[A-Za-z0-9+/=.$,-]{12,}"));

  private Shapes() {}

  private static Shape shape(String rule, String literal, String regex) {
    return new Shape(rule, literal, Pattern.compile(regex));
  }

  /** Adds the matches of {@code s} in {@code text[start, end)} (one line) to {@code out}. */
  static void find(Shape s, Matchers ms, int start, int end, List<Span> out) {
    Matcher m = ms.on(s.pattern(), start, end);
    while (m.find()) {
      if (s.rule().endsWith("webhook") || !Values.isNotSecret(m.group())) {
        out.add(new Span(s.rule(), null, m.start(), m.end()));
      }
    }
  }
}
