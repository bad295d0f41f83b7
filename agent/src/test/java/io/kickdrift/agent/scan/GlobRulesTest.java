package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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

  /** A rule file, the paths of files it matches, and those it does not. */
  record Case(String behaviour, String rules, List<String> matching, List<String> notMatching) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  /** A case; the paths are separated by spaces. */
  static Case c(String behaviour, String rules, String matching, String notMatching) {
    return new Case(
        behaviour, rules, List.of(matching.split(" ")), List.of(notMatching.split(" ")));
  }

  static Stream<Case> filePatterns() {
    return Stream.of(
        c(
            "pattern with slash is anchored at root",
            "/etc/foo\netc/bar\n",
            "/etc/foo /etc/bar",
            "/srv/etc/foo /srv/etc/bar"),
        c(
            "pattern without slash matches a name at any depth",
            "foo\n",
            "/foo /etc/foo /a/b/c/foo /etc/foo/inside",
            "/etc/foobar /etc/barfoo"),
        c(
            "star does not cross slash",
            "/etc/*.conf\n",
            "/etc/a.conf /etc/.conf",
            "/etc/sub/a.conf"),
        c(
            "double star crosses directories",
            "/etc/**/key\n/srv/**\n**/deep\n",
            "/etc/key /etc/a/key /etc/a/b/key /srv/x/y /deep /a/b/deep",
            "/etc/a/b/keys"),
        c(
            "question mark is one character but not slash",
            "/etc/a?c\n",
            "/etc/abc",
            "/etc/ac /etc/abbc /etc/a/c"),
        c(
            "bracket sets",
            "/etc/[abc].conf\n/srv/[a-c]x\n",
            "/etc/b.conf /srv/bx",
            "/etc/d.conf /srv/dx"),
        c("negated bracket set", "/etc/[!a].conf\n", "/etc/b.conf", "/etc/a.conf"),
        c(
            "escaped hash and bang are literal",
            "\\#backup#\n\\!important\n",
            "/etc/#backup# /etc/!important",
            "/etc/important"),
        c(
            "escaped wildcards are literal",
            "/etc/a\\*b\n/etc/q\\?\n/etc/\\[x]\n",
            "/etc/a*b /etc/q? /etc/[x]",
            "/etc/axb /etc/qq /etc/x"),
        c("escaped wildcard at the start is literal", "\\*.conf\n", "/etc/*.conf", "/etc/a.conf"),
        c("bracket sets never match slash", "/etc/x[!a]y\n", "/etc/xby", "/etc/x/y"),
        c(
            "bracket set edge cases",
            "/a/[]x]\n/b/[!]]\n/c/[a-]\n/d/[&^]\n",
            "/a/] /a/x /b/q /c/- /d/& /d/^",
            "/b/] /c/b"),
        c(
            "regex metacharacters are literal",
            "/etc/a.b+c(d)|e$\n",
            "/etc/a.b+c(d)|e$",
            "/etc/aXb+c(d)|e$"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filePatterns")
  void patternsMatchFilesLikeGitignore(Case c) {
    GlobRules r = rules(c.rules());

    for (String path : c.matching()) {
      assertThat(r.matches(path, false)).as("%s matches %s", c.rules(), path).isTrue();
    }
    for (String path : c.notMatching()) {
      assertThat(r.matches(path, false)).as("%s does not match %s", c.rules(), path).isFalse();
    }
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

  /**
   * What the built-in rule files say of typical paths: the rule that matches, none where empty. The
   * ignore rules classify machine state and leftovers; the secret rules keys and hashes.
   */
  @ParameterizedTest(name = "{0}: {1} -> {3}")
  @CsvSource({
    "default-ignore.txt,  /etc/machine-id,                               file, /etc/machine-id",
    "default-ignore.txt,  /etc/foo.dpkg-dist,                            file, *.dpkg-dist",
    "default-ignore.txt,  /etc/ssl/certs,                                dir,  /etc/ssl/certs",
    "default-ignore.txt,  /etc/ssl/certs/ca.pem,                         file, /etc/ssl/certs",
    "default-ignore.txt,  /etc/.nanorc.swp,                              file, .*.swp",
    "default-ignore.txt,  /etc/#motd#,                                   file, \\#*#",
    "default-ignore.txt,  /etc/shadow,                                   file,",
    "default-ignore.txt,  /etc/ssh/sshd_config,                          file,",
    "default-ignore.txt,  /etc/machine-id.d,                             file,",
    "default-secrets.txt, /etc/shadow,                                   file, /etc/shadow",
    "default-secrets.txt, /etc/ssh/ssh_host_ed25519_key,                 file, /etc/ssh/*_key",
    "default-secrets.txt, /etc/ssl/private/x.pem,                        file, /etc/ssl/private",
    "default-secrets.txt, /etc/letsencrypt/live/a.example/privkey1.pem,"
        + " file, /etc/letsencrypt/live/**/privkey*.pem",
    "default-secrets.txt, /etc/ssh/ssh_host_ed25519_key.pub,             file,",
    "default-secrets.txt, /etc/passwd,                                   file,",
    "default-secrets.txt, /etc/machine-id,                               file,",
    "default-secrets.txt, /etc/shadowsocks.json,                         file,",
  })
  void builtInRulesClassifyPaths(String file, String path, String type, String rule)
      throws IOException {
    GlobRules rules = builtIn(file);
    boolean directory = type.equals("dir");

    if (rule == null) {
      assertThat(rules.matches(path, directory)).isFalse();
    } else {
      assertThat(rules.match(path, directory)).isEqualTo(rule);
    }
  }
}
