package io.kickdrift.agent.scan;

import static java.util.stream.Collectors.toSet;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.scan.Observations.Content;
import io.kickdrift.agent.scan.Observations.Listed;
import io.kickdrift.agent.scan.Observations.Query;
import io.kickdrift.agent.scan.Observations.Stat;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
 * The one verdict pipeline: which packaged files to look at, which files no package owns, and what
 * each observation of them means, whatever the {@link Observations} came from. The agent's {@link
 * Scanner} and the server's agentless scan both end here, so they cannot judge differently.
 *
 * <p>Example: {@code ScanPipeline.run("web01", db, db.backend(), source, options.rules(),
 * System.nanoTime())}.
 */
public final class ScanPipeline {
  /** Unowned files are hashed with SHA-256; the config repository keys content by it. */
  static final DigestAlgorithm UNOWNED_DIGEST = DigestAlgorithm.SHA256;

  private static final Origins ORIGINS = Origins.builtIn();

  private static final Pattern LEFTOVER =
      Pattern.compile(
          ".*\\.(dpkg-(old|new|dist|tmp|bak|remove)|ucf-(old|new|dist)|rpm(new|save|orig))$");

  /**
   * What to judge, whatever the source.
   *
   * @param allFiles every file of every package (like {@code dpkg --verify}); otherwise config
   *     files
   * @param unownedPaths where to look for files no package owns (absolute, e.g. {@code /etc})
   * @param ignore rules for paths never reported
   * @param secrets rules for paths whose content is secret
   * @param verbose also report what dpkg cannot know (an mtime that differs on a file whose content
   *     is what the package installed); {@code allFiles} implies it
   * @param includeGenerated also report findings with an {@link Finding.Origin}: files maintainer
   *     scripts generated, owners and modes they set
   * @param inline the detector of secret values inside the content of findings
   */
  public record Rules(
      boolean allFiles,
      List<String> unownedPaths,
      GlobRules ignore,
      GlobRules secrets,
      boolean verbose,
      boolean includeGenerated,
      InlineSecrets inline) {
    public Rules {
      unownedPaths = List.copyOf(unownedPaths);
      if (inline == null) {
        throw new IllegalArgumentException("no secret value detector");
      }
    }

    /**
     * The quiet default (no mtime-only findings unless {@code allFiles}, no generated ones) with
     * the built-in secret value rules.
     */
    public Rules(boolean allFiles, List<String> unownedPaths, GlobRules ignore, GlobRules secrets) {
      this(allFiles, unownedPaths, ignore, secrets, false, false, InlineSecrets.builtIn());
    }

    /** Whether an mtime alone makes a content-equal file modified. */
    boolean reportsMtime() {
      return allFiles || verbose;
    }
  }

  private final PackageDatabase db;
  private final Observations source;
  private final Rules rules;
  private final Accounts accounts;
  private final OriginsMemo memo;
  private final List<String> warnings = new ArrayList<>();

  private ScanPipeline(PackageDatabase db, Observations source, Rules rules, OriginsMemo memo) {
    this.db = db;
    this.memo = memo;
    this.source = source;
    this.rules = rules;
    this.accounts = source.accounts();
  }

  /**
   * Judges {@code db}'s files and the unowned ones as {@code source} sees them. Problems with
   * single files become findings or warnings, never exceptions.
   *
   * @param backend the report's backend, where package data came from
   * @param startNanos when the scan began ({@link System#nanoTime()}), for the report's timing
   * @throws IOException when the source fails as a whole (the root cannot be read, a remote command
   *     fails)
   */
  public static ScanReport run(
      String host,
      PackageDatabase db,
      PackageSource backend,
      Observations source,
      Rules rules,
      long startNanos)
      throws IOException {
    return run(host, db, backend, source, rules, OriginsMemo.NONE, startNanos);
  }

  /**
   * The same, with what the classification learnt from every package's scripts and md5sums kept in
   * {@code memo} (made for {@code db}'s fingerprint) between scans.
   */
  public static ScanReport run(
      String host,
      PackageDatabase db,
      PackageSource backend,
      Observations source,
      Rules rules,
      OriginsMemo memo,
      long startNanos)
      throws IOException {
    return new ScanPipeline(db, source, rules, memo).run(host, backend, startNanos);
  }

  private ScanReport run(String host, PackageSource backend, long startNanos) throws IOException {
    warnings.addAll(source.openingWarnings());
    warnings.addAll(db.warnings());
    List<PackageFile> selected =
        db.files().stream().filter(this::inScope).collect(Collectors.toList());
    List<Finding> findings = new ArrayList<>(packaged(selected));
    List<String> leftovers = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    List<String> secretByPath = new ArrayList<>();
    findings.addAll(walk(candidates, leftovers, secretByPath));
    findings.addAll(unowned(candidates));
    findings =
        findings.stream()
            .filter(f -> !rules.ignore().matches(f.path(), false))
            .sorted(
                Comparator.comparing(Finding::path)
                    .thenComparing(f -> f.pkg() == null ? "" : f.pkg()))
            .collect(Collectors.toList());
    findings = copiesOfSecrets(findings, secretByPath);
    findings = oncePerFile(findings);
    List<Finding> gone =
        rules.unownedPaths().isEmpty() ? List.of() : ORIGINS.missingLinks(findings, db, source);
    findings = ORIGINS.classify(findings, db, source, memo);
    String unsaved = memo.save();
    if (unsaved != null) {
      warnings.add(unsaved);
    }
    if (!gone.isEmpty()) {
      findings.addAll(gone);
      findings.sort(Comparator.comparing(Finding::path));
    }
    long classified = findings.stream().filter(f -> f.origin() != null).count();
    if (!rules.includeGenerated()) {
      findings = findings.stream().filter(f -> f.origin() == null).collect(Collectors.toList());
    }
    findings = inlineSecrets(findings);
    source.finish(warnings);
    Collections.sort(leftovers);
    return new ScanReport(
        ScanReport.SCHEMA,
        host,
        source.root(),
        backend,
        rules.allFiles() ? "all" : "config",
        db.metadataChecked(),
        new ScanReport.Stats(
            selected.size(),
            candidates.size(),
            source.bytesHashed(),
            source.cacheHits(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
            classified),
        findings,
        leftovers,
        warnings);
  }

  /**
   * Merged-/usr: where /bin is a link to usr/bin, a package listing /bin/x and another (or the
   * same) listing /usr/bin/x name one file; it is reported once, under the first path in sorted
   * order, with a note naming the other.
   */
  private List<Finding> oncePerFile(List<Finding> sorted) {
    if (db.owned().aliasedDirs().isEmpty()) {
      return sorted;
    }
    Map<String, Integer> at = new HashMap<>();
    List<Finding> out = new ArrayList<>(sorted.size());
    for (Finding f : sorted) {
      String key = db.owned().canonical(f.path()) + "\0" + f.status();
      Integer i = at.get(key);
      if (i == null) {
        at.put(key, out.size());
        out.add(f);
      } else if (!out.get(i).path().equals(f.path())) {
        Finding first = out.get(i);
        String also = "the same file as " + f.path() + (f.pkg() == null ? "" : " of " + f.pkg());
        out.set(i, first.withNote(first.note() == null ? also : first.note() + "; " + also));
      }
    }
    return out;
  }

  private boolean inScope(PackageFile f) {
    if (f.has(FileFlag.GHOST) || f.has(FileFlag.NOT_INSTALLED)) {
      return false;
    }
    return rules.allFiles() || f.isConfig();
  }

  // ---- packaged files ----------------------------------------------------------------------

  private List<Finding> packaged(List<PackageFile> selected) throws IOException {
    List<PackageFile> judged =
        selected.stream().filter(f -> !source.vouchedFor(f)).collect(Collectors.toList());
    Set<String> paths = new LinkedHashSet<>();
    judged.forEach(f -> paths.add(f.actualPath()));
    Map<String, Stat> stats = source.lstat(paths);
    Map<PackageFile, Query> queries = new HashMap<>();
    for (PackageFile f : judged) {
      Query q = query(f, stats.get(f.actualPath()));
      if (q != null) {
        queries.put(f, q);
      }
    }
    Map<Query, Content> content = source.content(new LinkedHashSet<>(queries.values()));
    List<Finding> findings = new ArrayList<>();
    for (PackageFile f : judged) {
      Query q = queries.get(f);
      Finding x = verify(f, stats.get(f.actualPath()), q == null ? null : content.get(q));
      if (x != null) {
        findings.add(x);
      }
    }
    return findings;
  }

  /** dpkg records nothing but the name of directories and symlinks: only their existence counts. */
  private static boolean nameOnly(PackageFile f) {
    FileMeta m = f.meta();
    return f.digest() == null && m.type() == null && m.permissions() == null;
  }

  /**
   * What to read of {@code f}, found as {@code st}: {@code null} when its content is not judged.
   */
  private static Query query(PackageFile f, Stat st) {
    if (st == null || st.failure() != null || nameOnly(f) || f.has(FileFlag.REPLACED)) {
      return null;
    }
    if (f.digest() == null) {
      return null;
    }
    // Secrets matter where content may end up in the config repository: config files always,
    // other packaged files only once they differ.
    Digest sniffUnless = f.isConfig() ? null : f.digest();
    if (st.type() == FileType.SYMLINK && f.meta().type() == null) {
      // dpkg opens through links; so do we when the database does not know the type.
      return new Query(f.actualPath(), f.digest().algorithm(), true, sniffUnless);
    }
    if (st.type() == FileType.REGULAR) {
      return new Query(f.actualPath(), f.digest().algorithm(), false, sniffUnless);
    }
    return null;
  }

  private Finding verify(PackageFile f, Stat st, Content c) {
    FileMeta m = f.meta();
    if (st == null) {
      if (f.has(FileFlag.MISSINGOK)) {
        return null;
      }
      return packaged(f, Status.MISSING, Set.of(), Set.of(), null, null, false, null);
    }
    if (st.failure() != null) {
      return packaged(
          f,
          Status.UNREADABLE,
          Set.of(),
          EnumSet.allOf(Check.class),
          null,
          null,
          false,
          "cannot stat: " + st.failure());
    }
    if (nameOnly(f) || f.has(FileFlag.REPLACED)) {
      return null;
    }
    EnumSet<Problem> problems = EnumSet.noneOf(Problem.class);
    EnumSet<Check> unchecked = Verdicts.uncheckable(m);
    Digest actualDigest = null;
    String note = null;
    boolean unreadable = false;
    boolean privateKey = false;
    FileType t = st.type();

    if (f.digest() != null) {
      if (c != null && c.note() != null) {
        note = c.note();
        unreadable = true;
        unchecked.add(Check.DIGEST);
      } else if (c != null && c.digest() != null) {
        actualDigest = c.digest();
        if (!actualDigest.equals(f.digest())) {
          problems.add(Problem.CONTENT);
          privateKey = Boolean.TRUE.equals(c.privateKey());
        } else {
          privateKey = f.isConfig() && Boolean.TRUE.equals(c.privateKey());
        }
      } else if (c == null && m.type() == null && t != FileType.SYMLINK) {
        problems.add(Problem.TYPE);
      }
    }
    Verdicts.compareMetadata(m, st, accounts, problems, unchecked);
    if (!rules.reportsMtime() && !problems.contains(Problem.CONTENT)) {
      // dpkg cannot keep an mtime it does not know (a conffile dpkg left alone but touched, a copy
      // restored with a new date): with the content equal, it is no change a person made.
      problems.remove(Problem.MTIME);
    }
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
      Stat st,
      Digest actualDigest,
      boolean privateKey,
      String note) {
    return Verdicts.packaged(
        f,
        status,
        problems,
        unchecked,
        st == null ? null : observed(st, actualDigest),
        Verdicts.secretRule(rules.secrets(), f.path(), privateKey),
        note);
  }

  // ---- unowned files -----------------------------------------------------------------------

  /**
   * Sorts the listing into candidates and leftovers, and notes in {@code secretByPath} the files
   * secret by path rule that are no candidates (owned, ignored); returns the findings of what
   * failed.
   */
  private List<Finding> walk(
      List<String> candidates, List<String> leftovers, List<String> secretByPath)
      throws IOException {
    List<Finding> failed = new ArrayList<>();
    if (rules.unownedPaths().isEmpty()) {
      return failed;
    }
    List<String> starts = new ArrayList<>();
    for (String p : rules.unownedPaths()) {
      starts.add(db.owned().canonical(p));
    }
    Map<String, Boolean> ignoredDirs = new HashMap<>();
    for (Listed l : source.list(starts, this::ignoredDir, warnings)) {
      String abs = l.path();
      if (!l.exists()) {
        warnings.add(
            abs + ": does not exist under " + source.root() + "; nothing to look for there");
      } else if (l.failure() != null) {
        if (!ignoredDir(abs) && !underIgnoredDir(l.start(), abs, ignoredDirs)) {
          failed.add(unreadableUnowned(abs, "cannot list: " + l.failure()));
        }
      } else if (underIgnoredDir(l.start(), abs, ignoredDirs)) {
        continue;
      } else if (abs.indexOf('\uFFFD') >= 0) {
        warnings.add(
            abs
                + ": file name is not valid in this JVM's file-name encoding"
                + " (run with LANG=C.UTF-8); skipped");
      } else if (db.owned().contains(abs) || db.managedLinks().contains(abs)) {
        noteSecretByPath(abs, secretByPath);
      } else if (LEFTOVER.matcher(abs).matches()) {
        leftovers.add(abs);
      } else if (!rules.ignore().matches(abs, false)) {
        candidates.add(abs);
      } else {
        noteSecretByPath(abs, secretByPath);
      }
    }
    return failed;
  }

  private void noteSecretByPath(String abs, List<String> secretByPath) {
    if (rules.secrets().match(abs, false) != null) {
      secretByPath.add(abs);
    }
  }

  private boolean ignoredDir(String abs) {
    return rules.ignore().matches(abs, true);
  }

  /** Whether a directory between {@code start} (exclusive) and {@code abs} is ignored. */
  private boolean underIgnoredDir(String start, String abs, Map<String, Boolean> memo) {
    int from = start.equals("/") ? 1 : start.length() + 1;
    for (int slash = abs.indexOf('/', from); slash > 0; slash = abs.indexOf('/', slash + 1)) {
      if (memo.computeIfAbsent(abs.substring(0, slash), this::ignoredDir)) {
        return true;
      }
    }
    return false;
  }

  private List<Finding> unowned(List<String> candidates) throws IOException {
    Map<String, Stat> stats = source.lstat(candidates);
    Map<String, Query> queries = new HashMap<>();
    for (String abs : candidates) {
      Stat st = stats.get(abs);
      if (st != null && st.failure() == null && st.type() == FileType.REGULAR) {
        queries.put(abs, new Query(abs, UNOWNED_DIGEST, false, null));
      }
    }
    Map<Query, Content> content = source.content(queries.values());
    List<Finding> findings = new ArrayList<>();
    for (String abs : candidates) {
      Stat st = stats.get(abs);
      if (st == null) {
        continue; // gone since the walk
      }
      if (st.failure() != null) {
        findings.add(unreadableUnowned(abs, "cannot stat: " + st.failure()));
        continue;
      }
      Query q = queries.get(abs);
      findings.add(unowned(abs, st, q == null ? null : content.get(q)));
    }
    return findings;
  }

  private Finding unowned(String abs, Stat st, Content c) {
    Digest d = null;
    boolean privateKey = false;
    String note = null;
    Set<Check> unchecked = Set.of();
    if (c != null && c.note() != null) {
      note = c.note();
      unchecked = Set.of(Check.DIGEST);
    } else if (c != null) {
      d = c.digest();
      privateKey = Boolean.TRUE.equals(c.privateKey());
    }
    return Verdicts.unowned(
        abs,
        note == null ? Status.UNOWNED : Status.UNREADABLE,
        unchecked,
        observed(st, d),
        Verdicts.secretRule(rules.secrets(), abs, privateKey),
        note == null ? null : note + "; no package owns it");
  }

  private Finding unreadableUnowned(String abs, String why) {
    return Verdicts.unowned(
        abs,
        Status.UNREADABLE,
        EnumSet.allOf(Check.class),
        null,
        Verdicts.secretRule(rules.secrets(), abs, false),
        why);
  }

  // ---- secrets inside content -------------------------------------------------------------

  /**
   * Findings whose content equals that of a file secret by path rule (a copy or hard link of
   * /etc/shadow, of a host key) are secret too, naming the original. Originals are the findings
   * secret by path rule and {@code secretByPath}, the walked files that are not findings; only
   * files of a size some original has are hashed again.
   */
  private List<Finding> copiesOfSecrets(List<Finding> findings, List<String> secretByPath)
      throws IOException {
    Map<String, Long> originals = new HashMap<>();
    for (Finding f : findings) {
      Long size = regularSize(f.actual());
      if (size != null && rules.secrets().match(f.path(), false) != null) {
        originals.put(f.path(), size);
      }
    }
    source
        .lstat(secretByPath)
        .forEach(
            (abs, st) -> {
              if (st.failure() == null && st.type() == FileType.REGULAR && st.size() > 0) {
                originals.put(abs, st.size());
              }
            });
    Set<Long> sizes = Set.copyOf(originals.values());
    List<Finding> suspects = new ArrayList<>();
    Set<String> suspectPaths = new HashSet<>();
    for (Finding f : findings) {
      Long size = regularSize(f.actual());
      if (f.secret() == null && size != null && sizes.contains(size)) {
        suspects.add(f);
        suspectPaths.add(f.path());
      }
    }
    if (suspects.isEmpty()) {
      return findings;
    }
    Set<Long> suspectSizes = suspects.stream().map(f -> f.actual().size()).collect(toSet());
    Map<String, Digest> known = new HashMap<>();
    for (Finding f : findings) {
      Digest d = f.actual() == null ? null : f.actual().digest();
      if (d != null && d.algorithm() == UNOWNED_DIGEST) {
        known.put(f.path(), d);
      }
    }
    Map<String, Query> queries = new HashMap<>();
    originals.forEach(
        (abs, size) -> {
          if (suspectSizes.contains(size) && !known.containsKey(abs)) {
            queries.put(abs, new Query(abs, UNOWNED_DIGEST, false, null));
          }
        });
    for (Finding f : suspects) {
      if (!known.containsKey(f.path())) {
        queries.put(f.path(), new Query(f.path(), UNOWNED_DIGEST, false, null));
      }
    }
    Map<Query, Content> hashed = source.content(queries.values());
    queries.forEach(
        (abs, q) -> {
          Content c = hashed.get(q);
          if (c != null && c.digest() != null) {
            known.put(abs, c.digest());
          }
        });
    // The first original by path names the secret, so the report does not depend on map order.
    Map<Digest, String> originalOf = new HashMap<>();
    originals.keySet().stream()
        .sorted()
        .forEach(
            abs -> {
              Digest d = known.get(abs);
              if (d != null) {
                originalOf.putIfAbsent(d, abs);
              }
            });
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      String original =
          f.secret() == null && suspectPaths.contains(f.path())
              ? originalOf.get(known.get(f.path()))
              : null;
      out.add(original == null ? f : f.withSecret("copy of " + original));
    }
    return out;
  }

  /** The size of a regular, non-empty file as observed, else {@code null}. */
  private static Long regularSize(Finding.Observed o) {
    if (o == null || !"regular".equals(o.type()) || o.size() == null || o.size() == 0) {
      return null;
    }
    return o.size();
  }

  /** Findings whose content would be committed in clear, with the secret values inside it. */
  private List<Finding> inlineSecrets(List<Finding> findings) throws IOException {
    Set<String> wanted = new LinkedHashSet<>();
    for (Finding f : findings) {
      if (ContentSecrets.inClear(f)) {
        wanted.add(f.path());
      }
    }
    Map<String, List<SecretMatch>> found =
        source.withContent(
            wanted, ContentSecrets.MAX_BYTES, (abs, c) -> rules.inline().find(abs, c), warnings);
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      List<SecretMatch> in = ContentSecrets.inClear(f) ? found.get(f.path()) : null;
      out.add(in == null ? f : ContentSecrets.with(f, in));
    }
    return out;
  }

  private Finding.Observed observed(Stat st, Digest d) {
    return new Finding.Observed(
        Verdicts.typeName(st.type()),
        Verdicts.octal(st.permissions()),
        accounts.user(st.uid()),
        accounts.group(st.gid()),
        st.type() == FileType.REGULAR ? st.size() : null,
        st.mtimeSeconds(),
        st.linkTarget(),
        d);
  }
}
