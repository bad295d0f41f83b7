package io.kickdrift.agent.repo;

import io.kickdrift.agent.repo.RepoTree.Blob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * What a commit holds for one host (docs/config-repo.md, "Layout"): the tree, expanded only under
 * {@code hosts/<host>/}, and the host's manifest in it.
 *
 * @param tree the commit's tree as paths (empty without a commit)
 * @param manifest the host's manifest, empty when the commit has none
 */
record HostState(String host, SortedMap<String, Blob> tree, Manifest manifest) {

  /** Reads {@code commit} ({@code null}: none yet); a manifest that does not parse is an error. */
  static HostState read(ObjectReader reader, Path gitDir, ObjectId commit, String host)
      throws IOException {
    SortedMap<String, Blob> tree = RepoTree.read(reader, commit, host);
    String manifestPath = RepoPaths.manifest(host);
    Manifest manifest =
        tree.containsKey(manifestPath)
            ? Manifest.parse(
                gitDir + ":" + manifestPath,
                reader.open(tree.get(manifestPath).id()).getCachedBytes())
            : Manifest.empty(host);
    return new HostState(host, tree, manifest);
  }

  /** Whether {@code files/} holds something at {@code repoPath}. */
  boolean stores(String repoPath) {
    return tree.containsKey(repoPath);
  }

  /**
   * Paths of this manifest a scan did not report: gone from the host means missing; still there
   * means they no longer drift (or are out of this scan's scope) and are dropped.
   */
  void carryOver(SortedMap<String, ManifestEntry> entries, HostFiles hostFiles) {
    for (Map.Entry<String, ManifestEntry> e : manifest.files().entrySet()) {
      if (entries.containsKey(e.getKey())) {
        continue;
      }
      boolean gone;
      try {
        gone = hostFiles.lstat(e.getKey()) == null;
      } catch (IOException ex) {
        gone = false;
      }
      if (gone) {
        ManifestEntry old = e.getValue();
        entries.put(
            e.getKey(),
            "missing".equals(old.status()) ? old : old.withStatus("missing", "gone from the host"));
      }
    }
  }

  /**
   * This tree with the host's {@code files/} replaced by {@code files} and its manifest by the blob
   * {@code manifestId}; everything else (other hosts, notes people add) is kept.
   */
  SortedMap<String, Blob> with(Map<String, Blob> files, ObjectId manifestId) {
    SortedMap<String, Blob> out = new TreeMap<>(tree);
    String filesDir = RepoPaths.filesDir(host) + "/";
    out.keySet().removeIf(p -> p.startsWith(filesDir));
    out.putAll(files);
    out.put(RepoPaths.manifest(host), new Blob(FileMode.REGULAR_FILE, manifestId));
    return out;
  }

  /** The blobs under the host's {@code files/} of {@code tree}, by absolute host path. */
  static Map<String, ObjectId> blobIds(Map<String, Blob> tree, String host) {
    Map<String, ObjectId> out = new HashMap<>();
    tree.forEach(
        (p, b) -> {
          String abs = RepoPaths.hostPath(host, p);
          if (abs != null) {
            out.put(abs, b.id());
          }
        });
    return out;
  }
}
