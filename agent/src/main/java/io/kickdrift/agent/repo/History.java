package io.kickdrift.agent.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * The branch {@code HEAD} names, as one writer sees it (docs/config-repo.md, "Commit flow" and
 * "Atomicity and crashes"): the commit it named when read, commits written on top of it, and the
 * compare-and-swap that moves the branch from exactly that commit to the last new one.
 *
 * @param branch the full name, {@code refs/heads/main}
 * @param start the commit the branch named when read, {@code null} for a branch not born yet
 */
record History(Repository repo, String branch, ObjectId start) {

  /** The branch {@code HEAD} names, and its commit now. */
  static History read(Repository repo) throws IOException {
    String branch = repo.getFullBranch();
    Ref ref = branch == null ? null : repo.exactRef(branch);
    return new History(repo, branch, ref == null ? null : ref.getObjectId());
  }

  /**
   * The newest commit from {@link #start} back to {@code since} whose trailers name {@code host}
   * and {@code scanId}: what an earlier attempt of the same scan of that host committed.
   */
  java.util.Optional<org.eclipse.jgit.revwalk.RevCommit> committed(
      String host, String scanId, java.time.Instant since) throws IOException {
    if (start == null) {
      return java.util.Optional.empty();
    }
    String hostLine = "\nHost: " + host + "\n";
    String scanLine = "\nScan-Id: " + scanId + "\n";
    long oldest = since.getEpochSecond();
    try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
      walk.markStart(walk.parseCommit(start));
      for (org.eclipse.jgit.revwalk.RevCommit c : walk) {
        if (c.getCommitTime() < oldest) {
          break;
        }
        String m = "\n" + c.getFullMessage();
        if (m.contains(hostLine) && m.contains(scanLine)) {
          return java.util.Optional.of(c);
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** Writes a commit of {@code tree} on {@code parent} ({@code null}: a root commit). */
  static ObjectId commit(
      ObjectInserter ins, ObjectId tree, ObjectId parent, PersonIdent who, String message)
      throws IOException {
    CommitBuilder c = new CommitBuilder();
    c.setTreeId(tree);
    if (parent != null) {
      c.setParentId(parent);
    }
    c.setAuthor(who);
    c.setCommitter(who);
    c.setMessage(message);
    return ins.insert(c);
  }

  /**
   * Moves the branch from exactly {@link #start} to {@code head}: the last step of a commit. The
   * repository lock holds the intent meanwhile, so that a writer killed inside JGit's ref update
   * leaves a lock file the next one knows to be stale.
   */
  void moveTo(ObjectId head, RepoLock lock, PersonIdent who, String scanId) throws IOException {
    lock.updating(branch);
    try {
      RefUpdate u = repo.updateRef(branch);
      u.setNewObjectId(head);
      u.setExpectedOldObjectId(start == null ? ObjectId.zeroId() : start);
      u.setRefLogIdent(who);
      u.setRefLogMessage("kickdrift scan " + scanId, false);
      RefUpdate.Result r = u.update();
      if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FAST_FORWARD) {
        throw new IOException(
            repo.getDirectory().toPath()
                + ": could not move "
                + branch
                + " to "
                + head.name()
                + ": "
                + r);
      }
    } finally {
      // Only a killed writer leaves the intent: JGit removes its own lock file on failure.
      lock.updated();
    }
  }

  /**
   * A writer killed while JGit moved a ref leaves {@code <ref>.lock}, which would fail every later
   * update of that ref. The repository lock says whether its last holder died doing that.
   */
  static void removeStaleRefLock(Path gitDir, RepoLock lock, List<String> warnings)
      throws IOException {
    String ref = lock.unfinishedRefUpdate();
    if (ref == null) {
      return;
    }
    Path stale = gitDir.resolve(ref + ".lock");
    if (Files.deleteIfExists(stale)) {
      warnings.add("removed " + stale + ", left by a writer killed while it moved " + ref);
    }
    lock.updated();
  }
}
