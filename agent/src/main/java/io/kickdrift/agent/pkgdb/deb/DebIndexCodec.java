package io.kickdrift.agent.pkgdb.deb;

import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of a {@link DebIndex} file: a magic number and schema version, the body, and a CRC32C
 * of the body, so that a flipped bit is an error rather than a wrong mode trusted. Every count is
 * checked against what is left, so corrupt input fails fast with {@link DebIndexException}.
 */
final class DebIndexCodec {
  static final int MAGIC = 0x4b444449; // "KDDI"
  static final int VERSION = 1;
  private static final int DIGEST_BYTES = 32;

  /** Where an archive file was when its digest was taken: unchanged, it is not hashed again. */
  record Stamp(long size, long mtimeNanos, long inode) {}

  /** What is known of one archive: its entries, all of them or only those asked for so far. */
  record Archive(boolean complete, Map<String, FileMeta> entries) {
    /** The entries among {@code wanted}, if this archive's index can answer for all of them. */
    Map<String, FileMeta> answer(java.util.Set<String> wanted) {
      if (wanted == null) {
        return complete ? entries : null;
      }
      Map<String, FileMeta> out = new HashMap<>();
      for (String w : wanted) {
        FileMeta m = entries.get(w);
        if (m != null) {
          out.put(w, m);
        } else if (!complete) {
          return null;
        }
      }
      return out;
    }
  }

  /**
   * The whole index.
   *
   * @param digests archive path → (stamp, hex SHA-256 of the archive)
   * @param archives hex SHA-256 → what was read from that archive
   */
  record Contents(Map<String, Memo> digests, Map<String, Archive> archives) {}

  record Memo(Stamp stamp, String digest) {}

  private DebIndexCodec() {}

  static byte[] encode(Contents c) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeInt(c.digests().size());
    for (Map.Entry<String, Memo> e : c.digests().entrySet()) {
      out.writeUTF(e.getKey());
      Stamp s = e.getValue().stamp();
      out.writeLong(s.size());
      out.writeLong(s.mtimeNanos());
      out.writeLong(s.inode());
      out.write(hex(e.getValue().digest()));
    }
    out.writeInt(c.archives().size());
    for (Map.Entry<String, Archive> a : c.archives().entrySet()) {
      out.write(hex(a.getKey()));
      out.writeBoolean(a.getValue().complete());
      out.writeInt(a.getValue().entries().size());
      for (Map.Entry<String, FileMeta> f : a.getValue().entries().entrySet()) {
        out.writeUTF(f.getKey());
        writeMeta(out, f.getValue());
      }
    }
    out.flush();
    byte[] b = body.toByteArray();
    ByteArrayOutputStream whole = new ByteArrayOutputStream(b.length + 16);
    DataOutputStream w = new DataOutputStream(whole);
    w.writeInt(MAGIC);
    w.writeInt(VERSION);
    w.write(b);
    w.writeInt(crc(b, 0, b.length));
    w.flush();
    return whole.toByteArray();
  }

  static Contents decode(byte[] bytes) throws DebIndexException {
    if (bytes.length < 12) {
      throw new DebIndexException("truncated: " + bytes.length + " bytes, no header");
    }
    DataInputStream head = new DataInputStream(new ByteArrayInputStream(bytes, 0, 8));
    int magic;
    int version;
    try {
      magic = head.readInt();
      version = head.readInt();
    } catch (IOException e) {
      throw new DebIndexException("truncated header");
    }
    if (magic != MAGIC) {
      throw new DebIndexException(String.format("not a .deb index (magic %08x)", magic));
    }
    if (version != VERSION) {
      throw new DebIndexException("schema version " + version + ", this build reads " + VERSION);
    }
    int bodyEnd = bytes.length - 4;
    int stored =
        ((bytes[bodyEnd] & 0xff) << 24)
            | ((bytes[bodyEnd + 1] & 0xff) << 16)
            | ((bytes[bodyEnd + 2] & 0xff) << 8)
            | (bytes[bodyEnd + 3] & 0xff);
    if (stored != crc(bytes, 8, bodyEnd - 8)) {
      throw new DebIndexException("checksum mismatch: the file is corrupt");
    }
    ByteArrayInputStream raw = new ByteArrayInputStream(bytes, 8, bodyEnd - 8);
    DataInputStream in = new DataInputStream(raw);
    try {
      Map<String, Memo> digests = new HashMap<>();
      int n = count(in, raw, "archive paths");
      for (int i = 0; i < n; i++) {
        String path = in.readUTF();
        Stamp s = new Stamp(in.readLong(), in.readLong(), in.readLong());
        digests.put(path, new Memo(s, hex(readDigest(in))));
      }
      Map<String, Archive> archives = new HashMap<>();
      int na = count(in, raw, "archives");
      for (int i = 0; i < na; i++) {
        String digest = hex(readDigest(in));
        boolean complete = in.readBoolean();
        int ne = count(in, raw, "entries");
        Map<String, FileMeta> entries = new HashMap<>();
        for (int j = 0; j < ne; j++) {
          entries.put(in.readUTF(), readMeta(in));
        }
        archives.put(digest, new Archive(complete, entries));
      }
      if (raw.available() != 0) {
        throw new DebIndexException(raw.available() + " bytes after the last archive");
      }
      return new Contents(digests, archives);
    } catch (EOFException e) {
      throw new DebIndexException("truncated body");
    } catch (DebIndexException e) {
      throw e;
    } catch (IOException e) {
      throw new DebIndexException("corrupt body (" + e.getMessage() + ")");
    }
  }

  /** A count no larger than the bytes left (each item takes at least one). */
  private static int count(DataInputStream in, ByteArrayInputStream raw, String what)
      throws IOException {
    int n = in.readInt();
    if (n < 0 || n > raw.available()) {
      throw new DebIndexException(
          "count of " + what + " " + n + " out of range 0.." + raw.available());
    }
    return n;
  }

  private static byte[] readDigest(DataInputStream in) throws IOException {
    byte[] d = new byte[DIGEST_BYTES];
    in.readFully(d);
    return d;
  }

  // Presence bits of the nullable fields of a FileMeta.
  private static final int TYPE = 1;
  private static final int PERMS = 2;
  private static final int USER = 4;
  private static final int GROUP = 8;
  private static final int LINK = 16;
  private static final int SIZE = 32;
  private static final int MTIME = 64;

  private static void writeMeta(DataOutputStream out, FileMeta m) throws IOException {
    int bits =
        (m.type() != null ? TYPE : 0)
            | (m.permissions() != null ? PERMS : 0)
            | (m.user() != null ? USER : 0)
            | (m.group() != null ? GROUP : 0)
            | (m.linkTarget() != null ? LINK : 0)
            | (m.size() != null ? SIZE : 0)
            | (m.mtime() != null ? MTIME : 0);
    out.writeByte(bits);
    if (m.type() != null) {
      out.writeByte(m.type().ordinal());
    }
    if (m.permissions() != null) {
      out.writeInt(m.permissions());
    }
    if (m.user() != null) {
      out.writeUTF(m.user());
    }
    if (m.group() != null) {
      out.writeUTF(m.group());
    }
    if (m.linkTarget() != null) {
      out.writeUTF(m.linkTarget());
    }
    if (m.size() != null) {
      out.writeLong(m.size());
    }
    if (m.mtime() != null) {
      out.writeLong(m.mtime());
    }
  }

  private static FileMeta readMeta(DataInputStream in) throws IOException {
    int bits = in.readUnsignedByte();
    if (bits > 127) {
      throw new DebIndexException("field bits " + bits + " out of range 0..127");
    }
    FileType type = null;
    if ((bits & TYPE) != 0) {
      int t = in.readUnsignedByte();
      if (t >= FileType.values().length) {
        throw new DebIndexException("file type " + t + " out of range");
      }
      type = FileType.values()[t];
    }
    Integer perms = (bits & PERMS) != 0 ? in.readInt() : null;
    String user = (bits & USER) != 0 ? in.readUTF() : null;
    String group = (bits & GROUP) != 0 ? in.readUTF() : null;
    String link = (bits & LINK) != 0 ? in.readUTF() : null;
    Long size = (bits & SIZE) != 0 ? in.readLong() : null;
    Long mtime = (bits & MTIME) != 0 ? in.readLong() : null;
    return new FileMeta(type, perms, user, group, link, size, mtime);
  }

  private static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
