package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.secret.InlinePlaceholder;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoAuditTest {
  private static final String VALUE = "Hunter2-audit-value";
  private static final String APP = "# app\nhost=db\ndb_password=" + VALUE + "\n";

  @TempDir Path dir;

  private Git git;

  private void commit(String repoPath, byte[] content, String message) throws Exception {
    Path p = dir.resolve(repoPath);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
    git.add().addFilepattern(".").call();
    git.commit().setMessage(message).setSign(false).call();
  }

  private void commit(String repoPath, String content, String message) throws Exception {
    commit(repoPath, content.getBytes(StandardCharsets.UTF_8), message);
  }

  private RepoAudit.Result audit() throws IOException {
    return RepoAudit.run(dir, InlineSecrets.builtIn(), GlobRules.builtIn("default-secrets.txt"));
  }

  @Test
  void valuesInClearAreListedOnceWithTheirFirstCommitAndHowManyHoldThem() throws Exception {
    git = Git.init().setDirectory(dir.toFile()).call();
    commit("hosts/web01/files/etc/app/app.env", APP, "first");
    String first = git.log().call().iterator().next().name();
    commit("hosts/web01/files/etc/motd", "hello\n", "second");
    commit("hosts/web01/files/etc/shadow", "root:$y$j9T$abc:19000::::::\n", "third");

    RepoAudit.Result r = audit();

    assertThat(r.commits()).isEqualTo(3);
    assertThat(r.hits())
        .extracting(RepoAudit.Hit::path, RepoAudit.Hit::line, RepoAudit.Hit::key)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "hosts/web01/files/etc/app/app.env", 3, "db_password"));
    RepoAudit.Hit app =
        r.hits().stream().filter(h -> h.path().endsWith("app.env")).findFirst().orElseThrow();
    assertThat(app.commit()).isEqualTo(first);
    assertThat(app.commits()).isEqualTo(3);
    RepoAudit.Hit shadow =
        r.hits().stream()
            .filter(h -> h.path().endsWith("/etc/shadow") && h.line() == null)
            .findFirst()
            .orElseThrow();
    assertThat(shadow.rule()).isEqualTo("/etc/shadow");
    assertThat(shadow.commits()).isEqualTo(1);
    assertThat(r.hits().toString()).doesNotContain(VALUE);
  }

  @Test
  void placeholdersAndOpenPgpMessagesAreNeverHits() throws Exception {
    git = Git.init().setDirectory(dir.toFile()).call();
    commit(
        "hosts/web01/files/etc/shadow",
        Placeholder.text("/etc/shadow", "/etc/shadow", "sha256:00"),
        "whole-file placeholder");
    commit(
        "hosts/web01/files/etc/ssh/ssh_host_ed25519_key",
        "-----BEGIN PGP MESSAGE-----\n\nhQEMA1234\n-----END PGP MESSAGE-----\n",
        "armored");
    commit(
        "hosts/web01/files/etc/ssl/private/site.key",
        new byte[] {(byte) 0x84, 0x0c, 0x03, 0x11, 0x22},
        "binary");
    commit(
        "hosts/web01/files/etc/app/app.env",
        "db_password=" + InlinePlaceholder.text("kv-password", new byte[8]) + "\n",
        "inline placeholder");

    RepoAudit.Result r = audit();

    assertThat(r.hits()).isEmpty();
    assertThat(r.files()).isEqualTo(4);
  }

  @Test
  void notARepositoryIsAnErrorNamingIt() {
    Path none = dir.resolve("nothing-here");
    assertThatThrownBy(() -> RepoAudit.run(none, InlineSecrets.builtIn(), GlobRules.empty()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(none.toString());
  }

  @Test
  void aRepositoryWithoutCommitsHasNothingToReport() throws Exception {
    git = Git.init().setBare(true).setDirectory(dir.toFile()).call();
    RepoAudit.Result r = audit();
    assertThat(r.hits()).isEmpty();
    assertThat(List.of(r.commits(), r.files())).containsExactly(0, 0);
  }
}
