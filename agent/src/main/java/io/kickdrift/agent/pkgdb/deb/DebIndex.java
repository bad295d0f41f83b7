package io.kickdrift.agent.pkgdb.deb;

import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Archive;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Contents;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Memo;
import io.kickdrift.agent.pkgdb.deb.DebIndexCodec.Stamp;
import io.kickdrift.agent.state.AtomicWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What scans read from .deb archives, kept in the state cache by the SHA-256 of each archive, so a
 * package archive is read once however often the package database changes. A (size, mtime, inode)
 * memo per archive path spares hashing an unchanged archive again. A corrupt index, or one of
 * another schema version, is ignored with a warning and rebuilt.
 *
 * <pre>{@code
 * DebIndex index = DebIndex.at(state.debIndex());
 * Map<String, FileMeta> meta = index.meta(deb, Set.of("/etc/ssh/sshd_config"));
 * warnings.addAll(index.save());
 * }</pre>
 */
public final class DebIndex {
  private final Path file;
  private final Map<String, Memo> digests = new ConcurrentHashMap<>();
  private final Map<String, Archive> archives = new ConcurrentHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final AtomicInteger archiveReads = new AtomicInteger();
  private boolean loaded;
  private volatile boolean changed;

  private DebIndex(Path file) {
    this.file = file;
  }

  /** The index kept in {@code file}; read on first use. */
  public static DebIndex at(Path file) {
    return new DebIndex(file);
  }

  /**
   * As {@link DebArchive#read(Path, Set)}, answered from the index when this archive's content was
   * read before (by any name), else read and remembered. Safe to call from several threads.
   */
  public Map<String, FileMeta> meta(Path deb, Set<String> wanted) throws IOException {
    load();
    Stamp before = stamp(deb);
    String digest = digestOf(deb, before);
    Archive known = archives.get(digest);
    Map<String, FileMeta> answer = known == null ? null : known.answer(wanted);
    if (answer != null) {
      return answer;
    }
    archiveReads.incrementAndGet();
    Map<String, FileMeta> read = DebArchive.read(deb, wanted);
    if (!before.equals(stamp(deb))) {
      // The archive changed while it was read: what was read belongs to no digest we know.
      digests.remove(deb.toString());
      return read;
    }
    // A read for some paths that ended before finding them all went through the whole archive.
    boolean complete = wanted == null || read.size() < wanted.size();
    Map<String, FileMeta> entries = new HashMap<>(read);
    if (known != null && !complete) {
      entries.putAll(known.entries());
    }
    archives.put(digest, new Archive(complete || (known != null && known.complete()), entries));
    changed = true;
    return read;
  }

  /**
   * Writes the index if it changed (or was unreadable), keeping only archives that still exist.
   *
   * @return warnings: why an old index was ignored, why the new one could not be written
   */
  public synchronized List<String> save() {
    List<String> out = new ArrayList<>(problems);
    problems.clear();
    if (!changed && out.isEmpty()) {
      return out;
    }
    Map<String, Memo> keptDigests = new HashMap<>();
    Map<String, Archive> keptArchives = new HashMap<>();
    for (Map.Entry<String, Memo> e : digests.entrySet()) {
      Archive a = archives.get(e.getValue().digest());
      if (a != null && Files.isRegularFile(Path.of(e.getKey()))) {
        keptDigests.put(e.getKey(), e.getValue());
        keptArchives.put(e.getValue().digest(), a);
      }
    }
    try {
      AtomicWrite.write(file, DebIndexCodec.encode(new Contents(keptDigests, keptArchives)));
      changed = false;
    } catch (IOException | RuntimeException e) {
      out.add(file + ": .deb index not written (" + e.getMessage() + ")");
    }
    return out;
  }

  /** How many archives this index had to open (not answered from the index). */
  int archiveReads() {
    return archiveReads.get();
  }

  private synchronized void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    try {
      Contents c = DebIndexCodec.decode(Files.readAllBytes(file));
      digests.putAll(c.digests());
      archives.putAll(c.archives());
    } catch (NoSuchFileException e) {
      // the first scan with this state directory
    } catch (IOException | RuntimeException e) {
      problems.add(file + ": .deb index ignored and rebuilt (" + e.getMessage() + ")");
      changed = true;
    }
  }

  private String digestOf(Path deb, Stamp stamp) throws IOException {
    Memo m = digests.get(deb.toString());
    if (m != null && m.stamp().equals(stamp)) {
      return m.digest();
    }
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(deb)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new IOException(deb + ": not a readable .deb (" + e.getMessage() + ")", e);
    }
    String digest = HexFormat.of().formatHex(md.digest());
    digests.put(deb.toString(), new Memo(stamp, digest));
    changed = true;
    return digest;
  }

  private static Stamp stamp(Path deb) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(deb, "unix:size,lastModifiedTime,ino");
    } catch (IOException e) {
      throw new IOException(deb + ": not a readable .deb (" + e.getMessage() + ")", e);
    }
    return new Stamp(
        (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        (Long) a.get("ino"));
  }
}
