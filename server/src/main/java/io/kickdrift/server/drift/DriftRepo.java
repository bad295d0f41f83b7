package io.kickdrift.server.drift;

import io.kickdrift.server.guard.LogText;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;

/**
 * The config repository as the web console and the API read it (docs/drift-view.md): each host's
 * drift, one file side by side with its packaged original or its previous version, and each path
 * across the fleet. Reads the branch {@code HEAD} names ({@code main} in repositories kickdrift
 * creates) and never writes. Thread-safe; what every view derives from a head commit is computed
 * once per head.
 *
 * <p>Example: {@code try (DriftRepo r = DriftRepo.open(Path.of("/srv/drift.git"))) {
 * r.fileDiff("web01", "/etc/ssh/sshd_config", Against.PACKAGED); }}
 */
public final class DriftRepo implements AutoCloseable {
  /** Scans {@link #host(String)} lists. */
  public static final int DEFAULT_SCANS = 50;

  /** Changed files named per scan of a host's history; the others are counted. */
  public static final int MAX_FILES_PER_SCAN = 100;

  /** What the current version of a file is compared with. */
  public enum Against {
    /** The packaged original a scan committed, else the first version committed. */
    PACKAGED,
    /** The version before the last commit that changed the file. */
    PREVIOUS;

    /** {@code packaged} or {@code previous}, as the API's {@code against=} says it. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The value of {@code against=}, or empty for anything else. */
    public static Optional<Against> of(String word) {
      for (Against a : values()) {
        if (a.word().equals(word)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }

  private final Repository repo;
  private final String where;
  private volatile Snapshot snapshot = Snapshot.empty();

  private DriftRepo(Repository repo, String where) {
    this.repo = repo;
    this.where = where;
  }

  /**
   * Opens the repository at {@code dir}: a bare one (what {@code scan --repo} and {@code serve
   * --scan-repo} create) or a work tree with {@code .git}. Nothing is read yet.
   *
   * @throws IOException when {@code dir} is not a git repository, naming it
   */
  public static DriftRepo open(Path dir) throws IOException {
    File gd = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
    if (gd == null) {
      throw new IOException(
          dir + (Files.exists(dir) ? ": not a git repository" : ": no such directory"));
    }
    return new DriftRepo(
        new FileRepositoryBuilder().setGitDir(gd).setMustExist(true).build(), dir.toString());
  }

  /** Every host of the repository at the head, by name. */
  public List<HostSummary> hosts() throws IOException {
    return current().summaries;
  }

  /** {@link #host(String, int)} with the last {@link #DEFAULT_SCANS} scans. */
  public Optional<HostDrift> host(String name) throws IOException {
    return host(name, DEFAULT_SCANS);
  }

  /**
   * One host's files, unowned files and its last {@code maxScans} commits; empty when the head has
   * no such host (or {@code name} cannot name one).
   */
  public Optional<HostDrift> host(String name, int maxScans) throws IOException {
    Snapshot s = current();
    Snapshot.Host h = name == null ? null : s.hosts.get(name);
    if (h == null) {
      return Optional.empty();
    }
    String key = maxScans + "/" + name;
    HostDrift page = s.page(key);
    if (page == null) {
      page = page(s, name, h, Math.max(0, maxScans));
      s.keepPage(key, page);
    }
    return Optional.of(page);
  }

  /**
   * {@code path} of {@code host} as the head holds it, against its packaged original or its
   * previous version; empty when the head has no such host, or the host never had that path.
   *
   * @throws IllegalArgumentException when {@code path} is not an absolute path of normal names (no
   *     {@code ..}, {@code .} or empty names, no NUL), naming it
   */
  public Optional<FileDiff> fileDiff(String host, String path, Against against) throws IOException {
    checkPath(path);
    Objects.requireNonNull(against, "against");
    Snapshot s = current();
    Snapshot.Host h = host == null ? null : s.hosts.get(host);
    if (h == null) {
      return Optional.empty();
    }
    boolean listed = h.parsed().files().stream().anyMatch(f -> f.path().equals(path));
    String repoPath = "hosts/" + host + "/files" + path;
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk rw = new RevWalk(reader)) {
      RevCommit head = rw.parseCommit(s.head);
      ObjectId now = blobAt(reader, head, repoPath);
      List<HostCommits.Entry> commits = s.commits.getOrDefault(host, List.of());
      RevCommit leftCommit = null;
      ObjectId left = null;
      boolean packaged = false;
      if (against == Against.PREVIOUS) {
        for (HostCommits.Entry e : commits) {
          RevCommit c = rw.parseCommit(e.id());
          RevCommit parent = c.getParentCount() == 0 ? null : rw.parseCommit(c.getParent(0));
          ObjectId before = parent == null ? null : blobAt(reader, parent, repoPath);
          if (!Objects.equals(blobAt(reader, c, repoPath), before)) {
            leftCommit = parent;
            left = before;
            break;
          }
        }
      } else {
        for (HostCommits.Entry e : commits) {
          if (!e.originals()) {
            continue;
          }
          RevCommit c = rw.parseCommit(e.id());
          ObjectId id = blobAt(reader, c, repoPath);
          RevCommit parent = c.getParentCount() == 0 ? null : rw.parseCommit(c.getParent(0));
          if (id != null && !id.equals(parent == null ? null : blobAt(reader, parent, repoPath))) {
            leftCommit = c;
            left = id;
            packaged = true;
            break;
          }
        }
        // No packaged original (an unowned file, a package not at hand): the first version.
        for (int i = commits.size() - 1; left == null && i >= 0; i--) {
          RevCommit c = rw.parseCommit(commits.get(i).id());
          ObjectId id = blobAt(reader, c, repoPath);
          if (id != null) {
            leftCommit = c;
            left = id;
          }
        }
      }
      if (!listed && now == null && left == null) {
        return Optional.empty();
      }
      return Optional.of(diff(reader, host, path, against, leftCommit, left, head, now, packaged));
    }
  }

  /** Whether the head has host {@code name} (a directory with a manifest). */
  public boolean hasHost(String name) throws IOException {
    return name != null && current().hosts.containsKey(name);
  }

  /**
   * A file of a host's manifest at the head, with the blob the repository stores for it (hex), or
   * null when nothing is stored (missing, too large, a secret left out, unreadable).
   */
  public record HeadFile(DriftFile file, String blob) {}

  /**
   * The files {@code host}'s manifest lists at the head, each with its stored blob: what {@code
   * drift variants} and {@code adopt} read (docs/desired-state.md). Empty when there is no such
   * host; a host whose manifest cannot be read has no files.
   */
  public Optional<List<HeadFile>> headFiles(String host) throws IOException {
    Snapshot s = current();
    Snapshot.Host h = host == null ? null : s.hosts.get(host);
    if (h == null) {
      return Optional.empty();
    }
    String filesDir = "hosts/" + host + "/files";
    java.util.Map<String, String> blobs = new java.util.HashMap<>();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk rw = new RevWalk(reader);
        TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(rw.parseCommit(s.head).getTree());
      tw.setFilter(PathFilter.create(filesDir));
      tw.setRecursive(true);
      while (tw.next()) {
        blobs.put(tw.getPathString().substring(filesDir.length()), tw.getObjectId(0).name());
      }
    }
    List<HeadFile> out = new ArrayList<>();
    for (DriftFile f : h.parsed().files()) {
      out.add(new HeadFile(f, blobs.get(f.path())));
    }
    return Optional.of(out);
  }

  /**
   * The bytes of blob {@code id} (hex, as {@link HeadFile#blob}), at most {@code max}; an {@link
   * IOException} when the repository has no such blob.
   */
  public byte[] blob(String id, int max) throws IOException {
    try (ObjectReader reader = repo.newObjectReader()) {
      ObjectLoader loader = reader.open(ObjectId.fromString(id), Constants.OBJ_BLOB);
      if (!loader.isLarge() && loader.getSize() <= max) {
        return loader.getCachedBytes();
      }
      try (InputStream in = loader.openStream()) {
        return in.readNBytes(max);
      }
    }
  }

  /**
   * The file {@code name} at the top of the head's tree ({@code owners.yaml}), at most 1 MiB; empty
   * when there is none.
   */
  public Optional<byte[]> topFile(String name) throws IOException {
    Snapshot s = current();
    if (s.head == null) {
      return Optional.empty();
    }
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk rw = new RevWalk(reader)) {
      ObjectId id = blobAt(reader, rw.parseCommit(s.head), name);
      return id == null ? Optional.empty() : Optional.of(read(reader, id).bytes);
    }
  }

  /** The head commit (hex) the views read now, or null for a repository without commits. */
  public String headCommit() throws IOException {
    Snapshot s = current();
    return s.head == null ? null : s.head.name();
  }

  /** Every path of every host's manifest, most hosts first; see {@link PathDrift}. */
  public List<PathDrift> fleet() throws IOException {
    return current().fleet();
  }

  @Override
  public void close() {
    repo.close();
  }

  /** The snapshot of the branch's head now, computed when the branch moved since the last one. */
  private Snapshot current() throws IOException {
    Ref ref = repo.exactRef(Constants.HEAD);
    ObjectId head = ref == null ? null : ref.getObjectId();
    Snapshot s = snapshot;
    if (Objects.equals(s.head, head)) {
      return s;
    }
    synchronized (this) {
      s = snapshot;
      if (!Objects.equals(s.head, head)) {
        try (ObjectReader reader = repo.newObjectReader()) {
          s = Snapshot.read(reader, where, head, s);
        }
        snapshot = s;
      }
      return s;
    }
  }

  private HostDrift page(Snapshot s, String name, Snapshot.Host h, int maxScans)
      throws IOException {
    List<DriftFile> files = new ArrayList<>();
    List<DriftFile> unowned = new ArrayList<>();
    for (DriftFile f : h.parsed().files()) {
      ("unowned".equals(f.status()) ? unowned : files).add(f);
    }
    List<HostCommits.Entry> commits = s.commits.getOrDefault(name, List.of());
    List<HostDrift.Scan> scans = new ArrayList<>();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk rw = new RevWalk(reader)) {
      for (HostCommits.Entry e : commits.subList(0, Math.min(maxScans, commits.size()))) {
        scans.add(scan(reader, rw, rw.parseCommit(e.id()), name));
      }
    }
    return new HostDrift(
        name,
        s.head.name(),
        files,
        unowned,
        scans,
        commits.size() > maxScans,
        h.parsed().problem());
  }

  /** One commit of a host, with the host paths whose stored content it changed. */
  private static HostDrift.Scan scan(ObjectReader reader, RevWalk rw, RevCommit c, String host)
      throws IOException {
    String filesDir = "hosts/" + host + "/files";
    List<String> changed = new ArrayList<>();
    int count = 0;
    try (TreeWalk tw = new TreeWalk(reader)) {
      if (c.getParentCount() > 0) {
        tw.addTree(rw.parseCommit(c.getParent(0)).getTree());
      } else {
        tw.addTree(new EmptyTreeIterator());
      }
      tw.addTree(c.getTree());
      tw.setFilter(AndTreeFilter.create(PathFilter.create(filesDir), TreeFilter.ANY_DIFF));
      tw.setRecursive(true);
      while (tw.next()) {
        if (count++ < MAX_FILES_PER_SCAN) {
          changed.add(tw.getPathString().substring(filesDir.length()));
        }
      }
    }
    return new HostDrift.Scan(
        c.name(),
        Instant.ofEpochSecond(c.getCommitTime()),
        c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">",
        c.getShortMessage(),
        c.getFullMessage(),
        changed,
        count);
  }

  private static FileDiff diff(
      ObjectReader reader,
      String host,
      String path,
      Against against,
      RevCommit leftCommit,
      ObjectId left,
      RevCommit rightCommit,
      ObjectId right,
      boolean packaged)
      throws IOException {
    Read l = read(reader, left);
    Read r = read(reader, right);
    SideBySide.Result rows = SideBySide.rows(l.bytes, r.bytes, SideBySide.CONTEXT);
    boolean[] cut = {rows.cut()};
    FileDiff.Side ls = side(leftCommit, left, l, rows.binary(), cut);
    FileDiff.Side rs = side(rightCommit, right, r, rows.binary(), cut);
    return new FileDiff(
        host,
        path,
        against,
        ls,
        rs,
        rows.rows(),
        rows.binary(),
        cut[0],
        Objects.equals(left, right),
        packaged);
  }

  private static FileDiff.Side side(
      RevCommit c, ObjectId blob, Read content, boolean binary, boolean[] cut) {
    String commit = c == null ? null : c.name();
    Instant time = c == null ? null : Instant.ofEpochSecond(c.getCommitTime());
    if (blob == null) {
      return FileDiff.Side.absent(commit, time);
    }
    return new FileDiff.Side(
        commit,
        time,
        true,
        content.size,
        content.size > SideBySide.MAX_BYTES,
        binary ? null : SideBySide.cutLines(content.bytes, cut));
  }

  /** At most {@link SideBySide#MAX_BYTES} of a blob, and its whole size. */
  private record Read(byte[] bytes, long size) {}

  private static Read read(ObjectReader reader, ObjectId blob) throws IOException {
    if (blob == null) {
      return new Read(new byte[0], 0);
    }
    ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
    if (!loader.isLarge() && loader.getSize() <= SideBySide.MAX_BYTES) {
      return new Read(loader.getCachedBytes(), loader.getSize());
    }
    try (InputStream in = loader.openStream()) {
      return new Read(in.readNBytes(SideBySide.MAX_BYTES), loader.getSize());
    }
  }

  /** The blob (file or link) at {@code repoPath} of {@code c}, or {@code null}. */
  private static ObjectId blobAt(ObjectReader reader, RevCommit c, String repoPath)
      throws IOException {
    try (TreeWalk tw = TreeWalk.forPath(reader, repoPath, c.getTree())) {
      if (tw == null || tw.getFileMode(0) == FileMode.TREE) {
        return null;
      }
      return tw.getObjectId(0);
    }
  }

  /**
   * An absolute path of normal names, as the manifest keys them (docs/config-repo.md); else an
   * {@link IllegalArgumentException} naming it.
   */
  public static void checkPath(String path) {
    boolean ok = path != null && path.startsWith("/") && path.length() > 1;
    if (ok) {
      for (String name : path.substring(1).split("/", -1)) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "path '"
              + LogText.of(path)
              + "': expected an absolute path of normal names (no '..', '.', empty names or NUL)");
    }
  }
}
