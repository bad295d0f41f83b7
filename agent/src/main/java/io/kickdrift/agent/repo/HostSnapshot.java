package io.kickdrift.agent.repo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * One host's manifest and stored files at one commit of a config repository, read without writing
 * anything to the repository (no lock, no config, no ref).
 *
 * @param where names the manifest in errors, {@code <repo>@<commit>:hosts/<host>/manifest.json}
 * @param commit the commit read
 * @param files what {@code files/} holds, by absolute host path
 */
record HostSnapshot(String where, String commit, Manifest manifest, Map<String, Stored> files) {

  /** A stored file: its git mode (regular, executable or symlink) and bytes. */
  record Stored(FileMode mode, byte[] content) {}

  /**
   * Reads {@code host} from the repository at {@code dir}.
   *
   * @param rev a revision ({@code main}, a commit id, {@code HEAD~2}); {@code null} for the branch
   *     {@code HEAD} names
   */
  static HostSnapshot read(Path dir, String host, String rev) throws IOException {
    RepoPaths.host(host);
    File gd = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
    if (gd == null) {
      throw new IOException(dir + ": not a git repository");
    }
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gd).setMustExist(true).build();
        ObjectReader reader = repo.newObjectReader();
        RevWalk rw = new RevWalk(reader)) {
      ObjectId id;
      if (rev == null) {
        String branch = repo.getFullBranch();
        Ref ref = branch == null ? null : repo.exactRef(branch);
        if (ref == null || ref.getObjectId() == null) {
          throw new IOException(dir + ": branch " + branch + " has no commit");
        }
        id = ref.getObjectId();
      } else {
        id = repo.resolve(rev + "^{commit}");
        if (id == null) {
          throw new IOException(dir + ": --ref " + rev + ": no such commit");
        }
      }
      RevCommit c = rw.parseCommit(id);
      String where = dir + "@" + c.abbreviate(12).name() + ":" + RepoPaths.manifest(host);
      Map<String, Stored> files = new HashMap<>();
      byte[] manifest = null;
      String filesDir = RepoPaths.filesDir(host);
      try (TreeWalk tw = new TreeWalk(reader)) {
        tw.addTree(c.getTree());
        tw.setRecursive(true);
        tw.setFilter(org.eclipse.jgit.treewalk.filter.PathFilter.create("hosts/" + host));
        while (tw.next()) {
          String p = tw.getPathString();
          byte[] bytes =
              reader.open(tw.getObjectId(0)).getCachedBytes((int) ConfigRepo.MAX_FILE_SIZE + 1);
          if (p.equals(RepoPaths.manifest(host))) {
            manifest = bytes;
          } else if (p.startsWith(filesDir + "/")) {
            files.put(p.substring(filesDir.length()), new Stored(tw.getFileMode(0), bytes));
          }
        }
      }
      if (manifest == null) {
        throw new IOException(where + ": no such file: host " + host + " is not in this commit");
      }
      Manifest m = Manifest.parse(where, manifest);
      if (!host.equals(m.host())) {
        throw new Manifest.ManifestException(
            where + ": field host is '" + m.host() + "', expected '" + host + "'");
      }
      return new HostSnapshot(where, c.name(), m, files);
    }
  }
}
