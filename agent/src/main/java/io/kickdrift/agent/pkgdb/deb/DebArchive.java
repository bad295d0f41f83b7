package io.kickdrift.agent.pkgdb.deb;

import io.airlift.compress.zstd.ZstdInputStream;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads what a .deb says about its files (type, mode, owner, group, link target, size): the
 * metadata dpkg's database does not keep, and the packaged content of single files.
 */
public final class DebArchive {
  private DebArchive() {}

  /**
   * Reads the data member's entries for the given paths, stopping once all are found (data members
   * are sorted, so config files under /etc come early).
   *
   * @param wanted absolute paths; {@code null} for every entry
   * @throws IOException on a file that is not a .deb, naming it and what was expected
   */
  public static Map<String, FileMeta> read(Path deb, Set<String> wanted) throws IOException {
    try (InputStream in = open(deb)) {
      return read(deb.toString(), in, wanted);
    }
  }

  /** As {@link #read(Path, Set)}, from a stream; {@code deb} names it in errors. */
  static Map<String, FileMeta> read(String deb, InputStream in, Set<String> wanted)
      throws IOException {
    return withData(deb, in, tar -> readTar(tar, wanted));
  }

  /**
   * The content of the regular files among {@code wanted}, stopping once all are found; links, hard
   * links and files larger than {@code maxSize} are left out.
   *
   * @throws IOException on a file that is not a .deb, naming it
   */
  public static Map<String, byte[]> contents(Path deb, Set<String> wanted, long maxSize)
      throws IOException {
    try (InputStream in = open(deb)) {
      return contents(deb.toString(), in, wanted, maxSize);
    }
  }

  /** As {@link #contents(Path, Set, long)}, from a stream; {@code deb} names it in errors. */
  static Map<String, byte[]> contents(String deb, InputStream in, Set<String> wanted, long maxSize)
      throws IOException {
    return withData(
        deb,
        in,
        tar -> {
          Map<String, byte[]> out = new HashMap<>();
          int seen = 0;
          TarArchiveEntry t;
          while (seen < wanted.size() && (t = tar.getNextEntry()) != null) {
            String path = normalise(t.getName());
            if (path == null || !wanted.contains(path)) {
              continue;
            }
            seen++;
            if (t.isFile() && !t.isLink() && t.getSize() <= maxSize) {
              out.put(path, tar.readAllBytes());
            }
          }
          return out;
        });
  }

  private interface DataReader<T> {
    T read(TarArchiveInputStream tar) throws IOException;
  }

  private static InputStream open(Path deb) throws IOException {
    try {
      return new BufferedInputStream(Files.newInputStream(deb), 1 << 16);
    } catch (IOException e) {
      throw new IOException(deb + ": not a readable .deb (" + e.getMessage() + ")", e);
    }
  }

  /** Finds the data member of the .deb in {@code in} and hands its tar stream to {@code reader}. */
  private static <T> T withData(String deb, InputStream in, DataReader<T> reader)
      throws IOException {
    try (ArArchiveInputStream ar = new ArArchiveInputStream(in)) {
      ArArchiveEntry e;
      while ((e = ar.getNextEntry()) != null) {
        String name = e.getName();
        if (name.startsWith("data.tar")) {
          return reader.read(new TarArchiveInputStream(decompress(deb, name, ar)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // The ar and tar readers and the decompressors report corrupt input with IOExceptions, and
      // some (aircompressor's zstd) with unchecked ones.
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new IOException(deb + ": not a readable .deb (" + why + ")", e);
    }
    throw new IOException(deb + ": no data.tar member; expected a .deb archive");
  }

  private static InputStream decompress(String deb, String member, InputStream in)
      throws IOException {
    if (member.equals("data.tar")) {
      return in;
    }
    if (member.endsWith(".xz")) {
      return new XZCompressorInputStream(in);
    }
    if (member.endsWith(".gz")) {
      return new GzipCompressorInputStream(in);
    }
    if (member.endsWith(".bz2")) {
      return new BZip2CompressorInputStream(in);
    }
    if (member.endsWith(".zst")) {
      return new ZstdInputStream(in);
    }
    throw new IOException(
        deb + ": member " + member + " uses a compression this build cannot read");
  }

  private static Map<String, FileMeta> readTar(TarArchiveInputStream tar, Set<String> wanted)
      throws IOException {
    Map<String, FileMeta> out = new HashMap<>();
    TarArchiveEntry t;
    while ((t = tar.getNextEntry()) != null) {
      String path = normalise(t.getName());
      if (path == null || (wanted != null && !wanted.contains(path))) {
        continue;
      }
      out.put(path, meta(t));
      if (wanted != null && out.size() == wanted.size()) {
        break;
      }
    }
    return out;
  }

  static FileMeta meta(TarArchiveEntry t) {
    FileType type;
    String link = null;
    Long size = null;
    if (t.isSymbolicLink()) {
      type = FileType.SYMLINK;
      link = t.getLinkName();
    } else if (t.isDirectory()) {
      type = FileType.DIRECTORY;
    } else if (t.isFIFO()) {
      type = FileType.FIFO;
    } else if (t.isCharacterDevice()) {
      type = FileType.CHAR_DEVICE;
    } else if (t.isBlockDevice()) {
      type = FileType.BLOCK_DEVICE;
    } else {
      // Hard links in a data member are regular files with another name.
      type = FileType.REGULAR;
      size = t.isLink() ? null : t.getSize();
    }
    String user = t.getUserName().isEmpty() ? "#" + t.getLongUserId() : t.getUserName();
    String group = t.getGroupName().isEmpty() ? "#" + t.getLongGroupId() : t.getGroupName();
    // dpkg gives each unpacked file its archive mtime, so rpm's T column applies too.
    Long mtime = type == FileType.REGULAR ? t.getLastModifiedTime().toMillis() / 1000 : null;
    return new FileMeta(type, t.getMode() & 07777, user, group, link, size, mtime);
  }

  /** {@code ./etc/x} and {@code etc/x/} become {@code /etc/x}; the top directory is dropped. */
  static String normalise(String name) {
    String s = name;
    if (s.startsWith("./")) {
      s = s.substring(1);
    } else if (!s.startsWith("/")) {
      s = "/" + s;
    }
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.equals("/") || s.equals("/.") ? null : s;
  }
}
