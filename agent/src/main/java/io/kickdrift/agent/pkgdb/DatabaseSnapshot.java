package io.kickdrift.agent.pkgdb;

import io.kickdrift.agent.state.AtomicWrite;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A parsed package database kept on disk between scans, valid while every file the database is made
 * of is unchanged (name, size, mtime, ctime and inode of each, fingerprinted). A repeat scan then
 * skips reading some 1,500 dpkg files. Any read problem means "no snapshot", never an error; writes
 * are atomic.
 */
final class DatabaseSnapshot {
  private static final int MAGIC = 0x4b445331; // "KDS1"

  /** Directories, relative to the root, whose entries make up a package database. */
  static final List<String> DIRECTORIES =
      List.of(
          "var/lib/dpkg/updates",
          "var/lib/dpkg/info",
          "var/lib/dpkg/alternatives",
          "var/lib/rpm",
          "usr/lib/sysimage/rpm");

  /** Single files, and the merged-/usr links, whose state matters too. */
  static final List<String> FILES =
      List.of(
          "var/lib/dpkg/status",
          "var/lib/dpkg/diversions",
          "var/lib/dpkg/statoverride",
          "var/lib/ucf/hashfile",
          "var/lib/ucf/registry",
          "bin",
          "sbin",
          "lib",
          "lib32",
          "lib64",
          "libx32");

  private DatabaseSnapshot() {}

  /**
   * The fingerprint of the database under {@code root} as it is now, plus whatever else changes
   * what a reader returns ({@code context}: scope, the .deb directories).
   */
  public static byte[] fingerprint(Path root, String context, List<Path> extraDirs)
      throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    md.update(context.getBytes(StandardCharsets.UTF_8));
    for (String s : DIRECTORIES) {
      addState(md, root.resolve(s), s, true);
    }
    for (String s : FILES) {
      addState(md, root.resolve(s), s, false);
    }
    for (Path d : extraDirs) {
      addState(md, d, d.toString(), true);
    }
    return md.digest();
  }

  private static void addState(MessageDigest md, Path p, String name, boolean descend)
      throws IOException {
    Map<String, Object> a;
    try {
      a =
          Files.readAttributes(
              p, "unix:size,lastModifiedTime,ctime,ino,mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      md.update((name + "\0absent\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    String line =
        name
            + "\0"
            + a.get("size")
            + "\0"
            + ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)
            + "\0"
            + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS)
            + "\0"
            + a.get("ino")
            + "\0"
            + a.get("mode")
            + "\n";
    md.update(line.getBytes(StandardCharsets.UTF_8));
    if (descend && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        ds.forEach(children::add);
      }
      children.sort(null);
      for (Path c : children) {
        addState(md, c, name + "/" + c.getFileName(), false);
      }
    }
  }

  /** The snapshot in {@code file} if it was made from a database with this fingerprint. */
  public static PackageDatabase load(Path file, byte[] fingerprint) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        return null;
      }
      byte[] fp = new byte[in.readUnsignedByte()];
      in.readFully(fp);
      if (!Arrays.equals(fp, fingerprint)) {
        return null;
      }
      return read(in);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Writes {@code db} with its fingerprint, atomically; failures are returned, not thrown. */
  public static String save(Path file, byte[] fingerprint, PackageDatabase db) {
    try {
      AtomicWrite.write(
          file,
          raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(MAGIC);
            out.writeByte(fingerprint.length);
            out.write(fingerprint);
            write(out, db);
            out.flush();
          });
      return null;
    } catch (IOException e) {
      return file + ": package database snapshot not saved (" + e.getMessage() + ")";
    }
  }

  // ---- format ------------------------------------------------------------------------------

  private static void write(DataOutputStream out, PackageDatabase db) throws IOException {
    out.writeUTF(db.backend().label());
    out.writeBoolean(db.metadataChecked());
    writeStrings(out, db.warnings());
    writeStrings(out, new ArrayList<>(db.managedLinks()));
    writeStrings(out, new ArrayList<>(db.owned().aliasedDirs()));
    writeStrings(out, new ArrayList<>(db.owned().paths()));
    Map<String, Integer> table = new HashMap<>();
    List<String> strings = new ArrayList<>();
    for (PackageFile f : db.files()) {
      intern(f.pkg(), table, strings);
      intern(f.version(), table, strings);
    }
    writeStrings(out, strings);
    out.writeInt(db.files().size());
    for (PackageFile f : db.files()) {
      out.writeUTF(f.path());
      boolean moved = !f.actualPath().equals(f.path());
      out.writeBoolean(moved);
      if (moved) {
        out.writeUTF(f.actualPath());
      }
      out.writeInt(table.get(f.pkg()));
      out.writeInt(table.get(f.version()));
      int flags = 0;
      for (FileFlag fl : f.flags()) {
        flags |= 1 << fl.ordinal();
      }
      out.writeInt(flags);
      Digest d = f.digest();
      out.writeByte(d == null ? -1 : d.algorithm().ordinal());
      if (d != null) {
        out.writeUTF(d.hex());
      }
      FileMeta m = f.meta();
      out.writeByte(m.type() == null ? -1 : m.type().ordinal());
      writeNullable(out, m.permissions() == null ? null : (long) m.permissions());
      writeNullable(out, m.user());
      writeNullable(out, m.group());
      writeNullable(out, m.linkTarget());
      writeNullable(out, m.size());
      writeNullable(out, m.mtime());
    }
  }

  private static PackageDatabase read(DataInputStream in) throws IOException {
    PackageSource backend = PackageSource.ofLabel(in.readUTF());
    boolean metadata = in.readBoolean();
    List<String> warnings = readStrings(in);
    Set<String> links = new HashSet<>(readStrings(in));
    Set<String> aliased = new HashSet<>(readStrings(in));
    List<String> ownedList = readStrings(in);
    List<String> strings = readStrings(in);
    int n = in.readInt();
    List<PackageFile> files = new ArrayList<>(n);
    FileFlag[] allFlags = FileFlag.values();
    for (int i = 0; i < n; i++) {
      String path = in.readUTF();
      String actual = in.readBoolean() ? in.readUTF() : path;
      String pkg = strings.get(in.readInt());
      String version = strings.get(in.readInt());
      int bits = in.readInt();
      EnumSet<FileFlag> flags = EnumSet.noneOf(FileFlag.class);
      for (FileFlag fl : allFlags) {
        if ((bits & (1 << fl.ordinal())) != 0) {
          flags.add(fl);
        }
      }
      int algo = in.readByte();
      Digest digest = algo < 0 ? null : new Digest(DigestAlgorithm.values()[algo], in.readUTF());
      int type = in.readByte();
      Long perms = readLong(in);
      FileMeta meta =
          new FileMeta(
              type < 0 ? null : FileType.values()[type],
              perms == null ? null : perms.intValue(),
              readString(in),
              readString(in),
              readString(in),
              readLong(in),
              readLong(in));
      files.add(new PackageFile(path, pkg, version, digest, flags, meta, actual));
    }
    return new PackageDatabase(
        backend,
        files,
        OwnedPaths.ofCanonical(new HashSet<>(ownedList), aliased),
        links,
        warnings,
        metadata);
  }

  private static void intern(String s, Map<String, Integer> table, List<String> strings) {
    if (!table.containsKey(s)) {
      table.put(s, strings.size());
      strings.add(s);
    }
  }

  private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      out.writeUTF(s);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }

  private static void writeNullable(DataOutputStream out, Object v) throws IOException {
    out.writeBoolean(v != null);
    if (v instanceof String) {
      out.writeUTF((String) v);
    } else if (v != null) {
      out.writeLong((Long) v);
    }
  }

  private static String readString(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static Long readLong(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }
}
