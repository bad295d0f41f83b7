package io.kickdrift.agent.repo;

import static io.kickdrift.testkit.GitCli.changedLines;
import static io.kickdrift.testkit.GitCli.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.GitCli;
import io.kickdrift.testkit.RpmTestRoot;
import io.kickdrift.testkit.ScratchDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Packaged originals on an RPM root: packages built with rpmbuild (SHA-256 digests and an xz
 * payload; MD5 digests, an epoch and a zstd payload), installed with {@code rpm --root --dbpath},
 * their config files edited, scanned into a repository with the .rpm files at hand; the {@code git}
 * command line shows the originals commit, then the host's, whose diff is the edit.
 */
class RpmOriginalsIT {
  static final String HOST = "db01";
  static final String SHA = "hosts/db01/files/etc/kdo/app.conf";
  static final String MD5 = "hosts/db01/files/etc/kdo/legacy.conf";

  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-rpm-originals-it");

  static Path work;
  static Path rpms;

  @BeforeAll
  static void buildPackages() throws Exception {
    Cmd.requireRoot("RpmOriginalsIT must run as root: rpm --root installs files owned by root");
    Cmd.require("git", "git");
    work = scratch.path();
    rpms = work.resolve("rpms");
    build("kdo", "", "1.0", "1", "8", "w9.xzdio", "app.conf", "listen = 80\nworkers = 4\n", rpms);
    build(
        "kdo-legacy", "Epoch: 2", "0.9", "7", "1", "w19.zstdio", "legacy.conf", "a\nb\nc\n", rpms);
  }

  /** Builds one noarch package with one %config file (and a second one left as shipped). */
  static void build(
      String name,
      String epochLine,
      String version,
      String release,
      String digestAlgo,
      String payload,
      String conf,
      String content,
      Path into)
      throws Exception {
    String spec =
        RpmTestRoot.spec(
            name,
            version,
            release,
            Integer.parseInt(digestAlgo),
            epochLine + "\n%define _binary_payload " + payload,
            """
            %%install
            mkdir -p %%{buildroot}/etc/kdo
            printf '%2$s' > %%{buildroot}/etc/kdo/%3$s
            echo same > %%{buildroot}/etc/kdo/%1$s-same.conf
            %%files
            %%config /etc/kdo/%3$s
            %%config /etc/kdo/%1$s-same.conf
            """
                .formatted(name, content.replace("\n", "\\n"), conf));
    Path built = RpmTestRoot.build(Files.createTempDirectory(work, name), spec);
    Files.createDirectories(into);
    try (Stream<Path> s = Files.list(built)) {
      for (Path p : s.toList()) {
        Files.copy(p, into.resolve(p.getFileName()));
      }
    }
  }

  @Test
  void theOriginalsFromPackagesComeFirstThenTheHostsEdits() throws Exception {
    Path root = seeded("packages");
    Path repo = work.resolve("packages.git");
    Cmd.Result r = scan(root, repo, "--packages", rpms.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("warning");

    assertThat(git(repo, "log", "--format=%s").lines())
        .containsExactly(
            "db01: 0 modified, 2 new, 0 missing", "db01: packaged originals of 2 files");
    assertThat(git(repo, "show", "HEAD~1:" + SHA).out()).isEqualTo("listen = 80\nworkers = 4\n");
    assertThat(git(repo, "show", "HEAD~1:" + MD5).out()).isEqualTo("a\nb\nc\n");
    assertThat(changedLines(git(repo, "diff", "HEAD~1", "HEAD", "--", SHA).out()))
        .containsExactly("-listen = 80", "+listen = 8080");
    assertThat(changedLines(git(repo, "diff", "HEAD~1", "HEAD", "--", MD5).out()))
        .containsExactly("-b", "+B");
    // The manifest says which digests were checked: SHA-256 for one package, MD5 for the other.
    String manifest = git(repo, "show", "HEAD:hosts/db01/manifest.json").out();
    assertThat(manifest).contains("\"version\" : \"2:0.9-7\"", "\"packagedDigest\" : \"md5:");
    assertThat(manifest).contains("\"version\" : \"1.0-1\"", "\"packagedDigest\" : \"sha256:");
    GitCli.assertFsckClean(repo);

    // A rescan has nothing new; an original is committed only for files new to the repository.
    Cmd.Result again = scan(root, repo, "--packages", rpms.toString());
    assertThat(again.err()).contains("repo " + repo + ": nothing new");
    assertThat(git(repo, "log", "--format=%s").lines()).hasSize(2);
  }

  @Test
  void theRootsDnfCacheIsSearched() throws Exception {
    Path root = seeded("dnf");
    Path cache = root.resolve("var/cache/dnf/fedora-3f2a1b/packages");
    Files.createDirectories(cache);
    try (Stream<Path> s = Files.list(rpms)) {
      for (Path p : s.toList()) {
        // Named like nothing rpm would write: the index reads headers, not file names.
        Files.copy(p, cache.resolve("download-" + p.getFileName().toString().hashCode() + ".rpm"));
      }
    }
    Path repo = work.resolve("dnf.git");
    Cmd.Result r = scan(root, repo);
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("warning");
    assertThat(git(repo, "log", "--format=%s").lines())
        .containsExactly(
            "db01: 0 modified, 2 new, 0 missing", "db01: packaged originals of 2 files");
    assertThat(changedLines(git(repo, "diff", "HEAD~1", "HEAD", "--", SHA).out()))
        .containsExactly("-listen = 80", "+listen = 8080");
  }

  @Test
  void whatCannotBeHadIsAWarningAndTheHostCommitStillLands() throws Exception {
    Path root = seeded("warnings");
    // Same name, epoch, version and release, different content: the digest check refuses it.
    Path other = work.resolve("other");
    build("kdo", "", "1.0", "1", "8", "w9.gzdio", "app.conf", "listen = 443\n", other);
    Files.writeString(other.resolve("junk.rpm"), "not a package\n".repeat(10));
    Path repo = work.resolve("warnings.git");
    Cmd.Result r = scan(root, repo, "--packages", other.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "warning: repo: " + other.resolve("junk.rpm") + ": not an rpm: bad lead magic; skipped",
            ": /etc/kdo/app.conf does not match the package database's sha256:",
            "warning: repo: no .rpm of kdo-legacy 2:0.9-7 among the 1 .rpm files read; packaged"
                + " originals of /etc/kdo/legacy.conf not committed");
    assertThat(git(repo, "log", "--format=%s").lines())
        .containsExactly("db01: 0 modified, 2 new, 0 missing");
  }

  /** Both packages installed into a fresh root, one line of each config file edited. */
  static Path seeded(String name) throws Exception {
    Path root = RpmTestRoot.install(work.resolve(name), rpms);
    Files.writeString(root.resolve("etc/kdo/app.conf"), "listen = 8080\nworkers = 4\n");
    Files.writeString(root.resolve("etc/kdo/legacy.conf"), "a\nB\nc\n");
    return root;
  }

  static Cmd.Result scan(Path root, Path repo, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--root",
                root.toString(),
                "--no-cache",
                "--no-unowned",
                "--host",
                HOST,
                "--repo",
                repo.toString()));
    args.addAll(List.of(more));
    return Cmd.agent(args.toArray(String[]::new));
  }
}
