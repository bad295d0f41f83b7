package io.kickdrift.server.fleet;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.scan.Accounts;
import io.kickdrift.agent.scan.Check;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Problem;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import io.kickdrift.agent.scan.Verdicts;
import io.kickdrift.server.fleet.AgentlessListing.Digested;
import io.kickdrift.server.fleet.AgentlessListing.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An agentless scan. The package database is read by the agent's own reader from a copy of its
 * files ({@link AgentlessShadow}), so ownership, config files, diversions, ucf and alternatives
 * count exactly as for the agent; the package manager's verify ({@link AgentlessBackend}) says
 * which packaged files changed; {@code find -printf} and remote {@code md5sum}, {@code sha256sum},
 * … give the observed side, judged by the same rules as the agent's {@code Scanner}.
 */
final class AgentlessScan {
  private static final String STAT = "find -printf (stat)";
  private static final String WALK = "find -printf (unowned listing)";

  // As the agent's Scanner.LEFTOVER.
  private static final Pattern LEFTOVER =
      Pattern.compile(
          ".*\\.(dpkg-(old|new|dist|tmp|bak|remove)|ucf-(old|new|dist)|rpm(new|save|orig))$");

  private final RemoteShell sh;
  private final Agentless.Request r;
  private final AgentlessBackend backend;
  private final String prefix;
  private final List<String> warnings = new ArrayList<>();
  private long bytesHashed;
  private Accounts accounts;

  private AgentlessScan(RemoteShell sh, Agentless.Request r, AgentlessBackend backend) {
    this.sh = sh;
    this.r = r;
    this.backend = backend;
    this.prefix = r.prefix();
  }

  static ScanReport scan(RemoteShell sh, Agentless.Request r, AgentlessBackend backend)
      throws IOException, SshException {
    return new AgentlessScan(sh, r, backend).run();
  }

  private ScanReport run() throws IOException, SshException {
    long start = System.nanoTime();
    // The verify first: it is the long step (it hashes every packaged file), and the package
    // database copy, the memory of a host in flight, is held only for the short steps after it.
    RemoteShell.Output verified = Agentless.run(sh, backend.name(), backend.verify(), 0, 1);
    // A host's package database copy is tens of MB in memory: only a few at once, whatever the
    // fleet's parallelism, so memory stays bounded while the other hosts verify.
    try {
      DATABASES.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(sh.name() + ": interrupted while waiting to read the package database");
    }
    try {
      return judge(start, verified);
    } finally {
      DATABASES.release();
    }
  }

  /** Package databases read at once in this JVM. */
  private static final java.util.concurrent.Semaphore DATABASES =
      new java.util.concurrent.Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

  private ScanReport judge(long start, RemoteShell.Output verified)
      throws IOException, SshException {
    PackageDatabase db = database();
    warnings.addAll(db.warnings());

    List<PackageFile> selected =
        db.files().stream()
            .filter(f -> !f.has(FileFlag.GHOST) && !f.has(FileFlag.NOT_INSTALLED))
            .filter(f -> r.allFiles() || f.isConfig())
            .collect(Collectors.toList());
    Set<String> reported = verifyReported(db, verified);
    List<PackageFile> judged = new ArrayList<>();
    for (PackageFile f : selected) {
      if (reported.contains(f.path())
          || reported.contains(f.actualPath())
          || !backend.verifyJudges().test(f)) {
        judged.add(f);
      }
    }

    // The observed side of everything dpkg reported or cannot judge, then its content.
    Map<String, Entry> stats =
        stat(judged.stream().map(PackageFile::actualPath).collect(Collectors.toList()));
    // By algorithm: RPM databases mix MD5 (old packages) and SHA-256.
    Map<DigestAlgorithm, Set<String>> toHash = new EnumMap<>(DigestAlgorithm.class);
    for (PackageFile f : judged) {
      Entry st = stats.get(f.actualPath());
      if (f.digest() != null && st != null && target(f, st) == 'f') {
        toHash
            .computeIfAbsent(f.digest().algorithm(), a -> new LinkedHashSet<>())
            .add(f.actualPath());
      }
    }
    Map<DigestAlgorithm, Map<String, Digested>> content = new EnumMap<>(DigestAlgorithm.class);
    for (Map.Entry<DigestAlgorithm, Set<String>> e : toHash.entrySet()) {
      content.put(e.getKey(), digest(e.getValue(), e.getKey(), stats));
    }

    List<Finding> findings = new ArrayList<>();
    for (PackageFile f : judged) {
      Digested d =
          f.digest() == null
              ? null
              : content.getOrDefault(f.digest().algorithm(), Map.of()).get(f.actualPath());
      Finding x = verify(f, stats.get(f.actualPath()), d);
      if (x != null) {
        findings.add(x);
      }
    }

    List<String> leftovers = new ArrayList<>();
    List<Entry> candidates = new ArrayList<>();
    walk(db, candidates, leftovers);
    Map<String, Entry> byPath = new HashMap<>();
    List<String> regular = new ArrayList<>();
    for (Entry e : candidates) {
      byPath.put(host(e.path()), e);
      if (e.type() == FileType.REGULAR) {
        regular.add(host(e.path()));
      }
    }
    Map<String, Digested> sha = digest(regular, DigestAlgorithm.SHA256, byPath);
    for (Entry e : candidates) {
      findings.add(unowned(e, sha.get(host(e.path()))));
    }

    findings =
        findings.stream()
            .filter(f -> !r.ignore().matches(f.path(), false))
            .sorted(
                Comparator.comparing(Finding::path)
                    .thenComparing(f -> f.pkg() == null ? "" : f.pkg()))
            .collect(Collectors.toList());
    leftovers.sort(null);
    return new ScanReport(
        ScanReport.SCHEMA,
        r.host(),
        r.root(),
        backend.name(),
        r.allFiles() ? "all" : "config",
        db.metadataChecked(),
        new ScanReport.Stats(
            selected.size(),
            candidates.size(),
            bytesHashed,
            0,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)),
        findings,
        leftovers,
        warnings);
  }

  /** The paths the verify command reports, with a missing file's "(error)" suffix removed. */
  /** The package database, read by the agent's reader from a copy fetched in one tar stream. */
  private PackageDatabase database() throws IOException, SshException {
    String rootDir = prefix.isEmpty() ? "/" : prefix;
    String tarLabel = "tar of the package database";
    RemoteShell.Output tar =
        Agentless.run(sh, tarLabel, AgentlessShadow.command(rootDir, backend.files()), 0);
    try (AgentlessShadow shadow = AgentlessShadow.unpack(tarLabel, tar.stdout())) {
      PackageDatabase db = backend.reader().read(shadow.root());
      accounts =
          Accounts.parse(read(shadow.root(), "etc/passwd"), read(shadow.root(), "etc/group"));
      return db;
    }
  }

  private Set<String> verifyReported(PackageDatabase db, RemoteShell.Output out)
      throws IOException {
    String label = backend.name();
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

  // ---- remote commands ---------------------------------------------------------------------

  /** lstat of each path (host paths, no root prefix); absent paths are not in the map. */
  private Map<String, Entry> stat(Collection<String> paths) throws IOException, SshException {
    List<String> words = new ArrayList<>();
    for (String p : new LinkedHashSet<>(paths)) {
      words.add(RemoteShell.quote(prefix + p));
    }
    Map<String, Entry> out = new HashMap<>();
    String head = "find -P ";
    String tail = " -maxdepth 0 -printf '" + AgentlessListing.FORMAT + "'";
    for (List<String> batch : Agentless.batches(words, head.length() + tail.length())) {
      // Exit 1: some path does not exist, which is an answer here.
      RemoteShell.Output o = Agentless.run(sh, STAT, head + String.join(" ", batch) + tail, 0, 1);
      for (Entry e : AgentlessListing.entries(STAT, o.stdout())) {
        out.put(host(e.path()), e);
      }
    }
    return out;
  }

  /**
   * Hashes the regular files (following links) at {@code paths} and looks for a private key in each
   * one's first 16 KiB.
   */
  private Map<String, Digested> digest(
      Collection<String> paths, DigestAlgorithm a, Map<String, Entry> stats)
      throws IOException, SshException {
    String tool = a.label() + "sum";
    List<String> words = new ArrayList<>();
    for (String p : paths) {
      words.add(RemoteShell.quote(prefix + p));
      Entry e = stats.get(p);
      if (e != null && e.type() == FileType.REGULAR) {
        bytesHashed += e.size();
      }
    }
    String head = "for f in ";
    String tail =
        "; do if d=$("
            + tool
            + " 2>/dev/null < \"$f\"); then k=0; head -c 16384 < \"$f\""
            + " | LC_ALL=C grep -aqF 'PRIVATE KEY-----' && k=1;"
            + " printf '%s\\000%s\\000%s\\000' \"$f\" \"${d%% *}\" \"$k\";"
            + " else printf '%s\\000\\000\\000' \"$f\"; fi; done";
    Map<String, Digested> out = new HashMap<>();
    for (List<String> batch : Agentless.batches(words, head.length() + tail.length())) {
      RemoteShell.Output o = Agentless.run(sh, tool, head + String.join(" ", batch) + tail, 0);
      for (Digested d : AgentlessListing.digests(tool, o.stdout(), a.hexLength())) {
        out.put(host(d.path()), d);
      }
    }
    return out;
  }

  /** Lists the unowned paths as the agent's Scanner.walk does. */
  private void walk(PackageDatabase db, List<Entry> candidates, List<String> leftovers)
      throws IOException, SshException {
    if (r.paths().isEmpty()) {
      return;
    }
    List<String> starts = new ArrayList<>();
    for (String p : r.paths()) {
      starts.add(db.owned().canonical(p));
    }
    StringBuilder cmd = new StringBuilder("for p in");
    for (String s : starts) {
      cmd.append(' ').append(RemoteShell.quote(prefix + s));
    }
    cmd.append("; do if [ -e \"$p\" ] || [ -h \"$p\" ]; then find -P \"$p\" ! -type d -printf '")
        .append(AgentlessListing.FORMAT)
        .append("'; else printf 'X\\000X\\000%s\\000%s\\000%s\\000%s\\000%s\\000%s\\000\\000'")
        .append(" 0 0 0 0 0 \"$p\"; fi; done");
    RemoteShell.Output o = Agentless.run(sh, WALK, cmd.toString(), 0, 1);
    for (String line : o.stderr().split("\n")) {
      if (!line.isBlank()) {
        warnings.add(sh.name() + ": " + line.strip());
      }
    }
    Map<String, Boolean> ignoredDirs = new HashMap<>();
    for (Entry e : AgentlessListing.entries(WALK, o.stdout())) {
      String abs = host(e.path());
      if (!e.exists()) {
        warnings.add(abs + ": does not exist under " + r.root() + "; nothing to look for there");
        continue;
      }
      String start = startOf(starts, abs);
      if (start == null || underIgnoredDir(start, abs, ignoredDirs)) {
        continue;
      }
      if (abs.indexOf('\uFFFD') >= 0) {
        warnings.add(
            abs
                + ": file name is not valid in this JVM's file-name encoding"
                + " (run with LANG=C.UTF-8); skipped");
        continue;
      }
      if (db.owned().contains(abs) || db.managedLinks().contains(abs)) {
        continue;
      }
      if (LEFTOVER.matcher(abs).matches()) {
        leftovers.add(abs);
      } else if (!r.ignore().matches(abs, false)) {
        candidates.add(e);
      }
    }
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

  /** Whether a directory between {@code start} (exclusive) and {@code abs} is ignored. */
  private boolean underIgnoredDir(String start, String abs, Map<String, Boolean> memo) {
    int from = start.equals("/") ? 1 : start.length() + 1;
    for (int slash = abs.indexOf('/', from); slash > 0; slash = abs.indexOf('/', slash + 1)) {
      String dir = abs.substring(0, slash);
      if (memo.computeIfAbsent(dir, d -> r.ignore().matches(d, true))) {
        return true;
      }
    }
    return false;
  }

  private String host(String remote) {
    String p = remote.substring(prefix.length());
    return p.isEmpty() ? "/" : p;
  }

  // ---- judging, as the agent's Scanner -----------------------------------------------------

  /** The type letter content is read from: the link's target when the agent follows it. */
  private static char target(PackageFile f, Entry st) {
    return st.kind() == 'l' && f.meta().type() == null ? st.followed() : st.kind();
  }

  private Finding verify(PackageFile f, Entry st, Digested dg) {
    FileMeta m = f.meta();
    boolean nameOnly = f.digest() == null && m.type() == null && m.permissions() == null;
    if (st == null) {
      if (f.has(FileFlag.MISSINGOK)) {
        return null;
      }
      return packaged(f, Status.MISSING, Set.of(), Set.of(), null, null, false, null);
    }
    if (nameOnly || f.has(FileFlag.REPLACED)) {
      return null;
    }
    EnumSet<Problem> problems = EnumSet.noneOf(Problem.class);
    EnumSet<Check> unchecked = Verdicts.uncheckable(m);
    Digest actualDigest = null;
    String note = null;
    boolean unreadable = false;
    boolean privateKey = false;
    FileType t = st.type();
    boolean regular = t == FileType.REGULAR;

    if (f.digest() != null) {
      char target = target(f, st);
      if (target == 'N' || target == 'L') {
        note =
            "cannot follow link: "
                + (target == 'N' ? "no such file" : "Too many levels of symbolic links");
        unreadable = true;
        unchecked.add(Check.DIGEST);
      } else if (target == 'f') {
        if (dg == null || dg.hex() == null) {
          unchecked.add(Check.DIGEST);
          note = "cannot read: " + (dg == null ? "gone while scanning" : "read failed");
          unreadable = true;
        } else {
          actualDigest = Digest.of(f.digest().algorithm(), dg.hex());
          if (!actualDigest.equals(f.digest())) {
            problems.add(Problem.CONTENT);
            privateKey = dg.privateKey();
          } else {
            privateKey = f.isConfig() && dg.privateKey();
          }
        }
      } else if (m.type() == null && t != FileType.SYMLINK) {
        problems.add(Problem.TYPE);
      }
    }
    Verdicts.compareMetadata(
        m,
        t,
        st.permissions(),
        st.uid(),
        st.gid(),
        st.size(),
        st.mtime(),
        st.linkTarget(),
        accounts,
        problems,
        unchecked);
    if (problems.isEmpty() && !unreadable) {
      return null;
    }
    Status status = unreadable ? Status.UNREADABLE : Status.MODIFIED;
    return packaged(f, status, problems, unchecked, st, actualDigest, privateKey, note);
  }

  private Finding packaged(
      PackageFile f,
      Status status,
      Set<Problem> problems,
      Set<Check> unchecked,
      Entry st,
      Digest actualDigest,
      boolean privateKey,
      String note) {
    return Verdicts.packaged(
        f,
        status,
        problems,
        unchecked,
        st == null ? null : observed(st, actualDigest),
        Verdicts.secretRule(r.secrets(), f.path(), privateKey),
        note);
  }

  private Finding unowned(Entry st, Digested dg) {
    String abs = host(st.path());
    Digest d = null;
    boolean privateKey = false;
    String note = null;
    Set<Check> unchecked = Set.of();
    if (st.type() == FileType.REGULAR) {
      if (dg == null || dg.hex() == null) {
        note = "cannot read: " + (dg == null ? "gone while scanning" : "read failed");
        unchecked = Set.of(Check.DIGEST);
      } else {
        d = Digest.of(DigestAlgorithm.SHA256, dg.hex());
        privateKey = dg.privateKey();
      }
    }
    return new Finding(
        abs,
        note == null ? Status.UNOWNED : Status.UNREADABLE,
        Set.of(),
        unchecked,
        null,
        null,
        false,
        null,
        null,
        observed(st, d),
        Verdicts.secretRule(r.secrets(), abs, privateKey),
        note == null ? null : note + "; no package owns it");
  }

  private Finding.Observed observed(Entry st, Digest d) {
    return new Finding.Observed(
        Verdicts.typeName(st.type()),
        Verdicts.octal(st.permissions()),
        accounts.user(st.uid()),
        accounts.group(st.gid()),
        st.type() == FileType.REGULAR ? st.size() : null,
        st.mtime(),
        st.linkTarget(),
        d);
  }

  private static String read(Path root, String rel) throws IOException {
    try {
      return new String(Files.readAllBytes(root.resolve(rel)), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
