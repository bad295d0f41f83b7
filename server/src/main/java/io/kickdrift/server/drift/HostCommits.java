package io.kickdrift.server.drift;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Which commits changed which host, newest first: one walk of the branch's commits, reading each
 * commit's {@code Host:} trailer (every scan commit has one, docs/config-repo.md "Commit flow"), so
 * that 10,000 hosts' histories cost one pass over commit headers, not one tree diff per host and
 * commit. A commit without the trailer (a note someone committed) is placed by diffing its {@code
 * hosts/} tree with its parent's.
 */
final class HostCommits {
  /** The agent's host names (its {@code RepoPaths}): what may name a directory under hosts/. */
  static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  /**
   * One commit of a host.
   *
   * @param time seconds since the epoch, the committer's
   * @param originals a packaged-originals commit ({@code web01: packaged originals of 2 files})
   */
  record Entry(ObjectId id, int time, boolean originals) {}

  private HostCommits() {}

  static boolean isHostName(String name) {
    return name != null && HOST.matcher(name).matches() && !name.contains("..");
  }

  /**
   * The commits from {@code head} back to {@code since} (excluded; {@code null}: to the root), per
   * host, newest first, followed by {@code older}'s lists (what an earlier walk found up to {@code
   * since}).
   */
  static Map<String, List<Entry>> walk(
      ObjectReader reader, ObjectId head, ObjectId since, Map<String, List<Entry>> older)
      throws IOException {
    Map<String, List<Entry>> out = new HashMap<>();
    try (RevWalk rw = new RevWalk(reader)) {
      rw.sort(RevSort.TOPO);
      rw.markStart(rw.parseCommit(head));
      if (since != null) {
        rw.markUninteresting(rw.parseCommit(since));
      }
      for (RevCommit c : rw) {
        for (String h : hostsOf(reader, rw, c)) {
          boolean originals = c.getShortMessage().startsWith(h + ": packaged original");
          out.computeIfAbsent(h, k -> new ArrayList<>())
              .add(new Entry(c.copy(), c.getCommitTime(), originals));
        }
        c.disposeBody(); // 100,000 commits' messages need not stay in memory
      }
    }
    older.forEach((h, list) -> out.computeIfAbsent(h, k -> new ArrayList<>()).addAll(list));
    out.replaceAll((h, list) -> List.copyOf(list));
    return out;
  }

  /** The hosts {@code c} changed: its trailers, or else the host directories its diff touches. */
  private static Set<String> hostsOf(ObjectReader reader, RevWalk rw, RevCommit c)
      throws IOException {
    Set<String> named = new LinkedHashSet<>();
    for (String h : c.getFooterLines("Host")) {
      if (isHostName(h.strip())) {
        named.add(h.strip());
      }
    }
    if (!named.isEmpty()) {
      return named;
    }
    try (TreeWalk tw = new TreeWalk(reader)) {
      if (c.getParentCount() > 0) {
        tw.addTree(rw.parseCommit(c.getParent(0)).getTree());
      } else {
        tw.addTree(new EmptyTreeIterator());
      }
      tw.addTree(c.getTree());
      tw.setFilter(AndTreeFilter.create(PathFilter.create("hosts"), TreeFilter.ANY_DIFF));
      tw.setRecursive(false);
      while (tw.next()) {
        if (tw.getDepth() == 0) {
          if (tw.isSubtree()) {
            tw.enterSubtree();
          }
        } else if (isHostName(tw.getNameString())) {
          named.add(tw.getNameString());
        }
      }
    }
    return named;
  }
}
