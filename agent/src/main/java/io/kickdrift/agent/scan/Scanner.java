package io.kickdrift.agent.scan;

import io.kickdrift.agent.host.RootPaths;
import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compares a host's files with what its package database recorded, and finds files no package owns.
 * Hashes in parallel with one open and one sequential read per file; never opens anything but a
 * regular file, so a FIFO or device cannot hang it.
 *
 * <p>Example: {@code Scanner.scan(DpkgReader.read(root), options, "web01")}.
 */
public final class Scanner {
  /** Unowned files are hashed with SHA-256; the config repository keys content by it. */
  static final DigestAlgorithm UNOWNED_DIGEST = DigestAlgorithm.SHA256;

  private static final Pattern LEFTOVER =
      Pattern.compile(
          ".*\\.(dpkg-(old|new|dist|tmp|bak|remove)|ucf-(old|new|dist)|rpm(new|save|orig))$");
  private static final String STAT_ATTRIBUTES =
      "unix:mode,uid,gid,size,lastModifiedTime,ctime,dev,ino";

  private final PackageDatabase db;
  private final ScanOptions options;
  private final Path root;
  private final Accounts accounts;
  private final RootPaths paths;
  private final StatCache cache;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final List<String> leftovers = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong bytesHashed = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();

  private Scanner(PackageDatabase db, ScanOptions options) throws IOException {
    this.db = db;
    this.options = options;
    this.root = options.root();
    this.accounts = Accounts.of(root);
    this.paths = new RootPaths(root);
    this.cache =
        options.statCache() == null
            ? StatCache.disabled()
            : StatCache.load(options.statCache(), warnings);
  }

  /**
   * Scans; problems with single files become findings or warnings, never exceptions.
   *
   * @throws IOException only when the root itself cannot be read
   */
  public static ScanReport scan(PackageDatabase db, ScanOptions options, String host)
      throws IOException {
    return new Scanner(db, options).run(host);
  }

  private ScanReport run(String host) throws IOException {
    long start = System.nanoTime();
    warnings.addAll(db.warnings());
    List<PackageFile> selected =
        db.files().stream().filter(this::inScope).collect(Collectors.toList());
    List<String> candidates = new ArrayList<>();
    List<Finding> walkFindings = new ArrayList<>();
    for (String p : options.unownedPaths()) {
      walk(db.owned().canonical(p), candidates, walkFindings);
    }
    List<Finding> findings = new ArrayList<>();
    findings.addAll(WorkQueue.map(selected, this::verify, options.threads()));
    findings.addAll(WorkQueue.map(candidates, this::unowned, options.threads()));
    findings.addAll(walkFindings);
    findings =
        findings.stream()
            .filter(f -> !options.ignore().matches(f.path(), false))
            .sorted(
                Comparator.comparing(Finding::path)
                    .thenComparing(f -> f.pkg() == null ? "" : f.pkg()))
            .collect(Collectors.toList());
    try {
      cache.save();
    } catch (IOException e) {
      warnings.add(options.statCache() + ": stat cache not saved (" + e.getMessage() + ")");
    }
    List<String> sortedLeftovers = new ArrayList<>(leftovers);
    Collections.sort(sortedLeftovers);
    return new ScanReport(
        ScanReport.SCHEMA,
        host,
        root.toString(),
        db.backend(),
        options.allFiles() ? "all" : "config",
        db.metadataChecked(),
        new ScanReport.Stats(
            selected.size(),
            candidates.size(),
            bytesHashed.get(),
            cacheHits.get(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)),
        findings,
        sortedLeftovers,
        new ArrayList<>(warnings));
  }

  private boolean inScope(PackageFile f) {
    if (f.has(FileFlag.GHOST) || f.has(FileFlag.NOT_INSTALLED)) {
      return false;
    }
    return options.allFiles() || f.isConfig();
  }

  // ---- packaged files ----------------------------------------------------------------------

  private Finding verify(PackageFile f) {
    FileMeta m = f.meta();
    // dpkg records nothing but the name of directories and symlinks: only their existence counts.
    boolean nameOnly = f.digest() == null && m.type() == null && m.permissions() == null;
    Path p;
    FileState st;
    try {
      p = paths.entry(f.actualPath());
      st = lstat(p);
    } catch (NoSuchFileException e) {
      if (f.has(FileFlag.MISSINGOK)) {
        return null;
      }
      return packaged(f, Status.MISSING, Set.of(), Set.of(), null, null, false, null);
    } catch (IOException e) {
      return packaged(
          f,
          Status.UNREADABLE,
          Set.of(),
          EnumSet.allOf(Check.class),
          null,
          null,
          false,
          "cannot stat: " + reason(e));
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

    if (f.digest() != null) {
      Path target = p;
      FileState tst = st;
      if (t == FileType.SYMLINK && m.type() == null) {
        // dpkg opens through links; so do we when the database does not know the type.
        try {
          target = paths.follow(f.actualPath());
          tst = lstat(target);
        } catch (IOException e) {
          tst = null;
          note = "cannot follow link: " + reason(e);
          unreadable = true;
          unchecked.add(Check.DIGEST);
        }
      }
      if (tst != null && tst.type() == FileType.REGULAR) {
        try {
          // Secrets matter where content may end up in the config repository: config files
          // always, other packaged files only once they differ (a 16 KiB read then).
          Hasher.Result r =
              digest(f.actualPath(), target, tst, f.digest().algorithm(), f.isConfig());
          actualDigest = r.digest();
          if (!actualDigest.equals(f.digest())) {
            problems.add(Problem.CONTENT);
            if (r.privateKey() != null) {
              privateKey = r.privateKey();
            } else {
              privateKey = Hasher.sniff(target);
              cache.put(f.actualPath(), tst, new Hasher.Result(actualDigest, privateKey));
            }
          } else {
            privateKey = Boolean.TRUE.equals(r.privateKey());
          }
        } catch (IOException e) {
          unchecked.add(Check.DIGEST);
          note = "cannot read: " + reason(e);
          unreadable = true;
        }
      } else if (tst != null && m.type() == null && t != FileType.SYMLINK) {
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
        st.mtimeSeconds(),
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
      FileState st,
      Digest actualDigest,
      boolean privateKey,
      String note) {
    return Verdicts.packaged(
        f,
        status,
        problems,
        unchecked,
        st == null ? null : observed(st, actualDigest),
        Verdicts.secretRule(options.secrets(), f.path(), privateKey),
        note);
  }

  // ---- unowned files -----------------------------------------------------------------------

  private void walk(String start, List<String> candidates, List<Finding> walkFindings)
      throws IOException {
    Path dir = paths.entry(start);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      warnings.add(start + ": does not exist under " + root + "; nothing to look for there");
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            String abs = hostPath(d);
            if (!d.equals(dir) && options.ignore().matches(abs, true)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String abs = hostPath(file);
            if (abs.indexOf('\uFFFD') >= 0) {
              warnings.add(
                  abs
                      + ": file name is not valid in this JVM's file-name encoding"
                      + " (run with LANG=C.UTF-8); skipped");
              return FileVisitResult.CONTINUE;
            }
            if (db.owned().contains(abs) || db.managedLinks().contains(abs)) {
              return FileVisitResult.CONTINUE;
            }
            if (LEFTOVER.matcher(abs).matches()) {
              leftovers.add(abs);
            } else if (!options.ignore().matches(abs, false)) {
              candidates.add(abs);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            String abs = hostPath(file);
            if (!options.ignore().matches(abs, true)) {
              walkFindings.add(unreadableUnowned(abs, "cannot list: " + reason(e)));
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private Finding unowned(String abs) {
    Path p;
    FileState st;
    try {
      p = paths.entry(abs);
      st = lstat(p);
    } catch (NoSuchFileException e) {
      return null; // gone since the walk
    } catch (IOException e) {
      return unreadableUnowned(abs, "cannot stat: " + reason(e));
    }
    Digest d = null;
    boolean privateKey = false;
    String note = null;
    Set<Check> unchecked = Set.of();
    if (st.type() == FileType.REGULAR) {
      try {
        Hasher.Result r = digest(abs, p, st, UNOWNED_DIGEST, true);
        d = r.digest();
        privateKey = r.privateKey();
      } catch (IOException e) {
        note = "cannot read: " + reason(e);
        unchecked = Set.of(Check.DIGEST);
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
        Verdicts.secretRule(options.secrets(), abs, privateKey),
        note == null ? null : note + "; no package owns it");
  }

  private Finding unreadableUnowned(String abs, String why) {
    return new Finding(
        abs,
        Status.UNREADABLE,
        Set.of(),
        EnumSet.allOf(Check.class),
        null,
        null,
        false,
        null,
        null,
        null,
        Verdicts.secretRule(options.secrets(), abs, false),
        why);
  }

  // ---- shared ------------------------------------------------------------------------------

  private Hasher.Result digest(String path, Path p, FileState st, DigestAlgorithm a, boolean sniff)
      throws IOException {
    Hasher.Result r = cache.get(path, a, st);
    if (r != null) {
      cacheHits.incrementAndGet();
      if (sniff && r.privateKey() == null) {
        r = new Hasher.Result(r.digest(), Hasher.sniff(p));
        cache.put(path, st, r);
      }
      return r;
    }
    r = Hasher.hash(p, a, sniff);
    bytesHashed.addAndGet(st.size());
    cache.put(path, st, r);
    return r;
  }

  private Finding.Observed observed(FileState st, Digest d) {
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

  private String hostPath(Path p) {
    String rel = root.relativize(p).toString();
    return rel.isEmpty() ? "/" : "/" + rel;
  }

  static FileState lstat(Path p) throws IOException {
    return stat(p, LinkOption.NOFOLLOW_LINKS);
  }

  static FileState stat(Path p, LinkOption... options) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, STAT_ATTRIBUTES, options);
    int mode = (Integer) a.get("mode");
    FileType type = FileType.ofMode(mode);
    String link = type == FileType.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
    return new FileState(
        type,
        mode & 07777,
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS),
        (Long) a.get("dev"),
        (Long) a.get("ino"),
        link);
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof FileSystemException) {
      // Its message names the path on the scanning machine (under --root); the reason does not.
      String why = ((FileSystemException) e).getReason();
      return why != null ? why : e.getClass().getSimpleName();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
