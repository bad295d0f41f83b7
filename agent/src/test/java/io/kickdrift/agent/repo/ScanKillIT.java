package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.GitCli;
import io.kickdrift.testkit.ScratchDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kill -9 of {@code scan --repo} at several points, on a root with 2,000 changed files so that the
 * commit takes a while: after every kill {@code git fsck --strict} is clean and the branch, if any,
 * names a complete commit; then a normal scan succeeds. Prints which kills landed mid-write.
 */
class ScanKillIT {
  static final int DIRS = 20;
  static final int FILES_PER_DIR = 100;

  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-kill-it");
  static Path work;
  static Path root;
  static Path repo;

  /** One kill: when, and what the repository looked like afterwards. */
  record Kill(String when, boolean objectsWritten, boolean branchMoved, boolean exited) {
    boolean midWrite() {
      return objectsWritten && !branchMoved;
    }
  }

  @BeforeAll
  static void buildRoot() throws Exception {
    Cmd.require("git", "git");
    work = scratch.path();
    root = work.resolve("root");
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    Files.writeString(Files.createDirectories(root.resolve("etc")).resolve("hostname"), "bulk\n");
    repo = work.resolve("drift.git");
  }

  @Test
  void aScanKilledAtAnyPointLeavesARepositoryGitCallsCleanAndTheNextScanSucceeds()
      throws Exception {
    List<Kill> kills = new ArrayList<>();
    int round = 0;
    // Fixed delays from the start of the JVM (a scan of this root takes about 3 s here, of which
    // the commit is the last second or so) ...
    for (long ms : new long[] {50, 150, 300, 600, 1000, 1500, 2000, 2500}) {
      kills.add(killAfter(++round, "after " + ms + " ms", ms, -1));
    }
    // ... and relative to the moment the scan starts writing objects, to land inside the commit
    // however fast or slow this machine is.
    for (long ms : new long[] {0, 50, 200, 500}) {
      kills.add(killAfter(++round, "objects + " + ms + " ms", -1, ms));
    }
    kills.add(killAfter(++round, "after it finished", Long.MAX_VALUE, -1));

    StringBuilder table = new StringBuilder("kill point            objects  branch moved\n");
    for (Kill k : kills) {
      table.append(
          String.format(
              "%-20s  %-7s  %s%s%n",
              k.when(),
              k.objectsWritten() ? "yes" : "no",
              k.branchMoved() ? "yes" : "no",
              k.midWrite() ? "   <- mid-write" : ""));
    }
    System.out.print(table);

    assertThat(kills).as(table.toString()).anyMatch(Kill::midWrite);
    assertThat(kills.get(kills.size() - 1).branchMoved()).as(table.toString()).isTrue();

    // The next scan continues: it commits this round's files.
    rewrite(++round);
    Cmd.Result r =
        Cmd.agent("scan", "--root", root.toString(), "--no-cache", "--repo", repo.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).containsPattern("repo .*: bulk: \\d+ modified, \\d+ new, 0 missing");
    GitCli.assertFsckCleanAllowingDangling(repo);
    assertThat(GitCli.git(repo, "show", "HEAD:hosts/bulk/files/etc/many/d00/f00.conf").out())
        .isEqualTo("round " + round + " 0 0\n");
  }

  @Test
  void aRefLockLeftByAWriterKilledWhileMovingTheBranchIsRemovedAndOnlyThen() throws Exception {
    Path r = work.resolve("stale-lock.git");
    Cmd.Result first =
        Cmd.agent("scan", "--root", root.toString(), "--no-cache", "--repo", r.toString());
    assertThat(first.exit()).as(first.err()).isEqualTo(1);
    Path refLock = r.resolve("refs/heads/main.lock");

    // A lock file no killed agent declared: someone else's (a git process), left alone.
    Files.writeString(refLock, "0000000000000000000000000000000000000000\n");
    rewrite(100);
    Cmd.Result foreign =
        Cmd.agent("scan", "--root", root.toString(), "--no-cache", "--repo", r.toString());
    assertThat(foreign.exit()).isEqualTo(2);
    assertThat(foreign.err()).contains("could not move refs/heads/main", "LOCK_FAILURE");
    assertThat(refLock).exists();

    // The state a scan killed inside JGit's ref update leaves: its intent, and the lock file.
    Files.writeString(r.resolve("kickdrift.lock"), "updating refs/heads/main\n");
    Cmd.Result next =
        Cmd.agent("scan", "--root", root.toString(), "--no-cache", "--repo", r.toString());
    assertThat(next.exit()).as(next.err()).isEqualTo(1);
    assertThat(next.err())
        .contains(
            "warning: repo: removed "
                + refLock
                + ", left by a writer killed while it moved refs/heads/main")
        .containsPattern("bulk: 2000 modified");
    assertThat(refLock).doesNotExist();
    assertThat(r.resolve("kickdrift.lock")).isEmptyFile();
    GitCli.assertFsckCleanAllowingDangling(r);
  }

  /**
   * Rewrites the files, starts a scan, kills it with SIGKILL after {@code delayMs} from the start,
   * or {@code afterObjectsMs} after it first writes into {@code objects/}; then checks the
   * repository.
   */
  static Kill killAfter(int round, String when, long delayMs, long afterObjectsMs)
      throws Exception {
    rewrite(round);
    String before = branch();
    FileTime objectsBefore = objectsTime();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/kickdrift-agent.jar").toAbsolutePath().toString(),
                "scan",
                "--root",
                root.toString(),
                "--no-cache",
                "--repo",
                repo.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    boolean exited;
    if (delayMs == Long.MAX_VALUE) {
      exited = p.waitFor(5, TimeUnit.MINUTES);
    } else if (delayMs >= 0) {
      exited = p.waitFor(delayMs, TimeUnit.MILLISECONDS);
    } else {
      // Poll the objects directory's mtime: a new temporary object file changes it.
      while (p.isAlive() && objectsTime().equals(objectsBefore)) {
        Thread.sleep(1);
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
          break;
        }
      }
      exited = p.waitFor(afterObjectsMs, TimeUnit.MILLISECONDS);
    }
    p.destroyForcibly();
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("killed scan ended").isTrue();

    boolean objectsWritten = !objectsTime().equals(objectsBefore);
    String after = branch();
    if (!Files.exists(repo)) {
      // Killed before the repository was created (it is renamed into place whole).
      return new Kill(when, false, false, exited);
    }
    GitCli.assertFsckCleanAllowingDangling(repo);
    if (after != null) {
      // A complete commit: its whole tree is readable, the manifest included.
      GitCli.git(repo, "ls-tree", "-r", after);
      GitCli.git(repo, "cat-file", "-p", after + ":hosts/bulk/manifest.json");
    }
    assertThat(leftoverLocks()).as(when + ": ref lock files left behind").isEmpty();
    return new Kill(when, objectsWritten, after != null && !after.equals(before), exited);
  }

  /** Every file gets content of this round: each scan has 2,000 new blobs to write. */
  static void rewrite(int round) throws IOException {
    for (int d = 0; d < DIRS; d++) {
      Path dir = Files.createDirectories(root.resolve(String.format("etc/many/d%02d", d)));
      for (int f = 0; f < FILES_PER_DIR; f++) {
        Files.writeString(
            dir.resolve(String.format("f%02d.conf", f)),
            "round " + round + " " + d + " " + f + "\n");
      }
    }
  }

  static String branch() throws Exception {
    if (!Files.isDirectory(repo)) {
      return null;
    }
    Cmd.Result r =
        Cmd.run(
            List.of("git", "--git-dir=" + repo, "rev-parse", "-q", "--verify", "refs/heads/main"));
    return r.exit() == 0 ? r.out().strip() : null;
  }

  static FileTime objectsTime() throws IOException {
    Path objects = repo.resolve("objects");
    return Files.isDirectory(objects) ? Files.getLastModifiedTime(objects) : FileTime.fromMillis(0);
  }

  static List<Path> leftoverLocks() throws IOException {
    if (!Files.isDirectory(repo)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(repo.resolve("refs"))) {
      return s.filter(p -> p.toString().endsWith(".lock")).toList();
    }
  }
}
