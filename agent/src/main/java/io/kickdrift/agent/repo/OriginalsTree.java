package io.kickdrift.agent.repo;

import io.kickdrift.agent.repo.RepoTree.Blob;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Problem;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * The tree of the packaged-originals commit that comes before a host's files (docs/config-repo.md,
 * "Commit flow", step 3), so that the host commit's diff is exactly the local edit.
 *
 * @param tree the previous tree with the originals added or replaced
 * @param files how many originals it adds or replaces
 */
record OriginalsTree(SortedMap<String, Blob> tree, int files) {

  /**
   * Whether a finding wants its packaged original committed: a modified file whose content differs,
   * not a secret, and new to the repository or whose package now ships another version (an
   * upgrade).
   */
  static boolean wanted(Finding f, HostState before) {
    return f.status() == Status.MODIFIED
        && f.secret() == null
        && f.problems().contains(Problem.CONTENT)
        && (!before.stores(RepoPaths.file(before.host(), f.path()))
            || packageShipsAnother(before.manifest().files().get(f.path()), f));
  }

  /**
   * The originals to commit before the host's files, or {@code null} when there are none.
   *
   * @param files the host's blobs about to be committed, by repository path
   * @param contents the content committed for them, by absolute path (a file not read has no
   *     original)
   * @param redaction the host files' redaction: an original is committed redacted alike, so that a
   *     value the package ships and the host kept reads the same in both and the diff is the edit
   */
  static OriginalsTree of(
      HostState before,
      ScanReport report,
      Map<String, Blob> files,
      Map<String, byte[]> contents,
      Originals originals,
      ConfigRepo.Redaction redaction,
      ObjectInserter ins,
      List<String> warnings)
      throws IOException {
    List<Finding> wanted = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (contents.containsKey(f.path()) && wanted(f, before)) {
        wanted.add(f);
      }
    }
    if (wanted.isEmpty()) {
      return null;
    }
    SortedMap<String, Blob> out = new TreeMap<>(before.tree());
    int added = 0;
    for (Map.Entry<String, byte[]> o : originals.of(wanted, warnings).entrySet()) {
      String repoPath = RepoPaths.file(before.host(), o.getKey());
      Blob local = files.get(repoPath);
      RedactedFile original = RedactedFile.of(o.getKey(), o.getValue(), redaction);
      original.wipe();
      if (local == null || java.util.Arrays.equals(original.content(), contents.get(o.getKey()))) {
        continue;
      }
      out.put(repoPath, new Blob(local.mode(), ins.insert(Constants.OBJ_BLOB, original.content())));
      added++;
    }
    return added == 0 ? null : new OriginalsTree(out, added);
  }

  /** Whether the package's recorded digest differs from the one the repository last saw. */
  private static boolean packageShipsAnother(ManifestEntry before, Finding f) {
    return before != null
        && before.packagedDigest() != null
        && f.expected() != null
        && f.expected().digest() != null
        && !before.packagedDigest().equals(f.expected().digest().toString());
  }
}
