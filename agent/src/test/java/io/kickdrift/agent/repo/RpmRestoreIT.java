package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.GitCli;
import io.kickdrift.testkit.RpmTestRoot;
import io.kickdrift.testkit.ScratchDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The restore round trip on an RPM root: packages built with rpmbuild, installed with {@code rpm
 * --root --dbpath}, drift seeded, scanned into a repository, the same packages installed into a
 * fresh root, restored, scanned again into the same repository: nothing new.
 */
class RpmRestoreIT {
  static final String HOST = "db01";
  private static final String SPEC =
      RpmTestRoot.spec(
          "kdrestore",
          "1.0",
          "1",
          RpmTestRoot.SHA256,
          "",
          RpmTestRoot.settings("/etc/kdr", "edited deleted chmod chown same")
              + """
      find $d -exec touch -h -d @1600000000 {} +
      %files
      /etc/kdr/link
      %dir /etc/kdr
      %config /etc/kdr/edited.conf
      %config(noreplace) /etc/kdr/deleted.conf
      %config /etc/kdr/chmod.conf
      %config /etc/kdr/chown.conf
      %config /etc/kdr/same.conf
      """);

  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-rpm-restore-it");

  static Path work;
  static Path rpms;

  @BeforeAll
  static void buildPackage() throws Exception {
    Cmd.requireRoot(
        "RpmRestoreIT must run as root: it installs and restores files owned by daemon");
    Cmd.require("git", "git");
    work = scratch.path();
    rpms = RpmTestRoot.build(work, SPEC);
  }

  @Test
  void scanRestoreScanFindsNothingNew() throws Exception {
    Path seeded = install("seeded");
    Path etc = seeded.resolve("etc/kdr");
    Files.writeString(etc.resolve("edited.conf"), "edited by hand, longer\n");
    Files.setLastModifiedTime(etc.resolve("edited.conf"), FileTime.fromMillis(978307200000L));
    Files.delete(etc.resolve("deleted.conf"));
    Cmd.ok("chmod", "600", etc.resolve("chmod.conf").toString());
    Cmd.ok("chown", "daemon:daemon", etc.resolve("chown.conf").toString());
    Files.delete(etc.resolve("link"));
    Files.createSymbolicLink(etc.resolve("link"), Path.of("same.conf"));
    Files.writeString(etc.resolve("local.conf"), "unowned = yes\n");
    Cmd.ok("chmod", "604", etc.resolve("local.conf").toString());

    Path repo = work.resolve("drift.git");
    Cmd.Result first = scan(seeded, repo);
    assertThat(first.exit()).as(first.err()).isEqualTo(1);
    assertThat(first.err()).contains("db01: 0 modified, 7 new, 1 missing");
    String scanned = GitCli.git(repo, "rev-parse", "HEAD").out().strip();

    Path fresh = install("fresh");
    Cmd.Result r =
        Cmd.agent("restore", "--repo", repo.toString(), "--host", HOST, "--root", fresh.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "chmod /etc/kdr/chmod.conf 0600 (was 0644)",
            "chown /etc/kdr/chown.conf daemon:daemon (was root:root)",
            "remove /etc/kdr/deleted.conf",
            "update /etc/kdr/edited.conf",
            "relink /etc/kdr/link -> same.conf (was -> edited.conf)",
            "create /etc/kdr/local.conf 0604 root:root");
    assertThat(r.err()).doesNotContain("warning");

    // The restored root's edited file has the restore's mtime, the seeded one 2001's: both
    // differ from the package's, which is all the scan records.
    Cmd.Result again = scan(fresh, repo);
    assertThat(again.exit()).as(again.err()).isEqualTo(1);
    assertThat(again.err()).contains("repo " + repo + ": nothing new");
    assertThat(GitCli.git(repo, "rev-parse", "HEAD").out().strip()).isEqualTo(scanned);
    assertThat(RpmTestRoot.verifyAll(fresh)).isEqualTo(RpmTestRoot.verifyAll(seeded));
    GitCli.assertFsckClean(repo);
  }

  static Path install(String name) throws Exception {
    return RpmTestRoot.install(work.resolve(name), rpms);
  }

  static Cmd.Result scan(Path root, Path repo) throws Exception {
    return Cmd.agent(
        "scan",
        "--root",
        root.toString(),
        "--all",
        "--no-cache",
        "--host",
        HOST,
        "--repo",
        repo.toString());
  }
}
