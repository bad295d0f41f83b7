package io.kickdrift.agent.repo;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * The Git repository that keeps each host's drifted files for review (docs/config-repo.md): the
 * entry point; a scan's commit is {@link ScanCommit}'s, a push {@link RepoPush}'s.
 *
 * <p>Example: {@code try (ConfigRepo r = ConfigRepo.openOrCreate(dir)) { r.record(report, root, new
 * DebOriginals(debs), settings); }}
 */
public final class ConfigRepo implements AutoCloseable {
  /** Larger files are listed in the manifest but not stored. */
  static final long MAX_FILE_SIZE = 16L << 20;

  private final Repository repo;
  private final Path gitDir;

  private ConfigRepo(Repository repo) {
    this.repo = repo;
    this.gitDir = repo.getDirectory().toPath();
    // Objects and refs reach the disk before the ref that names them moves. Set in memory only:
    // git itself warns about core.fsyncObjectFiles in a repository's config (it wants core.fsync,
    // which JGit does not read).
    StoredConfig c = repo.getConfig();
    c.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "fsyncObjectFiles", true);
    c.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "fsyncRefFiles", true);
  }

  /**
   * Who commits, what the trailers say, and how secrets are kept.
   *
   * @param scanId identifies the scan in the {@code Scan-Id:} trailer
   * @param encryptTo secrets, and the secret values redacted from files, are committed encrypted to
   *     this key; {@code null}: placeholders only
   * @param redaction how secret values inside committed files are found and named
   */
  public record Settings(
      String authorName,
      String authorEmail,
      String agentVersion,
      String scanId,
      Clock clock,
      SecretCipher.Recipient encryptTo,
      Redaction redaction) {
    public Settings {
      if (redaction == null) {
        redaction = Redaction.ephemeral();
      }
    }

    /**
     * Encrypted to {@code encryptTo}, values found by the built-in rules under a key of no state.
     */
    public Settings(
        String authorName,
        String authorEmail,
        String agentVersion,
        String scanId,
        Clock clock,
        SecretCipher.Recipient encryptTo) {
      this(authorName, authorEmail, agentVersion, scanId, clock, encryptTo, null);
    }

    /** Secrets as placeholders. */
    public Settings(
        String authorName, String authorEmail, String agentVersion, String scanId, Clock clock) {
      this(authorName, authorEmail, agentVersion, scanId, clock, null, null);
    }

    /** These settings, with secret values found by {@code r}. */
    public Settings withRedaction(Redaction r) {
      return new Settings(authorName, authorEmail, agentVersion, scanId, clock, encryptTo, r);
    }
  }

  /**
   * How secret values inside the files a scan commits are replaced by placeholders
   * (docs/config-repo.md, "Secrets"): the detector that finds them and the key of the placeholders'
   * keyed digests, from the state directory.
   *
   * <p>Example: {@code new Redaction(InlineSecrets.builtIn(),
   * SecretDigestKey.load(state.secretDigestKey()))}
   */
  public record Redaction(InlineSecrets detector, SecretDigestKey digestKey) {
    public Redaction {
      java.util.Objects.requireNonNull(detector, "detector");
      java.util.Objects.requireNonNull(digestKey, "digestKey");
    }

    /** The built-in rules under the digest key in {@code keyFile}, made there when absent. */
    public static Redaction builtIn(Path keyFile) throws IOException {
      return new Redaction(InlineSecrets.builtIn(), SecretDigestKey.load(keyFile));
    }

    /**
     * The built-in rules under a key of this process only: for callers that keep no state (every
     * run names the same value differently).
     */
    public static Redaction ephemeral() {
      return new Redaction(InlineSecrets.builtIn(), SecretDigestKey.ephemeral());
    }
  }

  /**
   * What {@link #record} did.
   *
   * @param commits the new commits, oldest first; empty when the scan found nothing new
   * @param summary the last commit's subject, or {@code "nothing new"}
   * @param warnings files that could not be stored as they are, each named
   */
  public record Result(List<String> commits, String summary, List<String> warnings) {
    public Result {
      commits = List.copyOf(commits);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Where {@link #push} sends the branch.
   *
   * @param remote a path or {@code file://} URL of a repository, an {@code http(s)://} URL, or
   *     {@code ssh://[user@]host[:port]/path} / {@code [user@]host:path}; or a configured remote
   * @param branch the remote branch, e.g. {@code drift/web01}
   * @param knownHosts the only known_hosts file SSH host keys are checked against; {@code null}:
   *     {@code ~/.ssh/known_hosts}
   * @param identity the SSH private key to offer; {@code null}: {@code ~/.ssh/id_*}
   * @param credentials a file whose first line is {@code user:password}, given to HTTP(S)
   *     transports only; {@code null}: none
   */
  public record PushTarget(
      String remote, String branch, Path knownHosts, Path identity, Path credentials) {}

  /**
   * What {@link #push} did.
   *
   * @param outcome {@code pushed}, {@code up to date} or {@code nothing to push}
   * @param commit the commit the remote branch now names, {@code null} when nothing was pushed
   */
  public record Pushed(String remote, String branch, String outcome, String commit) {}

  /**
   * Opens the repository at {@code dir} (a bare repository or a work tree with {@code .git}), or
   * creates a bare one there when {@code dir} is missing or empty.
   */
  public static ConfigRepo openOrCreate(Path dir) throws IOException {
    File gd = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
    if (gd == null) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new IOException(dir + ": neither a git repository nor an empty directory");
          }
        }
      } else if (Files.exists(dir)) {
        throw new IOException(dir + ": not a directory");
      }
      create(dir);
      gd = dir.toFile();
    }
    return new ConfigRepo(new FileRepositoryBuilder().setGitDir(gd).setMustExist(true).build());
  }

  /**
   * Creates the bare repository beside {@code dir} and renames it into place, so that a scan killed
   * while creating it leaves no half-made repository (at worst a hidden temporary directory).
   */
  private static void create(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    Path tmp =
        abs.resolveSibling(
            "." + abs.getFileName() + ".kickdrift-init-" + java.util.UUID.randomUUID());
    try {
      try (Git git =
          Git.init().setBare(true).setDirectory(tmp.toFile()).setInitialBranch("main").call()) {
        // created
      } catch (GitAPIException | IllegalStateException e) {
        throw new IOException(dir + ": cannot create a git repository: " + e.getMessage(), e);
      }
      try {
        // rename(2) replaces an empty directory, and fails on one another writer filled.
        io.kickdrift.agent.state.AtomicWrite.to(abs).replaceWith(tmp);
      } catch (IOException e) {
        if (RepositoryCache.FileKey.resolve(abs.toFile(), FS.DETECTED) == null) {
          throw new IOException(dir + ": cannot create a git repository: " + e, e);
        }
        // Another writer created it meanwhile: use theirs.
      }
    } finally {
      if (Files.exists(tmp)) {
        org.eclipse.jgit.util.FileUtils.delete(
            tmp.toFile(), org.eclipse.jgit.util.FileUtils.RECURSIVE);
      }
    }
  }

  /**
   * Pushes the branch {@code HEAD} names to {@code t.branch()} of {@code t.remote()}, fast-forward
   * only. Reads the local repository and writes nothing to it.
   *
   * @throws IOException with the reason (host key refused, authentication, rejected, unreachable)
   */
  public Pushed push(PushTarget t) throws IOException {
    return RepoPush.push(repo, t);
  }

  /**
   * Commits files at the top of the repository, outside {@code hosts/} ({@code owners.yaml}, {@code
   * CODEOWNERS}, {@code .github/CODEOWNERS}: docs/desired-state.md), as one commit under the
   * writers' lock; a null content removes the file. Returns the commit, or null when the tree would
   * not change.
   *
   * @throws IllegalArgumentException for a path under {@code hosts/} or not a normal relative path
   */
  public String commitTopFiles(Map<String, byte[]> files, PersonIdent who, String message)
      throws IOException {
    for (String path : files.keySet()) {
      if (path.startsWith("hosts/")
          || path.startsWith("/")
          || java.util.Arrays.stream(path.split("/", -1))
              .anyMatch(n -> n.isEmpty() || n.equals(".") || n.equals("..") || n.equals(".git"))) {
        throw new IllegalArgumentException(path + ": not a file kickdrift keeps outside hosts/");
      }
    }
    List<String> warnings = new ArrayList<>();
    try (RepoLock lock = RepoLock.acquire(gitDir);
        ObjectInserter ins = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      History.removeStaleRefLock(gitDir, lock, warnings);
      History history = History.read(repo);
      ObjectId headTree = history.start() == null ? null : RepoTree.treeOf(reader, history.start());
      SortedMap<String, RepoTree.Blob> tree = new TreeMap<>();
      if (history.start() != null) {
        try (TreeWalk tw = new TreeWalk(reader)) {
          tw.addTree(headTree);
          tw.setRecursive(true);
          while (tw.next()) {
            tree.put(tw.getPathString(), new RepoTree.Blob(tw.getFileMode(0), tw.getObjectId(0)));
          }
        }
      }
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        if (f.getValue() == null) {
          tree.remove(f.getKey());
        } else {
          tree.put(
              f.getKey(),
              new RepoTree.Blob(
                  FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, f.getValue())));
        }
      }
      ObjectId treeId = RepoTree.write(tree, ins);
      if (treeId.equals(headTree)) {
        return null;
      }
      ObjectId head = History.commit(ins, treeId, history.start(), who, message);
      ins.flush();
      history.moveTo(head, lock, who, "top files");
      return head.name();
    }
  }

  /** The git directory (the repository itself when bare). */
  public Path gitDir() {
    return gitDir;
  }

  /**
   * Commits what {@code report} found on the host under {@code root}: first the packaged originals
   * of modified files new to the repository, then the host's files and manifest. Holds the
   * repository lock throughout; the branch moves only after every object is written.
   */
  public Result record(ScanReport report, Path root, Originals originals, Settings s)
      throws IOException {
    return record(report, HostFiles.under(root), originals, s);
  }

  /**
   * As {@link #record(ScanReport, Path, Originals, Settings)}, reading the host's files from {@code
   * hostFiles}: the fleet scan passes the files it fetched from a remote host.
   */
  public Result record(ScanReport report, HostFiles hostFiles, Originals originals, Settings s)
      throws IOException {
    return record(report, hostFiles, originals, s, Guard.NONE);
  }

  /**
   * As {@link #record(ScanReport, HostFiles, Originals, Settings)}, asking {@code guard} under the
   * repository lock first: a scan shared by several servers commits only while it still holds its
   * job, and a retaken job returns the commit an earlier attempt made (docs/scale.md).
   */
  public Result record(
      ScanReport report, HostFiles hostFiles, Originals originals, Settings s, Guard guard)
      throws IOException {
    return ScanCommit.record(repo, report, hostFiles, originals, s, guard);
  }

  /** What a commit asks under the repository lock, before anything is written. */
  public interface Guard {
    /** Asks nothing: the commit goes on. */
    Guard NONE = () -> {};

    /** Returns when the commit may go on; throws, with the reason, when it may not. */
    void check() throws IOException;

    /**
     * When not null: a commit of the same host with the same scan id ({@code Scan-Id:}) made since
     * then is this scan's, returned (its id in the summary, no new commit) instead of a second one.
     */
    default java.time.Instant onceSince() {
      return null;
    }
  }

  /**
   * What {@link #record} would read from the host beyond the report, if it ran now (read without
   * the lock): the fleet scan fetches just that.
   *
   * @param originalsWanted modified files whose packaged original would be committed (new to the
   *     repository, or their package ships another version)
   * @param earlierPaths paths of the host's last manifest that the report does not name, whose
   *     existence decides whether they are kept as missing
   */
  public record Preview(List<Finding> originalsWanted, java.util.Set<String> earlierPaths) {}

  /** See {@link Preview}. */
  public Preview preview(ScanReport report) throws IOException {
    return ScanCommit.preview(repo, report);
  }

  static Digest digest(DigestAlgorithm algorithm, byte[] content) {
    try {
      return Digest.of(algorithm, MessageDigest.getInstance(algorithm.jcaName()).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm.jcaName(), e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
