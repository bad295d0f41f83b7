package io.kickdrift.agent.repo;

import io.kickdrift.agent.repo.RepoTree.Blob;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.ScanReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/**
 * Commits one scan of one host (docs/config-repo.md, "Commit flow"): under the repository lock, the
 * packaged originals first, then the host's files and manifest; the branch moves only after every
 * object is written.
 */
final class ScanCommit {
  private ScanCommit() {}

  /** See {@link ConfigRepo#record(ScanReport, HostFiles, Originals, ConfigRepo.Settings)}. */
  static ConfigRepo.Result record(
      Repository repo,
      ScanReport report,
      HostFiles hostFiles,
      Originals originals,
      ConfigRepo.Settings s,
      ConfigRepo.Guard guard)
      throws IOException {
    String desired = CommitMessage.desired(report);
    report = report.scanned();
    Path gitDir = repo.getDirectory().toPath();
    String host = RepoPaths.host(report.host());
    List<String> warnings = new ArrayList<>();
    try (RepoLock lock = RepoLock.acquire(gitDir);
        ObjectInserter ins = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      History.removeStaleRefLock(gitDir, lock, warnings);
      History history = History.read(repo);
      guard.check();
      if (guard.onceSince() != null) {
        var earlier = history.committed(host, s.scanId(), guard.onceSince());
        if (earlier.isPresent()) {
          return new ConfigRepo.Result(
              List.of(),
              earlier.get().getShortMessage()
                  + " (committed earlier as "
                  + earlier.get().name()
                  + ")",
              warnings);
        }
      }
      HostState before = HostState.read(reader, gitDir, history.start(), host);

      StoredFindings store =
          new StoredFindings(hostFiles, s.encryptTo(), s.redaction(), ins, warnings);
      Map<String, Blob> files = new TreeMap<>();
      Map<String, byte[]> contents = new HashMap<>();
      SortedMap<String, ManifestEntry> entries = new TreeMap<>();
      for (Finding f : report.findings()) {
        String repoPath;
        try {
          repoPath = RepoPaths.file(host, f.path());
        } catch (IllegalArgumentException e) {
          warnings.add(e.getMessage() + "; not stored");
          continue;
        }
        StoredFindings.Stored st =
            store.store(f, before.tree().get(repoPath), before.manifest().files().get(f.path()));
        entries.put(f.path(), st.entry());
        if (st.blob() != null) {
          files.put(repoPath, st.blob());
          if (st.content() != null) {
            contents.put(f.path(), st.content());
          }
        }
      }
      before.carryOver(entries, hostFiles);
      Manifest next = new Manifest(Manifest.SCHEMA, host, entries);
      ObjectId manifestId = ins.insert(Constants.OBJ_BLOB, next.toJson());
      SortedMap<String, Blob> newTree = before.with(files, manifestId);

      CommitMessage.Trailers trailers =
          new CommitMessage.Trailers(host, s.scanId(), s.agentVersion());
      PersonIdent who =
          new PersonIdent(s.authorName(), s.authorEmail(), s.clock().instant(), ZoneOffset.UTC);
      List<String> commits = new ArrayList<>();
      ObjectId head = history.start();
      ObjectId headTree = head == null ? null : RepoTree.treeOf(reader, head);

      OriginalsTree originalTree =
          OriginalsTree.of(
              before, report, files, contents, originals, s.redaction(), ins, warnings);
      if (originalTree != null) {
        headTree = RepoTree.write(originalTree.tree(), ins);
        head =
            History.commit(
                ins,
                headTree,
                head,
                who,
                CommitMessage.originals(host, originalTree.files(), trailers));
        commits.add(head.name());
      }
      ObjectId treeId = RepoTree.write(newTree, ins);
      String summary = "nothing new";
      if (!treeId.equals(headTree)) {
        CommitMessage.Changes changes =
            CommitMessage.changes(
                before.manifest(),
                HostState.blobIds(before.tree(), host),
                next,
                HostState.blobIds(newTree, host));
        String message = CommitMessage.scan(host, changes, trailers, desired);
        head = History.commit(ins, treeId, head, who, message);
        commits.add(head.name());
        summary = message.substring(0, message.indexOf('\n'));
      }
      if (!commits.isEmpty()) {
        ins.flush();
        history.moveTo(head, lock, who, s.scanId());
      }
      return new ConfigRepo.Result(commits, summary, warnings);
    }
  }

  /** See {@link ConfigRepo#preview}. */
  static ConfigRepo.Preview preview(Repository repo, ScanReport report) throws IOException {
    String host = RepoPaths.host(report.host());
    try (ObjectReader reader = repo.newObjectReader()) {
      HostState before =
          HostState.read(reader, repo.getDirectory().toPath(), History.read(repo).start(), host);
      List<Finding> out = new ArrayList<>();
      for (Finding f : report.findings()) {
        try {
          RepoPaths.file(host, f.path());
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (OriginalsTree.wanted(f, before)) {
          out.add(f);
        }
      }
      Set<String> earlier = new TreeSet<>(before.manifest().files().keySet());
      report.findings().forEach(f -> earlier.remove(f.path()));
      return new ConfigRepo.Preview(out, earlier);
    }
  }
}
