package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code repo audit} against the repository the release before issue 18 wrote for a root seeded
 * with secrets (fixtures/prev-release, made by agent/src/test/fixtures/make-prev-release-repo.sh),
 * and against what this release writes for the same root.
 */
class RepoAuditFixtureTest {
  private static final Path FIXTURE = resource("fixtures/prev-release");

  @TempDir Path work;

  private static Path resource(String name) {
    try {
      return Path.of(RepoAuditFixtureTest.class.getClassLoader().getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The seeded values: repo path, line, value. */
  private static List<String[]> seeded() throws Exception {
    List<String[]> out = new ArrayList<>();
    for (String l : Files.readAllLines(FIXTURE.resolve("seeded.tsv"))) {
      out.add(l.split("\t", 3));
    }
    return out;
  }

  private static RepoAudit.Result audit(Path repo) throws Exception {
    return RepoAudit.run(repo, InlineSecrets.builtIn(), GlobRules.builtIn("default-secrets.txt"));
  }

  @Test
  void everySeededSecretOfThePreviousReleasesRepositoryIsFound() throws Exception {
    Path repo = work.resolve("prev.git");
    Cmd.ok(
        "git", "clone", "-q", "--bare", FIXTURE.resolve("repo.bundle").toString(), repo.toString());

    RepoAudit.Result r = audit(repo);

    List<String[]> seeded = seeded();
    assertThat(seeded).hasSizeGreaterThanOrEqualTo(9);
    for (String[] s : seeded) {
      assertThat(r.hits())
          .as("a hit at %s:%s", s[0], s[1])
          .anyMatch(h -> h.path().equals(s[0]) && Integer.valueOf(s[1]).equals(h.line()));
    }
    // The whole-file placeholder the previous release wrote for /etc/shadow is no hit.
    assertThat(r.hits()).noneMatch(h -> h.path().equals("hosts/fixture/files/etc/shadow"));
    String listed = r.hits().toString();
    seeded.forEach(s -> assertThat(listed).doesNotContain(s[2]));
  }

  /**
   * Needs the redaction of secret values in what ConfigRepo commits (issue 18, the repo part): on a
   * tree without it, this release still commits the values in clear and this test fails.
   */
  @Test
  void thisReleasesRepositoryOfTheSameRootHoldsNoSecretInClear() throws Exception {
    Path root = work.resolve("root");
    Path deb =
        DebBuilder.deb("wget", "1.21-1", "all")
            .conffile("/etc/wgetrc", "# wgetrc\ntries = 3\n")
            .build(work.resolve("build"), work.resolve("debs"));
    DpkgTestRoot.create(root).install(List.of(deb));
    Path etc = FIXTURE.resolve("root-etc");
    try (Stream<Path> files = Files.walk(etc)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path to = root.resolve("etc").resolve(etc.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path repo = work.resolve("now.git");
    StringWriter err = new StringWriter();
    var cl = AgentMain.commandLine();
    cl.setErr(new PrintWriter(err));
    int exit =
        cl.execute(
            "scan",
            "--root",
            root.toString(),
            "--host",
            "fixture",
            "--no-cache",
            "--state",
            work.resolve("state").toString(),
            "--repo",
            repo.toString());
    assertThat(exit).as("scan --repo: %s", err).isEqualTo(AgentMain.EXIT_DRIFT);

    assertThat(audit(repo).hits()).isEmpty();
  }
}
