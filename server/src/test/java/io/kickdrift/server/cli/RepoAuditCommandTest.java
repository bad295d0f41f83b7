package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RepoAuditCommandTest {
  private static final String VALUE = "Hunter2-audit-cli";

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs {@code kickdrift repo audit ARGS} as main would. */
  int audit(String... args) {
    CommandLine cl = KickdriftMain.commandLine();
    RepoAuditCommand cmd =
        (RepoAuditCommand)
            cl.getSubcommands().get("repo").getSubcommands().get("audit").getCommand();
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    List<String> all = new ArrayList<>(List.of("repo", "audit"));
    all.addAll(List.of(args));
    return cl.execute(all.toArray(new String[0]));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path repoWith(String repoPath, String content) throws Exception {
    Path work = dir.resolve("work");
    try (Git git = Git.init().setDirectory(work.toFile()).call()) {
      Path p = work.resolve(repoPath);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
      git.add().addFilepattern(".").call();
      git.commit().setMessage("web01: scan").setSign(false).call();
    }
    return work;
  }

  @Test
  void secretInClearExitsOneNamingCommitPathLineAndRuleNeverTheValue() throws Exception {
    Path repo =
        repoWith("hosts/web01/files/etc/app/app.env", "host=db\ndb_password=" + VALUE + "\n");

    assertThat(audit("--repo", repo.toString())).isEqualTo(1);

    assertThat(out())
        .contains("hosts/web01/files/etc/app/app.env:2", "(key db_password)", "[in 1 commit]")
        .contains("1 commits, 1 file versions searched: 1 secret in clear")
        .doesNotContain(VALUE);
  }

  @Test
  void jsonListsEachHit() throws Exception {
    Path repo =
        repoWith("hosts/web01/files/etc/app/app.env", "host=db\ndb_password=" + VALUE + "\n");

    assertThat(audit("--repo", repo.toString(), "--json")).isEqualTo(1);

    assertThat(out())
        .contains(
            "\"path\" : \"hosts/web01/files/etc/app/app.env\"",
            "\"line\" : 2",
            "\"key\" : \"db_password\"",
            "\"commits\" : 1")
        .doesNotContain(VALUE);
  }

  @Test
  void cleanRepositoryExitsZero() throws Exception {
    Path repo = repoWith("hosts/web01/files/etc/motd", "welcome\n");
    assertThat(audit("--repo", repo.toString())).isZero();
    assertThat(out()).contains("no secret in clear");
  }

  @Test
  void notARepositoryExitsTwoNamingIt() {
    Path none = dir.resolve("missing");
    assertThat(audit("--repo", none.toString())).isEqualTo(2);
    assertThat(err()).contains("kickdrift repo audit: ", none.toString());
    assertThat(out()).isEmpty();
  }

  @Test
  void missingRuleFileExitsTwoNamingIt() throws Exception {
    Path repo = repoWith("hosts/web01/files/etc/motd", "welcome\n");
    Path rules = dir.resolve("rules");
    assertThat(audit("--repo", repo.toString(), "--secret-rules", rules.toString())).isEqualTo(2);
    assertThat(err()).contains(rules.toString());
  }
}
