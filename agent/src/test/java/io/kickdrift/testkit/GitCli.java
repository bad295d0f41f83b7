package io.kickdrift.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code git} command line on a test's repositories: what the config repository tests read and
 * check with git itself rather than with JGit, which wrote them.
 */
public final class GitCli {
  private GitCli() {}

  /**
   * {@code git --git-dir=REPO ARGS}, required to succeed; {@code cat-file -e} (a question whose
   * answer is the exit code) may fail.
   */
  public static Cmd.Result git(Path repo, String... args) throws Exception {
    Cmd.require("git", "git");
    List<String> cmd = new ArrayList<>(List.of("git", "--git-dir=" + repo));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd);
    if (!args[0].equals("cat-file") || !args[1].equals("-e")) {
      assertThat(r.exit()).as("%s: %s", cmd, r.err()).isZero();
    }
    return r;
  }

  /** A new bare repository at {@code path}, as {@code git init --bare} makes it. */
  public static Path bare(Path path) throws Exception {
    Cmd.ok("git", "init", "-q", "--bare", path.toString());
    return path;
  }

  /** A new repository at {@code dir} (on branch main) with one commit of everything in it. */
  public static void commitAll(Path dir, String message) throws Exception {
    Cmd.ok("git", "init", "-q", "-b", "main", dir.toString());
    Cmd.ok("git", "-C", dir.toString(), "add", ".");
    Cmd.ok(
        "git",
        "-C",
        dir.toString(),
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        message);
  }

  /** Every object of the repository, as one Latin-1 string to search (in {@code scratch}). */
  public static String allObjects(Path repo, Path scratch) throws Exception {
    Path dump = Files.createTempFile(scratch, "objects", ".bin");
    Cmd.ok(
        "sh",
        "-c",
        "git --git-dir=\"$0\" cat-file --batch-all-objects --batch > \"$1\"",
        repo.toString(),
        dump.toString());
    return Files.readString(dump, StandardCharsets.ISO_8859_1);
  }

  /** {@code git fsck --strict --full} succeeds and reports no error and no warning. */
  public static void assertFsckClean(Path repo) throws Exception {
    Cmd.Result fsck = Cmd.run(List.of("git", "--git-dir=" + repo, "fsck", "--strict", "--full"));
    assertThat(fsck.exit()).as(fsck.out() + fsck.err()).isZero();
    assertThat(fsck.out() + fsck.err())
        .doesNotContainIgnoringCase("error")
        .doesNotContainIgnoringCase("warning");
  }

  /**
   * {@code git fsck --strict --full} succeeds and reports nothing but dangling objects (what a
   * killed writer leaves; {@code git gc} prunes them).
   */
  public static void assertFsckCleanAllowingDangling(Path repo) throws Exception {
    Cmd.Result fsck = Cmd.run(List.of("git", "--git-dir=" + repo, "fsck", "--strict", "--full"));
    assertThat(fsck.exit()).as(fsck.out() + fsck.err()).isZero();
    for (String l : (fsck.out() + fsck.err()).split("\n")) {
      if (!l.isEmpty() && !l.startsWith("dangling ") && !l.startsWith("Checking ")) {
        assertThat(l)
            .as(fsck.out() + fsck.err())
            .doesNotContainIgnoringCase("error")
            .doesNotContainIgnoringCase("warning")
            .doesNotContainIgnoringCase("missing")
            .doesNotContainIgnoringCase("broken")
            .doesNotContainIgnoringCase("bad");
      }
    }
  }

  /** The - and + lines of a diff, without the file headers. */
  public static List<String> changedLines(String diff) {
    List<String> out = new ArrayList<>();
    for (String l : diff.split("\n")) {
      if ((l.startsWith("-") || l.startsWith("+"))
          && !l.startsWith("--- ")
          && !l.startsWith("+++ ")) {
        out.add(l);
      }
    }
    return out;
  }
}
