package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.state.AtomicWrite;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers digests by (path, device, inode, size, mtime, ctime), so a repeat scan reads only the
 * files that changed. Any change to a file changes its ctime, so a hit is safe to trust. The file
 * is rewritten atomically (temporary file, then rename).
 */
final class StatCache {
  private static final int MAGIC = 0x4b444332; // "KDC2"

  record Key(String path, DigestAlgorithm algorithm) {}

  record Entry(
      long dev, long ino, long size, long mtimeNanos, long ctimeNanos, Hasher.Result result) {
    boolean matches(FileState s) {
      return dev == s.dev()
          && ino == s.ino()
          && size == s.size()
          && mtimeNanos == s.mtimeNanos()
          && ctimeNanos == s.ctimeNanos();
    }
  }

  private final Path file;
  private final Map<Key, Entry> old;
  private final Map<Key, Entry> fresh;
  private volatile boolean dirty;

  private StatCache(Path file, Map<Key, Entry> old) {
    this.file = file;
    this.old = old;
    this.fresh = new ConcurrentHashMap<>(Math.max(16, old.size() * 2));
  }

  /** A cache that neither reads nor writes anything. */
  static StatCache disabled() {
    return new StatCache(null, Map.of());
  }

  /**
   * Loads the cache; a missing, truncated or foreign file is an empty cache plus a warning in
   * {@code warnings} (never an error: the cache is only an accelerator).
   */
  static StatCache load(Path file, List<String> warnings) {
    Map<Key, Entry> m = new HashMap<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a kickdrift stat cache");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String path = in.readUTF();
        DigestAlgorithm a = DigestAlgorithm.values()[in.readUnsignedByte()];
        long dev = in.readLong();
        long ino = in.readLong();
        long size = in.readLong();
        long mtime = in.readLong();
        long ctime = in.readLong();
        byte keyByte = in.readByte();
        Boolean key = keyByte == 0 ? null : keyByte == 2;
        byte[] d = new byte[a.hexLength() / 2];
        in.readFully(d);
        m.put(
            new Key(path, a),
            new Entry(dev, ino, size, mtime, ctime, new Hasher.Result(Digest.of(a, d), key)));
      }
    } catch (NoSuchFileException e) {
      return new StatCache(file, m);
    } catch (IOException | RuntimeException e) {
      warnings.add(file + ": stat cache unreadable (" + e.getMessage() + "); rebuilt from scratch");
      m.clear();
    }
    return new StatCache(file, m);
  }

  /** A cached result for this file as it is now, or {@code null}. */
  Hasher.Result get(String path, DigestAlgorithm a, FileState s) {
    if (file == null) {
      return null;
    }
    Key k = new Key(path, a);
    Entry e = old.get(k);
    if (e == null || !e.matches(s)) {
      return null;
    }
    fresh.put(k, e);
    return e.result();
  }

  void put(String path, FileState s, Hasher.Result r) {
    if (file == null) {
      return;
    }
    DigestAlgorithm a = r.digest().algorithm();
    fresh.put(
        new Key(path, a), new Entry(s.dev(), s.ino(), s.size(), s.mtimeNanos(), s.ctimeNanos(), r));
    dirty = true;
  }

  /** Writes what this scan saw (entries of files no longer seen are dropped). */
  void save() throws IOException {
    if (file == null || (!dirty && fresh.size() == old.size())) {
      return;
    }
    AtomicWrite.write(
        file,
        raw -> {
          DataOutputStream out = new DataOutputStream(raw);
          out.writeInt(MAGIC);
          out.writeInt(fresh.size());
          for (Map.Entry<Key, Entry> me : fresh.entrySet()) {
            Entry e = me.getValue();
            out.writeUTF(me.getKey().path());
            out.writeByte(me.getKey().algorithm().ordinal());
            out.writeLong(e.dev());
            out.writeLong(e.ino());
            out.writeLong(e.size());
            out.writeLong(e.mtimeNanos());
            out.writeLong(e.ctimeNanos());
            Boolean key = e.result().privateKey();
            out.writeByte(key == null ? 0 : key ? 2 : 1);
            out.write(HexFormat.of().parseHex(e.result().digest().hex()));
          }
          out.flush();
        });
  }

  int size() {
    return old.size();
  }
}
