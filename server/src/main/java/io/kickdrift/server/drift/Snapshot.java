package io.kickdrift.server.drift;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Everything the views derive from one head commit, computed once per head (docs/drift-view.md,
 * "Cache"): every host's manifest from one walk of the tree, and every host's commits from one walk
 * of the history. Immutable but for the lazily made fleet view and the small cache of host pages.
 */
final class Snapshot {
  /** Manifests larger than this are a problem, not read (the agent's largest is a few MB). */
  static final int MAX_MANIFEST = 64 << 20;

  private static final int HOST_PAGES = 128;

  /** A host at this head: its manifest blob (for reuse by the next head) and what it says. */
  record Host(ObjectId manifest, ManifestReader.Parsed parsed) {}

  /** The head commit; {@code null} on a branch with no commit yet. */
  final ObjectId head;

  final SortedMap<String, Host> hosts;
  final Map<String, List<HostCommits.Entry>> commits;
  final List<HostSummary> summaries;
  private List<PathDrift> fleet;
  private final Map<String, HostDrift> pages =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, HostDrift> eldest) {
              return size() > HOST_PAGES;
            }
          });

  private Snapshot(
      ObjectId head, SortedMap<String, Host> hosts, Map<String, List<HostCommits.Entry>> commits) {
    this.head = head;
    this.hosts = Collections.unmodifiableSortedMap(hosts);
    this.commits = Collections.unmodifiableMap(commits);
    List<HostSummary> s = new ArrayList<>(hosts.size());
    hosts.forEach(
        (name, h) -> {
          List<HostCommits.Entry> mine = commits.getOrDefault(name, List.of());
          HostCommits.Entry last = mine.isEmpty() ? null : mine.get(0);
          ManifestReader.Parsed p = h.parsed();
          s.add(
              new HostSummary(
                  name,
                  p.count("modified"),
                  p.count("unowned"),
                  p.count("missing"),
                  p.count("unreadable"),
                  last == null ? null : Instant.ofEpochSecond(last.time()),
                  last == null ? null : last.id().name(),
                  p.problem()));
        });
    this.summaries = List.copyOf(s);
  }

  static Snapshot empty() {
    return new Snapshot(null, new TreeMap<>(), Map.of());
  }

  /**
   * The snapshot of {@code head}, reusing what {@code before} (an earlier head's) computed: the
   * manifests whose blob did not change, and the history up to {@code before.head} when that is an
   * ancestor of {@code head} (the writer only ever moves the branch forward).
   *
   * @param where names the repository in problems
   */
  static Snapshot read(ObjectReader reader, String where, ObjectId head, Snapshot before)
      throws IOException {
    if (head == null) {
      return empty();
    }
    try (RevWalk rw = new RevWalk(reader)) {
      RevCommit c = rw.parseCommit(head);
      String at = where + "@" + c.abbreviate(12).name() + ":";
      SortedMap<String, Host> hosts = new TreeMap<>();
      Map<String, ObjectId> changed = new TreeMap<>();
      for (Map.Entry<String, ObjectId> m : manifests(reader, c).entrySet()) {
        String name = m.getKey();
        // A scan rewrites one host's manifest: the others are read once, at an earlier head.
        Host h = before.hosts.get(name);
        if (h == null || !h.manifest().equals(m.getValue())) {
          changed.put(name, m.getValue());
        } else {
          hosts.put(name, h);
        }
      }
      // the blobs read in turn (a reader is one thread's), parsed on every processor
      Map<String, byte[]> bytes = new TreeMap<>();
      Map<String, ManifestReader.Parsed> tooLarge = new TreeMap<>();
      for (Map.Entry<String, ObjectId> m : changed.entrySet()) {
        try {
          bytes.put(
              m.getKey(),
              reader.open(m.getValue(), Constants.OBJ_BLOB).getCachedBytes(MAX_MANIFEST));
        } catch (LargeObjectException e) {
          tooLarge.put(
              m.getKey(),
              new ManifestReader.Parsed(
                  List.of(),
                  at
                      + "hosts/"
                      + m.getKey()
                      + "/manifest.json: larger than "
                      + (MAX_MANIFEST >> 20)
                      + " MiB; not read"));
        }
      }
      bytes.entrySet().parallelStream()
          .map(
              b ->
                  Map.entry(
                      b.getKey(),
                      ManifestReader.parse(
                          at + "hosts/" + b.getKey() + "/manifest.json", b.getKey(), b.getValue())))
          .toList()
          .forEach(p -> hosts.put(p.getKey(), new Host(changed.get(p.getKey()), p.getValue())));
      tooLarge.forEach((name, p) -> hosts.put(name, new Host(changed.get(name), p)));
      boolean forward = before.head != null && descends(rw, head, before.head);
      Map<String, List<HostCommits.Entry>> commits =
          forward
              ? HostCommits.walk(reader, head, before.head, before.commits)
              : HostCommits.walk(reader, head, null, Map.of());
      return new Snapshot(head, hosts, commits);
    }
  }

  /**
   * Whether {@code head} descends from {@code earlier}; not when the history was rewritten and
   * {@code earlier} pruned since.
   */
  private static boolean descends(RevWalk rw, ObjectId head, ObjectId earlier) throws IOException {
    try {
      return rw.isMergedInto(rw.parseCommit(earlier), rw.parseCommit(head));
    } catch (MissingObjectException e) {
      return false;
    }
  }

  /**
   * {@code hosts/<host>/manifest.json} of every host, from one walk of the tree that enters {@code
   * hosts/} and each host's directory but never a host's {@code files/}.
   */
  private static Map<String, ObjectId> manifests(ObjectReader reader, RevCommit c)
      throws IOException {
    Map<String, ObjectId> out = new TreeMap<>();
    try (TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(c.getTree());
      tw.setRecursive(false);
      while (tw.next()) {
        String name = tw.getNameString();
        switch (tw.getDepth()) {
          case 0 -> {
            if (tw.isSubtree() && "hosts".equals(name)) {
              tw.enterSubtree();
            }
          }
          case 1 -> {
            if (tw.isSubtree() && HostCommits.isHostName(name)) {
              tw.enterSubtree();
            }
          }
          default -> {
            if (!tw.isSubtree() && "manifest.json".equals(name)) {
              String path = tw.getPathString();
              out.put(path.substring("hosts/".length(), path.lastIndexOf('/')), tw.getObjectId(0));
            }
          }
        }
      }
    }
    return out;
  }

  /** The host page cached for this head, or {@code null}. */
  HostDrift page(String key) {
    return pages.get(key);
  }

  void keepPage(String key, HostDrift page) {
    pages.put(key, page);
  }

  synchronized List<PathDrift> fleet() {
    if (fleet == null) {
      Map<String, ManifestReader.Parsed> m = new HashMap<>();
      hosts.forEach((name, h) -> m.put(name, h.parsed()));
      fleet = List.copyOf(Fleet.of(m));
    }
    return fleet;
  }
}
