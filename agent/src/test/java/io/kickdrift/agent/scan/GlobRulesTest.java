package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GlobRulesTest {
  private static GlobRules rules(String text) {
    return GlobRules.parse("rules.txt", text);
  }

  /** The built-in rule file of that name, as ScanCommand loads it. */
  static GlobRules builtIn(String resource) throws IOException {
    try (InputStream in = Scanner.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return GlobRules.parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void patternWithSlashIsAnchoredAtRoot() {
    GlobRules r = rules("/etc/foo\netc/bar\n");

    assertThat(r.matches("/etc/foo", false)).isTrue();
    assertThat(r.matches("/etc/bar", false)).isTrue();
    assertThat(r.matches("/srv/etc/foo", false)).isFalse();
    assertThat(r.matches("/srv/etc/bar", false)).isFalse();
  }

  @Test
  void patternWithoutSlashMatchesANameAtAnyDepth() {
    GlobRules r = rules("foo\n");

    assertThat(r.matches("/foo", false)).isTrue();
    assertThat(r.matches("/etc/foo", false)).isTrue();
    assertThat(r.matches("/a/b/c/foo", false)).isTrue();
    assertThat(r.matches("/etc/foo/inside", false)).isTrue();
    assertThat(r.matches("/etc/foobar", false)).isFalse();
    assertThat(r.matches("/etc/barfoo", false)).isFalse();
  }

  @Test
  void starDoesNotCrossSlash() {
    GlobRules r = rules("/etc/*.conf\n");

    assertThat(r.matches("/etc/a.conf", false)).isTrue();
    assertThat(r.matches("/etc/.conf", false)).isTrue();
    assertThat(r.matches("/etc/sub/a.conf", false)).isFalse();
  }

  @Test
  void doubleStarCrossesDirectories() {
    GlobRules r = rules("/etc/**/key\n/srv/**\n**/deep\n");

    assertThat(r.matches("/etc/key", false)).isTrue();
    assertThat(r.matches("/etc/a/key", false)).isTrue();
    assertThat(r.matches("/etc/a/b/key", false)).isTrue();
    assertThat(r.matches("/etc/a/b/keys", false)).isFalse();
    assertThat(r.matches("/srv/x/y", false)).isTrue();
    assertThat(r.matches("/deep", false)).isTrue();
    assertThat(r.matches("/a/b/deep", false)).isTrue();
  }

  @Test
  void questionMarkIsOneCharacterButNotSlash() {
    GlobRules r = rules("/etc/a?c\n");

    assertThat(r.matches("/etc/abc", false)).isTrue();
    assertThat(r.matches("/etc/ac", false)).isFalse();
    assertThat(r.matches("/etc/abbc", false)).isFalse();
    assertThat(r.matches("/etc/a/c", false)).isFalse();
  }

  @Test
  void bracketSets() {
    GlobRules r = rules("/etc/[abc].conf\n/srv/[a-c]x\n");

    assertThat(r.matches("/etc/b.conf", false)).isTrue();
    assertThat(r.matches("/etc/d.conf", false)).isFalse();
    assertThat(r.matches("/srv/bx", false)).isTrue();
    assertThat(r.matches("/srv/dx", false)).isFalse();
  }

  @Test
  void negatedBracketSet() {
    GlobRules r = rules("/etc/[!a].conf\n");

    assertThat(r.matches("/etc/b.conf", false)).isTrue();
    assertThat(r.matches("/etc/a.conf", false)).isFalse();
  }

  @Test
  void dirOnlyPatternMatchesTheDirectoryAndWhatIsUnderItButNotAFile() {
    GlobRules r = rules("cache/\n");

    assertThat(r.matches("/var/cache", true)).isTrue();
    assertThat(r.matches("/var/cache/x", false)).isTrue();
    assertThat(r.matches("/var/cache/a/b", false)).isTrue();
    assertThat(r.matches("/var/cache", false)).isFalse();
    assertThat(r.matches("/var/cachex", true)).isFalse();
  }

  @Test
  void negationReincludesAndTheLastMatchingRuleWins() {
    GlobRules r = rules("*.conf\n!/etc/keep.conf\n");
    GlobRules reversed = rules("!/etc/keep.conf\n*.conf\n");

    assertThat(r.match("/etc/a.conf", false)).isEqualTo("*.conf");
    assertThat(r.match("/etc/keep.conf", false)).isNull();
    assertThat(reversed.match("/etc/keep.conf", false)).isEqualTo("*.conf");
  }

  @Test
  void plusAppendsRulesSoLaterFilesWin() {
    GlobRules r = rules("*.conf\n").plus(GlobRules.parse("more", "!/etc/keep.conf\n"));

    assertThat(r.matches("/etc/keep.conf", false)).isFalse();
    assertThat(r.matches("/etc/other.conf", false)).isTrue();
  }

  @Test
  void commentsBlankLinesAndCrlfAreIgnored() {
    GlobRules r = rules("# /etc/comment\r\n\r\n   \r\n/etc/a \r\n");

    assertThat(r.matches("/etc/comment", false)).isFalse();
    assertThat(r.match("/etc/a", false)).isEqualTo("/etc/a");
  }

  @Test
  void escapedHashAndBangAreLiteral() {
    GlobRules r = rules("\\#backup#\n\\!important\n");

    assertThat(r.matches("/etc/#backup#", false)).isTrue();
    assertThat(r.matches("/etc/!important", false)).isTrue();
    assertThat(r.matches("/etc/important", false)).isFalse();
  }

  @Test
  void escapedWildcardsAreLiteral() {
    GlobRules r = rules("/etc/a\\*b\n/etc/q\\?\n/etc/\\[x]\n");

    assertThat(r.matches("/etc/a*b", false)).isTrue();
    assertThat(r.matches("/etc/axb", false)).isFalse();
    assertThat(r.matches("/etc/q?", false)).isTrue();
    assertThat(r.matches("/etc/qq", false)).isFalse();
    assertThat(r.matches("/etc/[x]", false)).isTrue();
    assertThat(r.matches("/etc/x", false)).isFalse();
  }

  @Test
  void escapedWildcardAtTheStartIsLiteral() {
    GlobRules r = rules("\\*.conf\n");

    assertThat(r.matches("/etc/*.conf", false)).isTrue();
    assertThat(r.matches("/etc/a.conf", false)).isFalse();
  }

  @Test
  void bracketSetsNeverMatchSlash() {
    GlobRules r = rules("/etc/x[!a]y\n");

    assertThat(r.matches("/etc/xby", false)).isTrue();
    assertThat(r.matches("/etc/x/y", false)).isFalse();
  }

  @Test
  void bracketSetEdgeCases() {
    GlobRules r = rules("/a/[]x]\n/b/[!]]\n/c/[a-]\n/d/[&^]\n");

    assertThat(r.matches("/a/]", false)).isTrue();
    assertThat(r.matches("/a/x", false)).isTrue();
    assertThat(r.matches("/b/]", false)).isFalse();
    assertThat(r.matches("/b/q", false)).isTrue();
    assertThat(r.matches("/c/-", false)).isTrue();
    assertThat(r.matches("/c/b", false)).isFalse();
    assertThat(r.matches("/d/&", false)).isTrue();
    assertThat(r.matches("/d/^", false)).isTrue();
  }

  /**
   * Found by GlobRulesPropertiesTest: a reversed range escaped as a bare PatternSyntaxException.
   */
  @Test
  void reversedRangeNamesSourceAndLine() {
    assertThatThrownBy(() -> rules("/etc/a\n/etc/**/[abpkg-dc]?.key\n"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rules.txt:2: invalid pattern '/etc/**/[abpkg-dc]?.key': ");
  }

  @Test
  void regexMetacharactersAreLiteral() {
    GlobRules r = rules("/etc/a.b+c(d)|e$\n");

    assertThat(r.matches("/etc/a.b+c(d)|e$", false)).isTrue();
    assertThat(r.matches("/etc/aXb+c(d)|e$", false)).isFalse();
  }

  @Test
  void unclosedBracketNamesSourceAndLine() {
    assertThatThrownBy(() -> rules("# ok\n/etc/a\n/etc/[abc\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rules.txt:3: unclosed '[' in pattern 'etc/[abc'");
  }

  @Test
  void emptyPatternNamesSourceAndLine() {
    assertThatThrownBy(() -> rules("/etc/a\n!\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rules.txt:2: empty pattern");
    assertThatThrownBy(() -> rules("/\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rules.txt:1: empty pattern");
  }

  @Test
  void emptyRulesMatchNothing() {
    assertThat(GlobRules.empty().matches("/etc/x", false)).isFalse();
    assertThat(rules("").matches("/etc/x", true)).isFalse();
  }

  @Test
  void defaultIgnoreRulesClassifyMachineStateAndLeftovers() throws IOException {
    GlobRules ignore = builtIn("default-ignore.txt");

    assertThat(ignore.match("/etc/machine-id", false)).isEqualTo("/etc/machine-id");
    assertThat(ignore.match("/etc/foo.dpkg-dist", false)).isEqualTo("*.dpkg-dist");
    assertThat(ignore.match("/etc/ssl/certs", true)).isEqualTo("/etc/ssl/certs");
    assertThat(ignore.match("/etc/ssl/certs/ca.pem", false)).isEqualTo("/etc/ssl/certs");
    assertThat(ignore.match("/etc/.nanorc.swp", false)).isEqualTo(".*.swp");
    assertThat(ignore.match("/etc/#motd#", false)).isEqualTo("\\#*#");
    assertThat(ignore.matches("/etc/shadow", false)).isFalse();
    assertThat(ignore.matches("/etc/ssh/sshd_config", false)).isFalse();
    assertThat(ignore.matches("/etc/machine-id.d", false)).isFalse();
  }

  @Test
  void defaultSecretRulesClassifyKeysAndHashes() throws IOException {
    GlobRules secrets = builtIn("default-secrets.txt");

    assertThat(secrets.match("/etc/shadow", false)).isEqualTo("/etc/shadow");
    assertThat(secrets.match("/etc/ssh/ssh_host_ed25519_key", false)).isEqualTo("/etc/ssh/*_key");
    assertThat(secrets.match("/etc/ssl/private/x.pem", false)).isEqualTo("/etc/ssl/private");
    assertThat(secrets.match("/etc/letsencrypt/live/a.example/privkey1.pem", false))
        .isEqualTo("/etc/letsencrypt/live/**/privkey*.pem");
    assertThat(secrets.matches("/etc/ssh/ssh_host_ed25519_key.pub", false)).isFalse();
    assertThat(secrets.matches("/etc/passwd", false)).isFalse();
    assertThat(secrets.matches("/etc/machine-id", false)).isFalse();
    assertThat(secrets.matches("/etc/shadowsocks.json", false)).isFalse();
  }
}
