package io.kickdrift.agent.scan.secret;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * Finds secret values inside a file's content (docs/secrets.md): key/value formats, token shapes,
 * password hashes and private keys in any armor, anywhere in the file. Placeholders written by
 * kickdrift ({@link InlinePlaceholder}) and allowed values are never matches.
 *
 * <p>Example: {@code InlineSecrets.builtIn().find("/etc/app/db.env", "DB_PASSWORD=Zq8.vR2\n"
 * .getBytes())} gives one {@code SecretMatch(kv-password, 1, DB_PASSWORD, 12, 19)}: the span of the
 * value only, so replacing it by a placeholder leaves the file readable in its own syntax.
 */
public final class InlineSecrets {
  /** Lower-case literals a line must hold for a key/value rule to be tried on it. */
  private static final String[] KEY_WORDS = {
    "pass",
    "pw",
    "secret",
    "token",
    "key",
    "auth",
    "cred",
    "psk",
    "salt",
    "cookie",
    "community",
    "://"
  };

  /** Content with a NUL in its first 8 KiB is binary: only key armor is looked for in it. */
  private static final int BINARY_PROBE = 8192;

  static final String MARKER = "kickdrift: not-secret";

  private final Rules rules;

  private InlineSecrets(Rules rules) {
    this.rules = rules;
  }

  /** The built-in rules and allow list. */
  public static InlineSecrets builtIn() {
    return new InlineSecrets(Rules.NONE);
  }

  /**
   * The built-in rules plus a user's rule file (more rules, and values or paths that are not
   * secrets).
   *
   * @throws IOException when the file cannot be read, or a line of it is not a rule (the message
   *     names file:line and what was expected)
   */
  public static InlineSecrets withRules(Path rulesFile) throws IOException {
    return new InlineSecrets(Rules.read(rulesFile));
  }

  /** How many times {@link #find} looks again at a text with the values found replaced. */
  private static final int ROUNDS = 4;

  /**
   * The secret values in {@code content}, sorted by start and not overlapping. A value can hide
   * another from the rules until it is replaced (malformed quoting, a key glued to the value before
   * it), so the text is looked at again as a commit will store it, each value found replaced by a
   * placeholder, until nothing new is found (InlineSecretsPropertiesTest found such a text): what
   * is redacted by these spans has nothing left to find.
   *
   * @param path the file's absolute path on its host, for rules that depend on it ({@code .netrc},
   *     {@code my.cnf}, allow entries by path)
   */
  public List<SecretMatch> find(String path, byte[] content) {
    List<SecretMatch> found = findOnce(path, content);
    for (int round = 0; round < ROUNDS && !found.isEmpty(); round++) {
      List<SecretMatch> more = hiddenBy(path, content, found);
      if (more.isEmpty()) {
        break;
      }
      found = union(content, found, more);
    }
    return found;
  }

  /**
   * What the rules find in {@code content} once each of {@code found} is replaced by a placeholder,
   * outside the placeholders, as spans of {@code content}.
   */
  private List<SecretMatch> hiddenBy(String path, byte[] content, List<SecretMatch> found) {
    byte[] standIn =
        InlinePlaceholder.text("secret", new byte[8]).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
    List<int[]> kept = new ArrayList<>(); // {start in the new text, start in content, length}
    int pos = 0;
    for (SecretMatch m : found) {
      kept.add(new int[] {out.size(), pos, m.start() - pos});
      out.write(content, pos, m.start() - pos);
      out.writeBytes(standIn);
      pos = m.end();
    }
    kept.add(new int[] {out.size(), pos, content.length - pos});
    out.write(content, pos, content.length - pos);
    List<SecretMatch> more = new ArrayList<>();
    for (SecretMatch m : findOnce(path, out.toByteArray())) {
      for (int[] k : kept) {
        int from = Math.max(m.start(), k[0]);
        int to = Math.min(m.end(), k[0] + k[2]);
        if (to > from) {
          int start = k[1] + from - k[0];
          more.add(
              new SecretMatch(m.rule(), lineOf(content, start), m.key(), start, start + to - from));
        }
      }
    }
    return more;
  }

  /** Both lists as one, sorted by start, overlapping spans joined (the first one's rule). */
  private static List<SecretMatch> union(byte[] content, List<SecretMatch> a, List<SecretMatch> b) {
    List<SecretMatch> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(Comparator.comparingInt(SecretMatch::start).thenComparingInt(m -> -m.end()));
    List<SecretMatch> out = new ArrayList<>();
    for (SecretMatch m : all) {
      SecretMatch last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && m.start() < last.end()) {
        if (m.end() > last.end()) {
          out.set(
              out.size() - 1,
              new SecretMatch(last.rule(), last.line(), last.key(), last.start(), m.end()));
        }
      } else {
        out.add(m);
      }
    }
    return List.copyOf(out);
  }

  private static int lineOf(byte[] content, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (content[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  private List<SecretMatch> findOnce(String path, byte[] content) {
    if (content.length == 0 || rules.allowPaths().matches(path, false)) {
      return List.of();
    }
    String text = new String(content, StandardCharsets.ISO_8859_1);
    List<Span> found = new ArrayList<>();
    KeyBlocks.find(text, found);
    Lines lines = null;
    if (!isBinary(content)) {
      lines = new Lines(text);
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.matches("[._]?netrc|.*\\.netrc")) {
        CredentialFiles.netrc(text, found);
      }
      if (name.matches("\\.?pgpass|.*\\.pgpass")) {
        CredentialFiles.pgpass(text, lines, found);
      }
      scanLines(text, lines, name.endsWith(".cnf"), found);
      for (Rules.ValueRule r : rules.valueRules()) {
        Matcher m = r.value().matcher(text);
        while (m.find()) {
          int g = m.groupCount() >= 1 && m.start(1) >= 0 ? 1 : 0;
          // One line at most, as any other rule's value (a user's \s could cross lines).
          if (m.end(g) > m.start(g) && !KeyValues.has(text, "\n", m.start(g), m.end(g))) {
            found.add(new Span(r.name(), null, m.start(g), m.end(g)));
          }
        }
      }
    }
    return merge(text, found, lines);
  }

  private static boolean isBinary(byte[] content) {
    for (int i = 0, n = Math.min(content.length, BINARY_PROBE); i < n; i++) {
      if (content[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** Runs the per-line rules on the lines the prefilter lets through. */
  private void scanLines(String text, Lines lines, boolean mycnf, List<Span> out) {
    String lower = text.toLowerCase(Locale.ROOT);
    BitSet keyLines = new BitSet();
    for (String w : KEY_WORDS) {
      lines.mark(lower, w, keyLines);
    }
    if (!rules.keyRules().isEmpty()) {
      keyLines.set(0, lines.count()); // a user's key may be any word
    }
    BitSet[] shapeLines = new BitSet[Shapes.ALL.size()];
    for (int i = 0; i < shapeLines.length; i++) {
      shapeLines[i] = new BitSet();
      lines.mark(text, Shapes.ALL.get(i).literal(), shapeLines[i]);
    }
    Sections sections = new Sections(text, lines);
    Matchers ms = new Matchers(text);
    int[] comments = xmlComments(text);
    KeyValues.KeyRules keys = (key, value, commented) -> keyRule(key, value, commented, mycnf);
    BitSet any = (BitSet) keyLines.clone();
    for (BitSet b : shapeLines) {
      any.or(b);
    }
    for (int i = any.nextSetBit(0); i >= 0; i = any.nextSetBit(i + 1)) {
      int s = lines.start(i);
      int e = lines.end(i);
      if (keyLines.get(i)) {
        KeyValues.find(ms, s, e, sections.at(i), inComment(comments, s), keys, out);
      }
      for (int k = 0; k < shapeLines.length; k++) {
        if (shapeLines[k].get(i)) {
          Shapes.find(Shapes.ALL.get(k), ms, s, e, out);
        }
      }
    }
  }

  /** Start and end offsets of the {@code <!-- … -->} comments, in pairs. */
  private static int[] xmlComments(String text) {
    int[] out = new int[0];
    for (int i = text.indexOf("<!--"); i >= 0; i = text.indexOf("<!--", i)) {
      int e = text.indexOf("-->", i + 4);
      e = e < 0 ? text.length() : e + 3;
      out = Arrays.copyOf(out, out.length + 2);
      out[out.length - 2] = i;
      out[out.length - 1] = e;
      i = e;
    }
    return out;
  }

  /** Whether the line starting at {@code pos} is inside one of {@code comments}. */
  private static boolean inComment(int[] comments, int pos) {
    for (int i = 0; i < comments.length; i += 2) {
      if (comments[i] < pos && pos < comments[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** The rule a value of {@code key} is found by, or null when it is not a secret. */
  private String keyRule(String key, String value, boolean commented, boolean mycnf) {
    if (rules.allowsKey(key)) {
      return null;
    }
    for (Rules.KeyRule r : rules.keyRules()) {
      if (r.key().matcher(key).matches() && !Values.isNotSecret(value)) {
        return r.name();
      }
    }
    Keys.Strength strength = Keys.strength(key);
    if (strength == Keys.Strength.NONE || Values.isNotSecret(value)) {
      return null;
    }
    if ((strength == Keys.Strength.WEAK || commented) && !Values.looksRandom(value)) {
      return null;
    }
    String c = Keys.compact(key);
    if ((c.equals("privatekey") || c.equals("presharedkey"))
        && value.matches("[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=")) {
      return "wireguard-key";
    }
    if (value.contains("PRIVATE KEY-----")) {
      return "pem-private-key";
    }
    if (strength == Keys.Strength.PASSWORD) {
      return mycnf ? "mycnf-password" : "kv-password";
    }
    return "kv-secret";
  }

  /**
   * Sorts the spans, joins overlapping ones (the first, most specific rule names the join), and
   * drops placeholders, allowed values, disabled rules and lines under the marker comment.
   */
  private List<SecretMatch> merge(String text, List<Span> found, Lines known) {
    if (found.isEmpty()) {
      return List.of();
    }
    List<Span> spans = new ArrayList<>();
    for (Span s : found) {
      String v = text.substring(s.start(), s.end());
      if (!InlinePlaceholder.isPlaceholder(v)
          && !rules.allowRules().contains(s.rule())
          && !rules.allowsValue(v)) {
        spans.add(s);
      }
    }
    // At one start the longest span first, and of equal ones a shape's before a key's: the
    // first names the join (`SLACK_TOKEN=xoxb-…` is a slack-token).
    spans.sort(
        Comparator.comparingInt(Span::start)
            .thenComparing(Comparator.comparingInt(Span::end).reversed())
            .thenComparingInt(
                s -> s.rule().startsWith("kv-") || s.rule().startsWith("mycnf-") ? 1 : 0));
    Lines lines = known != null ? known : new Lines(text);
    BitSet marked = new BitSet();
    lines.mark(text, MARKER, marked);
    List<SecretMatch> out = new ArrayList<>();
    Span cur = null;
    for (Span s : spans) {
      if (cur != null && s.start() < cur.end()) {
        if (s.end() > cur.end()) {
          cur = new Span(cur.rule(), cur.key(), cur.start(), s.end());
        }
        continue;
      }
      if (cur != null) {
        add(cur, lines, marked, out);
      }
      cur = s;
    }
    if (cur != null) { // null when every span was allowed
      add(cur, lines, marked, out);
    }
    return List.copyOf(out);
  }

  private static void add(Span s, Lines lines, BitSet marked, List<SecretMatch> out) {
    int line = lines.indexOf(s.start());
    if (marked.get(line) || line > 0 && marked.get(line - 1)) {
      return;
    }
    out.add(new SecretMatch(s.rule(), line + 1, s.key(), s.start(), s.end()));
  }

  /** Line starts of a text, for line numbers and the prefilter. */
  static final class Lines {
    private final String text;
    private final int[] starts;
    private final int count;

    Lines(String text) {
      this.text = text;
      int[] st = new int[64];
      int n = 0;
      st[n++] = 0;
      for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        if (i + 1 < text.length()) {
          if (n == st.length) {
            st = Arrays.copyOf(st, n * 2);
          }
          st[n++] = i + 1;
        }
      }
      this.starts = st;
      this.count = n;
    }

    int count() {
      return count;
    }

    int start(int line) {
      return starts[line];
    }

    /** End of the line, before its newline. */
    int end(int line) {
      if (line + 1 < count) {
        return starts[line + 1] - 1;
      }
      return text.endsWith("\n") ? text.length() - 1 : text.length();
    }

    /** The 0-based line holding offset {@code pos}. */
    int indexOf(int pos) {
      int i = Arrays.binarySearch(starts, 0, count, pos);
      return i >= 0 ? i : -i - 2;
    }

    /** Sets the bit of each line that holds {@code literal} in {@code haystack}. */
    void mark(String haystack, String literal, BitSet out) {
      for (int i = haystack.indexOf(literal); i >= 0; i = haystack.indexOf(literal, i + 1)) {
        int line = indexOf(i);
        out.set(line);
        i = Math.max(i, end(line)); // one hit per line is enough
      }
    }
  }
}
