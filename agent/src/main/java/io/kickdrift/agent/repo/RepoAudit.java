package io.kickdrift.agent.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.errors.RevWalkException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * Where a config repository's history holds a secret in clear: every file of every commit reachable
 * from a ref, searched with the scan's detector of secret values, and files at paths secret as a
 * whole that are stored as they are (neither kickdrift's placeholder nor an OpenPGP message). Each
 * blob is searched once per path, however many commits hold it.
 *
 * <p>Example: {@code RepoAudit.run(Path.of("/srv/drift.git"), InlineSecrets.builtIn(),
 * GlobRules.builtIn("default-secrets.txt"))}.
 */
public final class RepoAudit {
  private static final byte[] PGP_ARMOR =
      "-----BEGIN PGP MESSAGE-----".getBytes(StandardCharsets.US_ASCII);

  private RepoAudit() {}

  /**
   * One secret in clear.
   *
   * @param commit the first commit (oldest, by topology) that holds this blob at this path
   * @param path the path in the repository
   * @param line 1-based line of the value; {@code null} when the whole file is secret by its path
   * @param rule the detector's rule, or the path rule that makes the whole file secret
   * @param key the key the value belongs to, {@code null} when none
   * @param commits how many commits hold this blob at this path
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Hit(
      String commit, String path, Integer line, String rule, String key, int commits) {}

  /**
   * What the audit found and how much it looked at.
   *
   * @param commits commits walked
   * @param files distinct (blob, path) pairs searched
   * @param skipped files not searched, each with why (larger than 16 MiB)
   */
  public record Result(String repo, int commits, int files, List<Hit> hits, List<String> skipped) {
    public Result {
      hits = List.copyOf(hits);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Audits the repository at {@code dir} (bare, or a work tree with {@code .git}).
   *
   * @throws IOException when {@code dir} is not a git repository (the message names it) or an
   *     object cannot be read
   */
  public static Result run(Path dir, InlineSecrets detector, GlobRules secretPaths)
      throws IOException {
    File gd = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
    if (gd == null) {
      throw new IOException(
          dir + (Files.exists(dir) ? ": not a git repository" : ": no such directory"));
    }
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gd).setMustExist(true).build();
        ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      // Oldest first, so the first commit that holds a blob is the one a hit names.
      walk.sort(RevSort.TOPO, true);
      walk.sort(RevSort.REVERSE, true);
      for (Ref ref : repo.getRefDatabase().getRefs()) {
        ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
        if (id == null) {
          continue;
        }
        RevObject o = walk.peel(walk.parseAny(id));
        if (o instanceof RevCommit c) {
          walk.markStart(c);
        }
      }
      Map<String, Seen> seen = new LinkedHashMap<>();
      int commits = 0;
      for (RevCommit c : commitsOf(walk, dir)) {
        commits++;
        try (TreeWalk tw = new TreeWalk(reader)) {
          tw.addTree(c.getTree());
          tw.setRecursive(true);
          while (tw.next()) {
            FileMode m = tw.getFileMode(0);
            if (m != FileMode.REGULAR_FILE && m != FileMode.EXECUTABLE_FILE) {
              continue;
            }
            ObjectId blob = tw.getObjectId(0);
            String path = tw.getPathString();
            seen.computeIfAbsent(blob.name() + "\0" + path, k -> new Seen(c.name(), path, blob))
                .commits++;
          }
        }
      }
      List<Hit> hits = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      for (Seen s : seen.values()) {
        byte[] content;
        try {
          content =
              reader
                  .open(s.blob, Constants.OBJ_BLOB)
                  .getCachedBytes((int) ConfigRepo.MAX_FILE_SIZE);
        } catch (LargeObjectException e) {
          skipped.add(s.path + " (" + s.blob.name() + "): larger than 16 MiB, not searched");
          continue;
        }
        hits.addAll(search(s, content, detector, secretPaths));
      }
      hits.sort(
          Comparator.comparing(Hit::path)
              .thenComparing(h -> h.line() == null ? 0 : h.line())
              .thenComparing(Hit::commit));
      return new Result(dir.toString(), commits, seen.size(), hits, skipped);
    }
  }

  /** The walk's commits; a missing or corrupt one is an error naming the repository. */
  private static List<RevCommit> commitsOf(RevWalk walk, Path dir) throws IOException {
    List<RevCommit> all = new ArrayList<>();
    try {
      walk.forEach(all::add);
    } catch (RevWalkException e) {
      throw new IOException(dir + ": cannot walk the history: " + e.getMessage(), e);
    }
    return all;
  }

  /** A blob at a path, the first commit that holds it there, and how many do. */
  private static final class Seen {
    final String firstCommit;
    final String path;
    final ObjectId blob;
    int commits;

    Seen(String firstCommit, String path, ObjectId blob) {
      this.firstCommit = firstCommit;
      this.path = path;
      this.blob = blob;
    }
  }

  private static List<Hit> search(
      Seen s, byte[] content, InlineSecrets detector, GlobRules secretPaths) {
    String hostPath = hostPath(s.path);
    if (openPgpMessage(content) || placeholder(hostPath, content)) {
      return List.of();
    }
    List<Hit> out = new ArrayList<>();
    String rule = hostPath == null ? null : secretPaths.match(hostPath, false);
    if (rule != null && content.length > 0) {
      out.add(new Hit(s.firstCommit, s.path, null, rule, null, s.commits));
    }
    Set<String> once = new HashSet<>();
    for (SecretMatch m : detector.find(hostPath != null ? hostPath : "/" + s.path, content)) {
      if (once.add(m.line() + "\0" + m.rule() + "\0" + m.key())) {
        out.add(new Hit(s.firstCommit, s.path, m.line(), m.rule(), m.key(), s.commits));
      }
    }
    return out;
  }

  /** {@code hosts/web01/files/etc/shadow} → {@code /etc/shadow}; {@code null} for other paths. */
  static String hostPath(String repoPath) {
    if (!repoPath.startsWith("hosts/")) {
      return null;
    }
    int slash = repoPath.indexOf('/', "hosts/".length());
    if (slash < 0) {
      return null;
    }
    return RepoPaths.hostPath(repoPath.substring("hosts/".length(), slash), repoPath);
  }

  /** kickdrift's whole-file placeholder for {@code hostPath}: its first line names the file. */
  private static boolean placeholder(String hostPath, byte[] content) {
    if (hostPath == null) {
      return false;
    }
    byte[] expected = Placeholder.text(hostPath, "rule", null);
    int head = 0;
    while (head < expected.length && expected[head] != '\n') {
      head++;
    }
    if (content.length <= head) {
      return false;
    }
    for (int i = 0; i <= head; i++) {
      if (content[i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * An OpenPGP message, armored or binary: it holds no value in clear. Binary messages start with a
   * public-key encrypted session key packet (tag 1), in the old or the new packet format.
   */
  static boolean openPgpMessage(byte[] content) {
    int start = 0;
    while (start < content.length && Character.isWhitespace(content[start])) {
      start++;
    }
    if (content.length - start >= PGP_ARMOR.length) {
      boolean armored = true;
      for (int i = 0; i < PGP_ARMOR.length; i++) {
        if (content[start + i] != PGP_ARMOR[i]) {
          armored = false;
          break;
        }
      }
      if (armored) {
        return true;
      }
    }
    if (content.length == 0) {
      return false;
    }
    int b = content[0] & 0xff;
    return (b & 0xfc) == 0x84 || b == 0xc1;
  }
}
