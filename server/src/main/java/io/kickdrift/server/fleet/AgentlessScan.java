package io.kickdrift.server.fleet;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.scan.Accounts;
import io.kickdrift.agent.scan.Observations;
import io.kickdrift.agent.scan.ScanPipeline;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.server.fleet.AgentlessListing.Digested;
import io.kickdrift.server.fleet.AgentlessListing.Entry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An agentless scan's observations. The package database is read by the agent's own reader from a
 * copy of its files ({@link AgentlessShadow}), so ownership, config files, diversions, ucf and
 * alternatives count exactly as for the agent; the package manager's verify ({@link
 * AgentlessBackend}) says which packaged files changed; {@code find -printf} and remote {@code
 * md5sum}, {@code sha256sum}, … give the observed side, which the agent's {@link ScanPipeline}
 * judges as it judges the local tree.
 */
final class AgentlessScan extends Observations {
  private static final String STAT = "find -printf (stat)";
  private static final String WALK = "find -printf (unowned listing)";

  private final RemoteShell sh;
  private final Agentless.Request r;
  private final AgentlessBackend backend;
  private final String prefix;
  private final Set<String> reported;

  /** What find said of each path, from the unowned listing or a stat: host path to entry. */
  private final Map<String, Entry> seen = new HashMap<>();

  /**
   * @param reported the paths the verify command reported; null when it did not run
   * @param accounts the host's accounts, from its copied passwd and group files
   */
  AgentlessScan(
      RemoteShell sh,
      Agentless.Request r,
      AgentlessBackend backend,
      Set<String> reported,
      Accounts accounts) {
    super(r.root(), accounts);
    this.sh = sh;
    this.r = r;
    this.backend = backend;
    this.prefix = r.prefix();
    this.reported = reported;
  }

  static ScanReport scan(RemoteShell sh, Agentless.Request r, AgentlessBackend backend)
      throws IOException, SshException {
    long start = System.nanoTime();
    // With --all the verify runs first: it is the long step (it hashes every packaged file), and
    // the package database copy, the memory of a host in flight, is held only for the short steps
    // after it. For config files only it does not run at all: the config files are stat'ed and
    // hashed remotely, as the agent does locally, and nothing else is hashed.
    RemoteShell.Output verified =
        r.allFiles() ? Agentless.run(sh, backend.source().label(), backend.verify(), 0, 1) : null;
    String rootDir = r.prefix().isEmpty() ? "/" : r.prefix();
    String tarLabel = "tar of the package database";
    // the tar goes to a file as it arrives: tens of MB a host, never a byte array in the heap;
    // no more of those files at once than twice the databases the heap holds at once
    try {
      TARS.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(sh.name() + ": interrupted while waiting to copy the package database");
    }
    Path tar = null;
    long taken = -1;
    try {
      tar = Files.createTempFile("kickdrift-agentless", ".tar");
      try (OutputStream to = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16)) {
        Agentless.run(sh, tarLabel, AgentlessShadow.command(rootDir, backend.files()), to, 0);
      }
      // Read into the heap, a database takes a few times its files' size: only as many at once
      // as half the heap holds, and no more than a core each (docs/benchmarks.md: 24 at once took
      // 1.5x longer than 2 on 2 cores, in 1.6x the memory).
      try {
        taken = DATABASES.acquire(HEAP_PER_TAR_BYTE * Files.size(tar));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(
            sh.name() + ": interrupted while waiting to read the package database");
      }
      PackageDatabase db;
      Accounts accounts;
      try (InputStream from = new BufferedInputStream(Files.newInputStream(tar), 1 << 16);
          AgentlessShadow shadow = AgentlessShadow.unpack(tarLabel, from)) {
        db = backend.reader().read(shadow.root());
        accounts =
            Accounts.parse(read(shadow.root(), "etc/passwd"), read(shadow.root(), "etc/group"));
      } finally {
        Files.deleteIfExists(tar);
      }
      Set<String> reported =
          verified == null ? null : verifyReported(backend.source().label(), db, verified);
      AgentlessScan source = new AgentlessScan(sh, r, backend, reported, accounts);
      PackageSource named = verified == null ? backend.read() : backend.source();
      try {
        return ScanPipeline.run(r.host(), db, named, source, r.rules(), start);
      } catch (SshFailure e) {
        throw e.getCause();
      }
    } catch (OutOfMemoryError e) {
      throw new IOException(
          sh.name()
              + ": out of memory with its package database ("
              + Runtime.getRuntime().maxMemory() / (1 << 20)
              + " MiB heap); give fleet a larger one: KICKDRIFT_JAVA_OPTS=-Xmx1g",
          e);
    } finally {
      if (taken >= 0) {
        DATABASES.release(taken);
      }
      TARS.release();
      if (tar != null) {
        Files.deleteIfExists(tar);
      }
    }
  }

  /**
   * The heap a package database takes, read, per byte of its files (4: measured ~3.5 on Debian).
   */
  static final long HEAP_PER_TAR_BYTE = 4;

  private static final int DATABASES_AT_ONCE =
      Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Package databases read at once in this JVM: by size, in half the heap, one a core. */
  private static final HeapBudget DATABASES =
      new HeapBudget(Runtime.getRuntime().maxMemory() / 2, DATABASES_AT_ONCE);

  /** Copies of package databases on disk at once (a temporary directory may be memory). */
  private static final java.util.concurrent.Semaphore TARS =
      new java.util.concurrent.Semaphore(2 * DATABASES_AT_ONCE);

  /** The paths the verify command reports, with a missing file's "(error)" suffix removed. */
  private static Set<String> verifyReported(
      String label, PackageDatabase db, RemoteShell.Output out) throws IOException {
    Set<String> known = new HashSet<>();
    for (PackageFile f : db.files()) {
      known.add(f.path());
      known.add(f.actualPath());
    }
    Set<String> paths = new HashSet<>();
    for (AgentlessVerify.Line l : AgentlessVerify.parse(label, out.text())) {
      String p = l.path();
      int paren = p.lastIndexOf(" (");
      if (l.missing() && !known.contains(p) && paren > 0 && p.endsWith(")")) {
        p = p.substring(0, paren);
      }
      paths.add(p);
    }
    return paths;
  }

  // ---- the observations ----------------------------------------------------------------------

  /** What the verify did not report, where it judges as the agent would, is unchanged. */
  @Override
  protected boolean vouchedFor(PackageFile f) {
    return reported != null
        && !reported.contains(f.path())
        && !reported.contains(f.actualPath())
        && backend.verifyJudges().test(f);
  }

  @Override
  protected Map<String, Stat> lstat(Collection<String> paths) throws IOException {
    List<String> unseen = new ArrayList<>();
    for (String p : paths) {
      if (!seen.containsKey(p)) {
        unseen.add(p);
      }
    }
    stat(unseen);
    Map<String, Stat> out = new HashMap<>();
    for (String p : paths) {
      Entry e = seen.get(p);
      if (e != null && e.exists()) {
        out.put(
            p,
            new Stat(
                e.type(),
                e.permissions(),
                e.uid(),
                e.gid(),
                e.size(),
                e.mtime(),
                e.linkTarget(),
                null));
      }
    }
    return out;
  }

  /**
   * Reads through a link by find's %Y letter; hashes in one batch per algorithm (RPM databases mix
   * MD5 and SHA-256), always looking for a private key on the way.
   */
  @Override
  protected Map<Query, Content> content(Collection<Query> queries) throws IOException {
    Map<Query, Content> out = new HashMap<>();
    Map<DigestAlgorithm, Set<String>> toHash = new EnumMap<>(DigestAlgorithm.class);
    for (Query q : queries) {
      Entry e = seen.get(q.path());
      char target = q.followLink() && e != null ? e.followed() : 'f';
      if (target == 'N') {
        out.put(q, Content.unfollowable("no such file"));
      } else if (target == 'L') {
        out.put(q, Content.unfollowable("Too many levels of symbolic links"));
      } else if (target != 'f') {
        out.put(q, Content.notRegular());
      } else {
        toHash.computeIfAbsent(q.algorithm(), a -> new LinkedHashSet<>()).add(q.path());
      }
    }
    Map<DigestAlgorithm, Map<String, Digested>> hashed = new EnumMap<>(DigestAlgorithm.class);
    for (Map.Entry<DigestAlgorithm, Set<String>> e : toHash.entrySet()) {
      hashed.put(e.getKey(), digest(e.getValue(), e.getKey()));
    }
    for (Query q : queries) {
      if (!out.containsKey(q)) {
        Digested d = hashed.get(q.algorithm()).get(q.path());
        out.put(
            q,
            d.hex() == null
                ? Content.unreadable("read failed")
                : Content.of(Digest.of(q.algorithm(), d.hex()), d.privateKey()));
      }
    }
    return out;
  }

  // ---- remote commands ---------------------------------------------------------------------

  /** lstat of each path (host paths, no root prefix) into {@link #seen}; absent paths are not. */
  private void stat(Collection<String> paths) throws IOException {
    List<String> words = new ArrayList<>();
    for (String p : new LinkedHashSet<>(paths)) {
      words.add(remote(p));
    }
    String head = "find -P ";
    String tail = " -maxdepth 0 -printf '" + AgentlessListing.FORMAT + "'";
    for (List<String> batch : Agentless.batches(words, head.length() + tail.length())) {
      // Exit 1: some path does not exist, which is an answer here.
      RemoteShell.Output o = run(STAT, head + String.join(" ", batch) + tail, 0, 1);
      for (Entry e : AgentlessListing.entries(STAT, o.stdout())) {
        seen.put(host(e.path()), e);
      }
    }
  }

  /**
   * Hashes the regular files (following links) at {@code paths} and looks for a private key in each
   * one's first 16 KiB, in one command per batch (a process per file cost 30 ms a file on a busy
   * host: docs/benchmarks.md).
   */
  private Map<String, Digested> digest(Collection<String> paths, DigestAlgorithm a)
      throws IOException {
    String tool = a.label() + "sum";
    Map<String, String> hostOf = new HashMap<>();
    Set<String> small = new HashSet<>();
    for (String p : paths) {
      String w = RemoteShell.quote(remotePath(p));
      hostOf.put(w, p);
      Entry e = seen.get(p);
      if (e != null && e.type() == FileType.REGULAR) {
        hashed(e.size());
        if (e.size() <= KEY_WINDOW) {
          small.add(w);
        }
      }
    }
    Map<String, Digested> out = new HashMap<>();
    // the command without its words: each branch's text, counted with one word in each
    int overhead = digestCommand(tool, List.of("a", "b"), Set.of("a")).length();
    for (List<String> batch : Agentless.batches(List.copyOf(hostOf.keySet()), overhead, 2)) {
      RemoteShell.Output o = run(tool, digestCommand(tool, batch, small), 0);
      AgentlessListing.Sums sums = AgentlessListing.sums(tool, o.stdout(), a.hexLength());
      for (String w : batch) {
        String p = hostOf.get(w);
        String r = remotePath(p);
        out.put(p, new Digested(r, sums.hex().get(r), sums.keyed().contains(r)));
      }
    }
    return out;
  }

  /** How far into a file a private key is looked for, as the agent's {@code Hasher} does. */
  static final long KEY_WINDOW = 16 * 1024;

  /**
   * The command that hashes {@code words} (quoted paths) with {@code tool} in one process, prints a
   * line of byte 1, then the NUL-terminated names of those whose first 16 KiB hold {@code PRIVATE
   * KEY-----}: one {@code grep} over the files known to be no longer than that ({@code small}), a
   * {@code head} each for the rest. {@link AgentlessListing#sums} reads what it prints.
   */
  static String digestCommand(String tool, List<String> words, Set<String> small) {
    List<String> whole = new ArrayList<>();
    List<String> head = new ArrayList<>();
    for (String w : words) {
      (small.contains(w) ? whole : head).add(w);
    }
    String key = "-e 'PRIVATE KEY-----'";
    StringBuilder c = new StringBuilder("LC_ALL=C; export LC_ALL; ");
    if (!words.isEmpty()) {
      c.append(tool).append(" -- ").append(String.join(" ", words)).append(" 2>/dev/null; ");
    }
    c.append("printf '\\001\\n'; ");
    if (!whole.isEmpty()) {
      c.append("grep -laZF ").append(key).append(" -- ").append(String.join(" ", whole));
      c.append(" 2>/dev/null; ");
    }
    if (!head.isEmpty()) {
      c.append("for f in ").append(String.join(" ", head));
      c.append("; do head -c ").append(KEY_WINDOW).append(" < \"$f\" 2>/dev/null | grep -aqF ");
      c.append(key).append(" && printf '%s\\000' \"$f\"; done; ");
    }
    return c.append("exit 0").toString();
  }

  /** Lists the unowned paths with one find per start, in one command. */
  @Override
  protected List<Listed> list(
      List<String> starts, Predicate<String> ignoredDir, List<String> warnings) throws IOException {
    StringBuilder cmd = new StringBuilder("for p in");
    for (String s : starts) {
      cmd.append(' ').append(remote(s));
    }
    cmd.append("; do if [ -e \"$p\" ] || [ -h \"$p\" ]; then find -P \"$p\" ! -type d -printf '")
        .append(AgentlessListing.FORMAT)
        .append("'; else printf 'X\\000X\\000%s\\000%s\\000%s\\000%s\\000%s\\000%s\\000\\000'")
        .append(" 0 0 0 0 0 \"$p\"; fi; done");
    RemoteShell.Output o = run(WALK, cmd.toString(), 0, 1);
    for (String line : o.stderr().split("\n")) {
      if (!line.isBlank()) {
        warnings.add(sh.name() + ": " + line.strip());
      }
    }
    List<Listed> out = new ArrayList<>();
    for (Entry e : AgentlessListing.entries(WALK, o.stdout())) {
      String abs = host(e.path());
      if (!e.exists()) {
        out.add(Listed.missingStart(abs));
        continue;
      }
      String start = startOf(starts, abs);
      if (start != null) {
        seen.put(abs, e);
        out.add(Listed.file(start, abs));
      }
    }
    return out;
  }

  private static String startOf(List<String> starts, String abs) {
    String best = null;
    for (String s : starts) {
      boolean under = abs.equals(s) || abs.startsWith(s.equals("/") ? "/" : s + "/");
      if (under && (best == null || s.length() > best.length())) {
        best = s;
      }
    }
    return best;
  }

  /**
   * {@code p} (a host path from the package database, or a start) under the root, as a shell word:
   * {@code ..} stops at the root, as the agent's {@code RootPaths} has it, so a damaged or hostile
   * database under {@code --root} names nothing outside the tree.
   */
  private String remote(String p) {
    return RemoteShell.quote(remotePath(p));
  }

  /** {@code p} under the root, unquoted: what the host's tools print as its name. */
  private String remotePath(String p) {
    return prefix + io.kickdrift.agent.host.RootPaths.normalise(p);
  }

  private String host(String remote) {
    String p = remote.substring(prefix.length());
    return p.isEmpty() ? "/" : p;
  }

  /**
   * Maintainer scripts, md5sums and account files the classification reads, fetched in one tar
   * stream per batch and wiped from memory once read.
   */
  @Override
  protected Map<String, String> readTexts(Collection<String> paths) throws IOException {
    if (paths.isEmpty()) {
      return Map.of();
    }
    RemoteFiles files;
    try {
      files = RemoteFiles.fetch(sh, r.root(), paths, Map.of(), List.of());
    } catch (SshException e) {
      throw new SshFailure(e);
    }
    Map<String, String> out = new HashMap<>();
    try {
      for (String p : paths) {
        io.kickdrift.agent.repo.HostFiles.Entry e = files.lstat(p);
        if (e != null && e.kind() == io.kickdrift.agent.repo.HostFiles.Kind.REGULAR) {
          out.put(p, new String(files.read(p), StandardCharsets.ISO_8859_1));
        }
      }
    } finally {
      files.wipe();
    }
    return out;
  }

  /** Runs a command; the pipeline's questions may fail only with an IOException. */
  private RemoteShell.Output run(String label, String command, int... ok) throws IOException {
    try {
      return Agentless.run(sh, label, command, ok);
    } catch (SshException e) {
      throw new SshFailure(e);
    }
  }

  /** Carries an SSH failure through the pipeline, to be thrown again as itself. */
  private static final class SshFailure extends IOException {
    private static final long serialVersionUID = 1L;

    SshFailure(SshException cause) {
      super(cause.getMessage(), cause);
    }

    @Override
    public synchronized SshException getCause() {
      return (SshException) super.getCause();
    }
  }

  private static String read(Path root, String rel) throws IOException {
    try {
      return new String(Files.readAllBytes(root.resolve(rel)), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
