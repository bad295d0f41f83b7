package io.kickdrift.agent.scan;

import io.kickdrift.agent.host.RootPaths;
import io.kickdrift.agent.pkgdb.FileType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Observations of a tree on this machine, under a root: lstat and reads on a few threads, digests
 * kept in a {@link StatCache}. Never opens anything but a regular file, so a FIFO or device cannot
 * hang the scan.
 */
final class LocalTree extends Observations {
  private static final String STAT_ATTRIBUTES =
      "unix:mode,uid,gid,size,lastModifiedTime,ctime,dev,ino";

  private final Path root;
  private final RootPaths paths;
  private final int threads;
  private final Path cacheFile;
  private final StatCache cache;
  private final List<String> openingWarnings = new ArrayList<>();

  /** What lstat saw of each path: the stat cache's key when the file is read afterwards. */
  private final Map<String, FileState> seen = new ConcurrentHashMap<>();

  LocalTree(ScanOptions options) throws IOException {
    super(options.root().toString(), Accounts.of(options.root()));
    this.root = options.root();
    this.paths = new RootPaths(root);
    this.threads = options.threads();
    this.cacheFile = options.statCache();
    this.cache =
        cacheFile == null ? StatCache.disabled() : StatCache.load(cacheFile, openingWarnings);
  }

  @Override
  protected List<String> openingWarnings() {
    return openingWarnings;
  }

  @Override
  protected void finish(List<String> warnings) {
    try {
      cache.save();
    } catch (IOException e) {
      warnings.add(cacheFile + ": stat cache not saved (" + e.getMessage() + ")");
    }
  }

  @Override
  protected Map<String, Stat> lstat(Collection<String> paths) throws IOException {
    List<Map.Entry<String, Stat>> found =
        WorkQueue.map(List.copyOf(paths), this::lstatOne, threads);
    Map<String, Stat> out = new HashMap<>();
    found.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private Map.Entry<String, Stat> lstatOne(String abs) {
    try {
      FileState st = lstat(paths.entry(abs));
      seen.put(abs, st);
      return new SimpleImmutableEntry<>(abs, st.stat());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return new SimpleImmutableEntry<>(abs, Stat.failed(reason(e)));
    }
  }

  @Override
  protected Map<String, String> readTexts(Collection<String> texts) {
    Map<String, String> out = new HashMap<>();
    for (String abs : texts) {
      try {
        Path p = paths.entry(abs);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(abs, Files.readString(p, StandardCharsets.ISO_8859_1));
        }
      } catch (IOException e) {
        // nothing to read: what it would have explained stays a finding
      }
    }
    return out;
  }

  @Override
  protected Map<Query, Content> content(Collection<Query> queries) throws IOException {
    List<Map.Entry<Query, Content>> read =
        WorkQueue.map(List.copyOf(queries), q -> new SimpleImmutableEntry<>(q, read(q)), threads);
    Map<Query, Content> out = new HashMap<>();
    read.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private Content read(Query q) {
    Path target;
    FileState st;
    if (q.followLink()) {
      try {
        target = paths.follow(q.path());
        st = lstat(target);
      } catch (IOException e) {
        return Content.unfollowable(reason(e));
      }
    } else {
      try {
        target = paths.entry(q.path());
        st = seen.containsKey(q.path()) ? seen.get(q.path()) : lstat(target);
      } catch (IOException e) {
        return Content.unreadable(reason(e));
      }
    }
    if (st.type() != FileType.REGULAR) {
      return Content.notRegular();
    }
    try {
      Hasher.Result r = digest(q, target, st, q.sniffUnless() == null);
      if (r.privateKey() == null && !r.digest().equals(q.sniffUnless())) {
        r = new Hasher.Result(r.digest(), Hasher.sniff(target));
        cache.put(q.path(), st, r);
      }
      return Content.of(r.digest(), r.privateKey());
    } catch (IOException e) {
      return Content.unreadable(reason(e));
    }
  }

  @Override
  protected <T> Map<String, T> withContent(
      Collection<String> files, int limit, BiFunction<String, byte[], T> use, List<String> warnings)
      throws IOException {
    List<Map.Entry<String, T>> done =
        WorkQueue.map(
            List.copyOf(files),
            abs -> {
              try {
                byte[] c = readUpTo(paths.entry(abs), limit);
                return c == null ? null : new SimpleImmutableEntry<>(abs, use.apply(abs, c));
              } catch (NoSuchFileException e) {
                return null; // gone since the scan looked
              } catch (IOException e) {
                synchronized (warnings) {
                  warnings.add(abs + ": not searched for secret values: " + reason(e));
                }
                return null;
              }
            },
            threads);
    Map<String, T> out = new HashMap<>();
    done.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * The content of the regular file {@code p}, or {@code null} when it is larger or not regular.
   */
  private static byte[] readUpTo(Path p, int limit) throws IOException {
    FileState st = lstat(p);
    if (st.type() != FileType.REGULAR || st.size() > limit) {
      return null;
    }
    // NOFOLLOW: the file may have been replaced by a link since lstat; never read through it.
    try (InputStream in =
        Channels.newInputStream(
            Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      byte[] c = in.readNBytes(limit + 1);
      return c.length > limit ? null : c;
    }
  }

  private Hasher.Result digest(Query q, Path p, FileState st, boolean sniff) throws IOException {
    Hasher.Result r = cache.get(q.path(), q.algorithm(), st);
    if (r != null) {
      cacheHit();
      if (sniff && r.privateKey() == null) {
        r = new Hasher.Result(r.digest(), Hasher.sniff(p));
        cache.put(q.path(), st, r);
      }
      return r;
    }
    r = Hasher.hash(p, q.algorithm(), sniff);
    hashed(st.size());
    cache.put(q.path(), st, r);
    return r;
  }

  @Override
  protected List<Listed> list(
      List<String> starts, Predicate<String> ignoredDir, List<String> warnings) throws IOException {
    List<Listed> out = new ArrayList<>();
    for (String start : starts) {
      Path dir = paths.entry(start);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        out.add(Listed.missingStart(start));
        continue;
      }
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              if (!d.equals(dir) && ignoredDir.test(hostPath(d))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              out.add(Listed.file(start, hostPath(file)));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              out.add(Listed.failed(start, hostPath(file), reason(e)));
              return FileVisitResult.CONTINUE;
            }
          });
    }
    return out;
  }

  private String hostPath(Path p) {
    String rel = root.relativize(p).toString();
    return rel.isEmpty() ? "/" : "/" + rel;
  }

  static FileState lstat(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, STAT_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
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
