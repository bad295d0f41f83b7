package io.kickdrift.agent.repo;

import io.kickdrift.agent.repo.ManifestEntry.RedactedValue;
import io.kickdrift.agent.scan.secret.InlinePlaceholder;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A file's content as the repository commits it (docs/config-repo.md, "Secrets"): each secret value
 * the detector finds replaced by {@link InlinePlaceholder#text}, whose keyed digest makes the same
 * value read the same in every commit and on every host under one digest key.
 *
 * @param content the content with placeholders in place of the values
 * @param redactions one per value, in file order
 * @param values the values by placeholder, for {@code --encrypt-to}; cleared by {@link #wipe}
 */
record RedactedFile(
    byte[] content, List<RedactedValue> redactions, SortedMap<String, byte[]> values) {

  /** {@code content} with the values {@code r}'s detector finds in it replaced. */
  static RedactedFile of(String path, byte[] content, ConfigRepo.Redaction r) {
    List<SecretMatch> matches = r.detector().find(path, content);
    if (matches.isEmpty()) {
      return new RedactedFile(content, List.of(), new TreeMap<>());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
    List<RedactedValue> redactions = new ArrayList<>();
    SortedMap<String, byte[]> values = new TreeMap<>();
    int pos = 0;
    int line = 1;
    for (SecretMatch m : matches) {
      if (m.start() < pos || m.end() > content.length) {
        continue; // the detector promises sorted spans inside the content; never trust a copy
      }
      line += newlines(content, pos, m.start());
      out.write(content, pos, m.start() - pos);
      String placeholder =
          InlinePlaceholder.text(
              placeholderRule(m.rule()), r.digestKey().digest(content, m.start(), m.end()));
      out.writeBytes(placeholder.getBytes(StandardCharsets.US_ASCII));
      redactions.add(new RedactedValue(line, m.key(), m.rule(), placeholder));
      values.put(placeholder, Arrays.copyOfRange(content, m.start(), m.end()));
      pos = m.end();
    }
    out.write(content, pos, content.length - pos);
    return new RedactedFile(out.toByteArray(), List.copyOf(redactions), values);
  }

  /**
   * The rule as a placeholder may spell it ({@code [a-z0-9][a-z0-9-]*}): a user's rule name may not
   * be; the manifest keeps the name as it is.
   */
  static String placeholderRule(String rule) {
    String s = rule == null ? "" : rule.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    s = s.replaceAll("^-+", "");
    return s.isEmpty() ? "secret" : s;
  }

  /** Zeroes the values, once they are encrypted or known not to be needed. */
  void wipe() {
    values.values().forEach(v -> Arrays.fill(v, (byte) 0));
  }

  /** The values as the OpenPGP message holds them: {@code PLACEHOLDER BASE64\n}, sorted. */
  static byte[] valuesText(SortedMap<String, byte[]> values) {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (p, v) ->
            b.append(p).append(' ').append(Base64.getEncoder().encodeToString(v)).append('\n'));
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The inverse of {@link #valuesText}.
   *
   * @throws IOException naming the line that is not {@code PLACEHOLDER BASE64}
   */
  static Map<String, byte[]> parseValues(byte[] text) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    String[] lines = new String(text, StandardCharsets.US_ASCII).split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      int sp = lines[i].indexOf(' ');
      try {
        if (sp < 0 || !InlinePlaceholder.PATTERN.matcher(lines[i].substring(0, sp)).matches()) {
          throw new IllegalArgumentException("expected PLACEHOLDER BASE64");
        }
        out.put(lines[i].substring(0, sp), Base64.getDecoder().decode(lines[i].substring(sp + 1)));
      } catch (IllegalArgumentException e) {
        throw new IOException("values line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * {@code redacted} with each placeholder of {@code redactions} replaced, in order, by the value
   * at the same index of {@code values}.
   *
   * @throws IOException when a placeholder is not where the manifest says (line of the stored file)
   */
  static byte[] unredact(byte[] redacted, List<RedactedValue> redactions, List<byte[]> values)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(redacted.length + 256);
    int pos = 0;
    int line = 1;
    for (int i = 0; i < redactions.size(); i++) {
      RedactedValue r = redactions.get(i);
      byte[] p = r.placeholder().getBytes(StandardCharsets.US_ASCII);
      int at = indexOf(redacted, p, pos);
      if (at >= 0) {
        line += newlines(redacted, pos, at);
      }
      if (at < 0 || line != r.line()) {
        throw new IOException(
            "line " + r.line() + ": placeholder " + r.placeholder() + " is not in the stored file");
      }
      out.write(redacted, pos, at - pos);
      out.writeBytes(values.get(i));
      pos = at + p.length;
    }
    out.write(redacted, pos, redacted.length - pos);
    return out.toByteArray();
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int newlines(byte[] b, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
