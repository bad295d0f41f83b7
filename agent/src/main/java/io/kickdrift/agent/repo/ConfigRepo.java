package io.kickdrift.agent.repo;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.repo.RepoTree.Blob;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Problem;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * The Git repository that keeps each host's drifted files for review (docs/config-repo.md).
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
   * @param encryptTo secrets are committed encrypted to this key; {@code null}: placeholders
   */
  public record Settings(
      String authorName,
      String authorEmail,
      String agentVersion,
      String scanId,
      Clock clock,
      SecretCipher.Recipient encryptTo) {
    /** Secrets as placeholders. */
    public Settings(
        String authorName, String authorEmail, String agentVersion, String scanId, Clock clock) {
      this(authorName, authorEmail, agentVersion, scanId, clock, null);
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
    String host = RepoPaths.host(report.host());
    List<String> warnings = new ArrayList<>();
    try (RepoLock lock = RepoLock.acquire(gitDir);
        ObjectInserter ins = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      String branch = repo.getFullBranch();
      removeStaleRefLock(lock, warnings);
      Ref ref = repo.exactRef(branch);
      ObjectId parent = ref == null ? null : ref.getObjectId();
      SortedMap<String, Blob> tree = RepoTree.read(reader, parent, host);
      String manifestPath = RepoPaths.manifest(host);
      Manifest previous =
          tree.containsKey(manifestPath)
              ? Manifest.parse(
                  gitDir + ":" + manifestPath,
                  reader.open(tree.get(manifestPath).id()).getCachedBytes())
              : Manifest.empty(host);

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
        Stored st =
            store(
                f,
                hostFiles,
                tree.get(repoPath),
                previous.files().get(f.path()),
                s.encryptTo(),
                ins,
                warnings);
        entries.put(f.path(), st.entry());
        if (st.blob() != null) {
          files.put(repoPath, st.blob());
          if (st.content() != null) {
            contents.put(f.path(), st.content());
          }
        }
      }
      carryOver(previous, entries, hostFiles);
      Manifest next = new Manifest(Manifest.SCHEMA, host, entries);
      ObjectId manifestId = ins.insert(Constants.OBJ_BLOB, next.toJson());

      SortedMap<String, Blob> newTree = new TreeMap<>(tree);
      String filesDir = RepoPaths.filesDir(host) + "/";
      newTree.keySet().removeIf(p -> p.startsWith(filesDir));
      newTree.putAll(files);
      newTree.put(manifestPath, new Blob(FileMode.REGULAR_FILE, manifestId));

      CommitMessage.Trailers trailers =
          new CommitMessage.Trailers(host, s.scanId(), s.agentVersion());
      PersonIdent who =
          new PersonIdent(s.authorName(), s.authorEmail(), s.clock().instant(), ZoneOffset.UTC);
      List<String> commits = new ArrayList<>();
      ObjectId head = parent;
      ObjectId headTree = parent == null ? null : RepoTree.treeOf(reader, parent);

      OriginalsTree originalTree =
          originalsTree(tree, previous, host, report, files, contents, originals, ins, warnings);
      if (originalTree != null) {
        headTree = RepoTree.write(originalTree.tree(), ins);
        head =
            commit(
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
            CommitMessage.changes(previous, blobIds(tree, host), next, blobIds(newTree, host));
        String message = CommitMessage.scan(host, changes, trailers);
        head = commit(ins, treeId, head, who, message);
        commits.add(head.name());
        summary = message.substring(0, message.indexOf('\n'));
      }
      if (!commits.isEmpty()) {
        ins.flush();
        lock.updating(branch);
        try {
          updateRef(branch, parent, head, who, s.scanId());
        } finally {
          // Only a killed writer leaves the intent: JGit removes its own lock file on failure.
          lock.updated();
        }
      }
      return new Result(commits, summary, warnings);
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
    String host = RepoPaths.host(report.host());
    try (ObjectReader reader = repo.newObjectReader()) {
      String branch = repo.getFullBranch();
      Ref ref = branch == null ? null : repo.exactRef(branch);
      ObjectId head = ref == null ? null : ref.getObjectId();
      SortedMap<String, Blob> tree = RepoTree.read(reader, head, host);
      String manifestPath = RepoPaths.manifest(host);
      Manifest previous =
          tree.containsKey(manifestPath)
              ? Manifest.parse(
                  gitDir + ":" + manifestPath,
                  reader.open(tree.get(manifestPath).id()).getCachedBytes())
              : Manifest.empty(host);
      List<Finding> out = new ArrayList<>();
      for (Finding f : report.findings()) {
        String repoPath;
        try {
          repoPath = RepoPaths.file(host, f.path());
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (f.status() == Status.MODIFIED
            && f.secret() == null
            && f.problems().contains(Problem.CONTENT)
            && (!tree.containsKey(repoPath)
                || packageShipsAnother(previous.files().get(f.path()), f))) {
          out.add(f);
        }
      }
      java.util.Set<String> earlier = new java.util.TreeSet<>(previous.files().keySet());
      report.findings().forEach(f -> earlier.remove(f.path()));
      return new Preview(out, earlier);
    }
  }

  /** What one finding becomes: a manifest entry, and the blob committed for it if any. */
  private record Stored(ManifestEntry entry, Blob blob, byte[] content) {}

  private Stored store(
      Finding f,
      HostFiles hostFiles,
      Blob previous,
      ManifestEntry previousEntry,
      SecretCipher.Recipient encryptTo,
      ObjectInserter ins,
      List<String> warnings)
      throws IOException {
    String actualType = f.actual() == null ? null : f.actual().type();
    switch (f.status()) {
      case MISSING:
        return new Stored(ManifestEntry.of(f, "missing", null, null, false, null), null, null);
      case UNREADABLE:
        // What was committed before stays: not being able to read a file says nothing new of it.
        return new Stored(
            ManifestEntry.of(f, "unreadable", digestOf(f), null, previous != null, f.note()),
            previous,
            null);
      default:
        break;
    }
    String status = f.status().name().toLowerCase(Locale.ROOT);
    if (f.secret() != null && "regular".equals(actualType) && encryptTo == null) {
      String digest = digestOf(f);
      byte[] text = Placeholder.text(f.path(), f.secret(), digest);
      Blob b = new Blob(FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, text));
      return new Stored(
          ManifestEntry.of(f, status, digest, ManifestEntry.SECRET_PLACEHOLDER, true, f.note()),
          b,
          null);
    }
    try {
      HostFiles.Entry a = hostFiles.lstat(f.path());
      if (a == null) {
        throw new NoSuchFileException(f.path());
      }
      if (a.kind() == HostFiles.Kind.SYMLINK) {
        byte[] target = a.linkTarget().getBytes(StandardCharsets.UTF_8);
        Blob b = new Blob(FileMode.SYMLINK, ins.insert(Constants.OBJ_BLOB, target));
        return new Stored(ManifestEntry.of(f, status, null, null, true, f.note()), b, null);
      }
      if (a.kind() != HostFiles.Kind.REGULAR) {
        return new Stored(
            ManifestEntry.of(f, status, null, null, false, "not stored: not a regular file"),
            null,
            null);
      }
      if (a.size() > MAX_FILE_SIZE) {
        return new Stored(
            ManifestEntry.of(f, status, digestOf(f), null, false, "not stored: larger than 16 MiB"),
            null,
            null);
      }
      byte[] content = hostFiles.read(f.path());
      DigestAlgorithm alg =
          f.actual() != null && f.actual().digest() != null
              ? f.actual().digest().algorithm()
              : DigestAlgorithm.SHA256;
      // The digest of what is committed, should the file have changed since it was hashed.
      String digest = digest(alg, content).toString();
      if (f.secret() != null) {
        return encrypted(f, status, digest, content, previous, previousEntry, encryptTo, ins);
      }
      Blob b = new Blob(fileMode(f), ins.insert(Constants.OBJ_BLOB, content));
      return new Stored(ManifestEntry.of(f, status, digest, null, true, f.note()), b, content);
    } catch (NoSuchFileException e) {
      return new Stored(
          ManifestEntry.of(f, "missing", null, null, false, "gone after the scan"), null, null);
    } catch (IOException e) {
      warnings.add(f.path() + ": cannot read to commit: " + e.getMessage());
      return new Stored(
          ManifestEntry.of(f, "unreadable", digestOf(f), null, previous != null, e.toString()),
          previous,
          null);
    }
  }

  /**
   * A secret as an OpenPGP message. Encryption differs every time, so an unchanged secret (same
   * plaintext digest, same key) keeps the blob already committed: a rescan makes no commit.
   */
  private static Stored encrypted(
      Finding f,
      String status,
      String digest,
      byte[] content,
      Blob previous,
      ManifestEntry previousEntry,
      SecretCipher.Recipient to,
      ObjectInserter ins)
      throws IOException {
    ManifestEntry entry = ManifestEntry.encrypted(f, status, digest, to, f.note());
    if (previous != null
        && previous.mode().equals(FileMode.REGULAR_FILE)
        && previousEntry != null
        && previousEntry.isEncryptedAs(digest, to)) {
      return new Stored(entry, previous, null);
    }
    byte[] message = SecretCipher.encrypt(content, to);
    java.util.Arrays.fill(content, (byte) 0);
    return new Stored(
        entry, new Blob(FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, message)), null);
  }

  /**
   * Paths of the previous manifest this scan did not report: gone from the host means missing;
   * still there means they no longer drift (or are out of this scan's scope) and are dropped.
   */
  private static void carryOver(
      Manifest previous, SortedMap<String, ManifestEntry> entries, HostFiles hostFiles) {
    for (Map.Entry<String, ManifestEntry> e : previous.files().entrySet()) {
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
   * The tree with the packaged originals of modified files new to the repository, or {@code null}
   * when there are none to commit.
   */
  /** The tree of the originals commit, and how many originals it adds or replaces. */
  private record OriginalsTree(SortedMap<String, Blob> tree, int files) {}

  /**
   * The packaged originals to commit before the host's files: of modified files new to the
   * repository, and of those whose package now ships another version (an upgrade), so that the next
   * commit's diff is the local edit against the current original.
   */
  private static OriginalsTree originalsTree(
      SortedMap<String, Blob> tree,
      Manifest previous,
      String host,
      ScanReport report,
      Map<String, Blob> files,
      Map<String, byte[]> contents,
      Originals originals,
      ObjectInserter ins,
      List<String> warnings)
      throws IOException {
    List<Finding> wanted = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (f.status() == Status.MODIFIED
          && f.secret() == null
          && f.problems().contains(Problem.CONTENT)
          && contents.containsKey(f.path())
          && (!tree.containsKey(RepoPaths.file(host, f.path()))
              || packageShipsAnother(previous.files().get(f.path()), f))) {
        wanted.add(f);
      }
    }
    if (wanted.isEmpty()) {
      return null;
    }
    SortedMap<String, Blob> out = new TreeMap<>(tree);
    int added = 0;
    for (Map.Entry<String, byte[]> o : originals.of(wanted, warnings).entrySet()) {
      String repoPath = RepoPaths.file(host, o.getKey());
      Blob local = files.get(repoPath);
      if (local == null || java.util.Arrays.equals(o.getValue(), contents.get(o.getKey()))) {
        continue;
      }
      out.put(repoPath, new Blob(local.mode(), ins.insert(Constants.OBJ_BLOB, o.getValue())));
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

  private static Map<String, ObjectId> blobIds(Map<String, Blob> tree, String host) {
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

  private static ObjectId commit(
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
   * A writer killed while JGit moved a ref leaves {@code <ref>.lock}, which would fail every later
   * update of that ref. The repository lock says whether its last holder died doing that.
   */
  private void removeStaleRefLock(RepoLock lock, List<String> warnings) throws IOException {
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

  /** Moves the branch from exactly {@code parent} to {@code head}: the last step of a commit. */
  private void updateRef(
      String branch, ObjectId parent, ObjectId head, PersonIdent who, String scanId)
      throws IOException {
    RefUpdate u = repo.updateRef(branch);
    u.setNewObjectId(head);
    u.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
    u.setRefLogIdent(who);
    u.setRefLogMessage("kickdrift scan " + scanId, false);
    RefUpdate.Result r = u.update();
    if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FAST_FORWARD) {
      throw new IOException(
          gitDir + ": could not move " + branch + " to " + head.name() + ": " + r);
    }
  }

  private static FileMode fileMode(Finding f) {
    String mode = f.actual() == null ? null : f.actual().mode();
    boolean exec = mode != null && (Integer.parseInt(mode, 8) & 0100) != 0;
    return exec ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
  }

  private static String digestOf(Finding f) {
    return f.actual() == null || f.actual().digest() == null
        ? null
        : f.actual().digest().toString();
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
