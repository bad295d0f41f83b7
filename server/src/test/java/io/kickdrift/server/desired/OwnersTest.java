package io.kickdrift.server.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * owners.yaml: claims in order, the last match owns; CODEOWNERS that git's glob rules agree with.
 */
class OwnersTest {
  private static final List<String> PATHS =
      List.of(
          "/etc/nginx/nginx.conf",
          "/etc/nginx/sites-enabled/default",
          "/etc/ssh/sshd_config",
          "/etc/ssl/private/site.key",
          "/etc/app/app.conf",
          "/opt/x/app.conf",
          "/var/lib/y");

  private final Owners owners =
      new Owners(List.of())
          .with(claim("/etc/**", "@org/ops"))
          .with(claim("/etc/nginx/**", "@org/web"))
          .with(claim("*.key", "security@example.com"))
          .with(claim("app.conf", "@alice"));

  @Test
  void theLastClaimThatMatchesOwnsAPath() {
    assertThat(PATHS.stream().map(p -> p + " " + owners.ownerOf(p)).toList())
        .containsExactly(
            "/etc/nginx/nginx.conf @org/web",
            "/etc/nginx/sites-enabled/default @org/web",
            "/etc/ssh/sshd_config @org/ops",
            "/etc/ssl/private/site.key security@example.com",
            "/etc/app/app.conf @alice",
            "/opt/x/app.conf @alice",
            "/var/lib/y null");
    // a claim of the same glob replaces the old one and decides from then on
    Owners again = owners.with(claim("/etc/nginx/**", "@org/edge"));
    assertThat(again.claims()).hasSize(4);
    assertThat(again.claims().get(3).owner()).isEqualTo("@org/edge");
    assertThat(again.ownerOf("/etc/nginx/nginx.conf")).isEqualTo("@org/edge");
  }

  @Test
  void theGitHubAndGitLabFormMatchesAsGitsOwnGlobRulesDo(@TempDir Path dir) throws Exception {
    Cmd.require("git", "git");
    String form = owners.gitignoreForm();
    assertThat(form)
        .endsWith(
            "/hosts/*/files/etc/** @org/ops\n"
                + "/hosts/*/files/etc/nginx/** @org/web\n"
                + "/hosts/*/files/**/*.key security@example.com\n"
                + "/hosts/*/files/**/*.key/** security@example.com\n"
                + "/hosts/*/files/**/app.conf @alice\n"
                + "/hosts/*/files/**/app.conf/** @alice\n");
    // CODEOWNERS patterns are gitignore's, matched against each file, the last match deciding:
    // what git does with .gitattributes. Give each line's owner as an attribute and ask git which
    // one each repository path gets.
    Cmd.ok("git", "init", "-q", dir.toString());
    StringBuilder attributes = new StringBuilder();
    form.lines()
        .filter(l -> !l.startsWith("#"))
        .forEach(
            l -> {
              int sp = l.lastIndexOf(' ');
              attributes
                  .append(l, 0, sp)
                  .append(" owner=")
                  .append(l.substring(sp + 1).replace("@", "at-").replace("/", "_"))
                  .append('\n');
            });
    Files.writeString(dir.resolve(".gitattributes"), attributes.toString());
    for (String host : List.of("web01", "db.example.com")) {
      for (String p : PATHS) {
        String repoPath = "hosts/" + host + "/files" + p;
        String byGit =
            Cmd.ok("git", "-C", dir.toString(), "check-attr", "owner", "--", repoPath)
                .out()
                .strip();
        String ours = owners.ownerOf(p);
        assertThat(byGit)
            .as(repoPath)
            .isEqualTo(
                repoPath
                    + ": owner: "
                    + (ours == null ? "unspecified" : ours.replace("@", "at-").replace("/", "_")));
      }
    }
  }

  @Test
  void theGiteaFormIsOneRegularExpressionAClaim() {
    assertThat(owners.giteaForm())
        .contains(
            "hosts/[^/]*/files/etc/.*(/.*)? @org/ops\n",
            "hosts/[^/]*/files/(.*/)?[^/]*\\\\.key(/.*)? security@example.com\n")
        .doesNotContain("\n/hosts");
    assertThat(owners.codeowners().keySet())
        .containsExactly(".github/CODEOWNERS", ".gitlab/CODEOWNERS", ".gitea/CODEOWNERS");
  }

  @Test
  void ownersYamlReadsBackAndAMistakeNamesItsLine() {
    Owners back = Owners.parse("owners.yaml", owners.yaml());
    assertThat(back.claims()).isEqualTo(owners.claims());
    assertThatThrownBy(
            () -> Owners.parse("owners.yaml", "claims:\n  - path: /etc/x\n    owner: web-team\n"))
        .hasMessage(
            "owners.yaml:2: owner 'web-team': expected @user, @org/team or an e-mail address, as"
                + " forges take");
    assertThatThrownBy(
            () -> Owners.parse("owners.yaml", "claims:\n  - path: /etc/x\n    team: a\n"))
        .hasMessageStartingWith("owners.yaml:3: unknown key \"team\"");
    for (String glob : List.of("!/etc/x", "/etc/[ab]", "/etc/a b", "#x")) {
      assertThatThrownBy(() -> owners.with(claim(glob, "@a")))
          .hasMessageStartingWith("glob '" + glob + "': expected a path glob");
    }
  }

  private static Owners.Claim claim(String glob, String owner) {
    return new Owners.Claim(glob, owner, null, "test", "2026-12-05T06:00:00Z");
  }
}
