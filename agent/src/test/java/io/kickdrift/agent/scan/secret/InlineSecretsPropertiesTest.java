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

  @Property(tries = 300)
  void aSeededValueAnywhereIsFoundWhole(
      @ForAll("texts") String filler,
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll @IntRange(min = 0, max = 10_000) int which) {
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
    String text = before + s.text() + "\n" + filler.substring(at);
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    if (new String(bytes, StandardCharsets.ISO_8859_1).indexOf('\0') >= 0) {
      return; // a NUL makes the file binary: only key armor counts there
    }
    List<SecretMatch> found = SECRETS.find(s.path(), bytes);
    int base = before.length();
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
