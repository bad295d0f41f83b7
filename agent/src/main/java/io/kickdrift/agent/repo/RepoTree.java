package io.kickdrift.agent.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Git trees as sorted maps of paths, read and written with JGit directly (no index, no work tree).
 * Only one host's subtree is ever expanded; the others stay single tree entries.
 */
final class RepoTree {
  /** A tree entry: file mode and object (mode TREE: a whole subtree kept by id). */
  record Blob(FileMode mode, ObjectId id) {}

  private RepoTree() {}

  /**
   * The commit's tree as paths, expanded only where {@code host}'s files are: the other hosts'
   * directories stay single tree entries, so a commit costs the same with 10 hosts or 10,000.
   */
  static SortedMap<String, Blob> read(ObjectReader reader, ObjectId commit, String host)
      throws IOException {
    SortedMap<String, Blob> out = new TreeMap<>();
    if (commit == null) {
      return out;
    }
    String mine = RepoPaths.filesDir(host);
    mine = mine.substring(0, mine.lastIndexOf('/')); // hosts/<host>
    try (TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(treeOf(reader, commit));
      tw.setRecursive(false);
      while (tw.next()) {
        String path = tw.getPathString();
        if (tw.isSubtree()) {
          if (mine.equals(path) || mine.startsWith(path + "/") || path.startsWith(mine + "/")) {
            tw.enterSubtree();
          } else {
            out.put(path, new Blob(FileMode.TREE, tw.getObjectId(0)));
          }
        } else {
          out.put(path, new Blob(tw.getFileMode(0), tw.getObjectId(0)));
        }
      }
    }
    return out;
  }

  static ObjectId treeOf(ObjectReader reader, ObjectId commit) throws IOException {
    try (RevWalk rw = new RevWalk(reader)) {
      RevCommit c = rw.parseCommit(commit);
      return c.getTree().getId();
    }
  }

  /**
   * One directory of a tree being written: files (or whole subtrees kept as they were) and dirs.
   */
  private static final class Dir {
    final Map<String, Dir> dirs = new HashMap<>();
    final Map<String, Blob> entries = new HashMap<>();
  }

  /** Writes a tree from paths; entries of mode TREE are existing subtrees, kept by id. */
  static ObjectId write(SortedMap<String, Blob> tree, ObjectInserter ins) throws IOException {
    Dir top = new Dir();
    for (Map.Entry<String, Blob> e : tree.entrySet()) {
      Dir d = top;
      String[] names = e.getKey().split("/");
      for (int i = 0; i < names.length - 1; i++) {
        d = d.dirs.computeIfAbsent(names[i], k -> new Dir());
      }
      d.entries.put(names[names.length - 1], e.getValue());
    }
    ObjectId id = writeDir(top, ins);
    return id != null ? id : ins.insert(new TreeFormatter());
  }

  /** Writes {@code d} and its subdirectories; {@code null} for an empty one, which git omits. */
  private static ObjectId writeDir(Dir d, ObjectInserter ins) throws IOException {
    Map<String, Blob> all = new HashMap<>(d.entries);
    for (Map.Entry<String, Dir> sub : d.dirs.entrySet()) {
      ObjectId id = writeDir(sub.getValue(), ins);
      if (id != null) {
        all.put(sub.getKey(), new Blob(FileMode.TREE, id));
      }
    }
    if (all.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>(all.keySet());
    // Git orders a tree's entries bytewise, a subtree's name as if it ended in '/'.
    names.sort(
        Comparator.comparing(
            n ->
                (all.get(n).mode() == FileMode.TREE ? n + "/" : n).getBytes(StandardCharsets.UTF_8),
            Arrays::compareUnsigned));
    TreeFormatter f = new TreeFormatter();
    for (String n : names) {
      Blob b = all.get(n);
      f.append(n, b.mode(), b.id());
    }
    return ins.insert(f);
  }
}
