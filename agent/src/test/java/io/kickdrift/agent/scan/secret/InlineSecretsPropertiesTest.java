package io.kickdrift.agent.scan.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.fuzz.MutatedText;
import io.kickdrift.testkit.SecretCorpus;
import io.kickdrift.testkit.SecretCorpus.Seeded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the bytes: find does not throw, its spans are in bounds, sorted, disjoint, within one
 * line (key blocks excepted) and never a placeholder; redacting every span leaves nothing to find;
 * a seeded value put anywhere between lines is found whole.
 */
class InlineSecretsPropertiesTest {
  private static final InlineSecrets SECRETS = InlineSecrets.builtIn();
  private static final List<Seeded> CORPUS = SecretCorpus.files(18);
  private static final Set<String> BLOCK_RULES =
      Set.of("pem-private-key", "openssh-private-key", "pgp-private-key", "putty-private-key");

  @Provide
  Arbitrary<String> texts() {
    String[] seeds = CORPUS.stream().map(s -> s.text()).toArray(String[]::new);
    return Arbitraries.oneOf(
        MutatedText.anyOr(seeds),
        Arbitraries.strings()
            .withChars("password=token: secret\"'`<>/{}[]$%#;\n\r\t =:@AKIA-ghp_eyJ.$6$")
            .ofMaxLength(300));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(
        "/etc/app/x.conf", "/root/.netrc", "/root/.pgpass", "/etc/mysql/my.cnf", "/etc/a.ppk");
  }

  @Property(tries = 400)
  void spansAreWellFormed(@ForAll("texts") String text, @ForAll("paths") String path) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<SecretMatch> found = SECRETS.find(path, bytes);
    checkWellFormed(bytes, found);
  }

  @Property(tries = 200)
  void arbitraryBytesNeverThrow(@ForAll byte[] bytes, @ForAll("paths") String path) {
    checkWellFormed(bytes, SECRETS.find(path, bytes));
  }

  @Property(tries = 400)
  void redactingEverySpanLeavesNothingToFind(
      @ForAll("texts") String text, @ForAll("paths") String path) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String redacted = redact(bytes, SECRETS.find(path, bytes));
    assertThat(SECRETS.find(path, redacted.getBytes(StandardCharsets.ISO_8859_1)))
        .as("after redaction:\n%s", redacted)
        .isEmpty();
  }

  /** Texts the property above found where one value hid another until it was replaced. */
  @org.junit.jupiter.api.Test
  void aValueHiddenByTheOneBeforeItIsFoundToo() {
    for (String text :
        List.of(
            "  \"secrets\": {\"signing_secret\": \"Qx7v9LmZ2pR4tW8y\"encryption_key\":"
                + " \"gTb19e1Nam+AjVGP69ymXbst3TU+7A=\"},\n",
            "{\"signing_secret\": \"kickdrift\"encryption_key\": \"gTb19e1Nam+AjVGP69ymXbst3TU+7A=\"}\n")) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      List<SecretMatch> found = SECRETS.find("/etc/app/x.conf", bytes);
      String redacted = redact(bytes, found);
      assertThat(redacted).as(text).doesNotContain("gTb19e1Nam");
      assertThat(SECRETS.find("/etc/app/x.conf", redacted.getBytes(StandardCharsets.ISO_8859_1)))
          .as(redacted)
          .isEmpty();
    }
  }

  @Property(tries = 300)
  void aSeededValueAnywhereIsFoundWhole(
      @ForAll("texts") String filler,
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll @IntRange(min = 0, max = 10_000) int which) {
    // Inside an XML comment a key's value counts only when it looks generated (docs/secrets.md).
    Assume.that(!filler.contains("<!--"));
    Seeded s = CORPUS.get(which % CORPUS.size());
    // Between two lines of the filler, so the seed's lines keep their syntax.
    int[] cuts = filler.lines().mapToInt(String::length).toArray();
    int at = 0;
    for (int i = 0;
        i < (cuts.length == 0 ? 0 : where % (cuts.length + 1)) && i < cuts.length;
        i++) {
      at = filler.indexOf('\n', at) + 1;
      if (at == 0) {
        at = filler.length();
        break;
      }
    }
    String before = filler.substring(0, at);
    if (!before.isEmpty() && !before.endsWith("\n")) {
      before += "\n";
    }
    byte[] head = before.getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\n" + filler.substring(at)).getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + s.content().length + tail.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(s.content(), 0, bytes, head.length, s.content().length);
    System.arraycopy(tail, 0, bytes, head.length + s.content().length, tail.length);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (text.indexOf('\0') >= 0) {
      return; // a NUL makes the file binary: only key armor counts there
    }
    List<SecretMatch> found = SECRETS.find(s.path(), bytes);
    int base = head.length;
    for (String v : s.values()) {
      int start = base + s.text().indexOf(v);
      assertThat(found)
          .as("%s value %s in\n%s", s.format(), v, text)
          .anyMatch(m -> m.start() <= start && start + v.length() <= m.end());
    }
  }

  static void checkWellFormed(byte[] bytes, List<SecretMatch> found) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int last = 0;
    for (SecretMatch m : found) {
      assertThat(m.start()).isGreaterThanOrEqualTo(last);
      assertThat(m.end()).isLessThanOrEqualTo(bytes.length).isGreaterThan(m.start());
      String v = text.substring(m.start(), m.end());
      assertThat(InlinePlaceholder.isPlaceholder(v)).isFalse();
      if (!BLOCK_RULES.contains(m.rule())) {
        assertThat(v).doesNotContain("\n");
      }
      assertThat(m.rule()).matches("[a-z0-9][a-z0-9-]*");
      int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
      assertThat(m.line()).isEqualTo(line);
      last = m.end();
    }
  }

  static String redact(byte[] bytes, List<SecretMatch> found) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    StringBuilder b = new StringBuilder();
    int pos = 0;
    for (SecretMatch m : found) {
      b.append(text, pos, m.start());
      b.append(
          InlinePlaceholder.text(m.rule(), new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) m.start()}));
      pos = m.end();
    }
    return b.append(text.substring(pos)).toString();
  }
}
