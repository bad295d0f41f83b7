package io.kickdrift.agent.pkgdb.rpm;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads .rpm package files: the 96-byte lead, the signature header (padded to 8 bytes), the main
 * header, then the payload, a cpio (newc) archive compressed with xz, zstd, gzip, bzip2 or nothing.
 *
 * <p>Example: {@code RpmArchive.contents(Path.of("x-1.0-1.noarch.rpm"), Set.of("/etc/x.conf"), 16
 * << 20)}.
 */
public final class RpmArchive {
  static final int LEAD_SIZE = 96;

  private static final byte[] LEAD_MAGIC = {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb};
  private static final byte[] HEADER_MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 0x01};

  /** The lead's signature type for a signature in header form, the only one rpm still reads. */
  private static final int SIGTYPE_HEADERSIG = 5;

  private static final int HEADER_INTRO = 16;

  private RpmArchive() {}

  /**
   * What a package file's main header says about it.
   *
   * @param epoch {@code null} when the package has none
   * @param arch {@code null} when the package has none
   * @param payloadCompressor {@code null} when the header does not say
   * @param paths every file the package lists, absolute
   */
  public record Info(
      String name,
      Integer epoch,
      String version,
      String release,
      String arch,
      String payloadFormat,
      String payloadCompressor,
      List<String> paths) {

    public Info {
      paths = List.copyOf(paths);
    }

    /** {@code [epoch:]version-release}, as rpm prints EVR and the scan reports versions. */
    public String evr() {
      return (epoch == null ? "" : epoch + ":") + version + "-" + release;
    }
  }

  /**
   * Reads the lead and the headers of {@code rpm}, not the payload.
   *
   * @throws RpmParseException naming the file and what was expected
   */
  public static Info info(Path rpm) throws IOException {
    try (InputStream in = open(rpm)) {
      return readHeaders(in);
    } catch (RpmParseException e) {
      throw named(rpm, e);
    }
  }

  /**
   * The content of the regular files among {@code wanted}, stopping once all are found; other types
   * and files larger than {@code maxSize} are left out, as are files the payload lacks ({@code
   * %ghost}).
   *
   * @throws RpmParseException naming the file and what was expected
   */
  public static Map<String, byte[]> contents(Path rpm, Set<String> wanted, long maxSize)
      throws IOException {
    try (InputStream in = open(rpm)) {
      return contents(in, wanted, maxSize);
    } catch (RpmParseException e) {
      throw named(rpm, e);
    }
  }

  /** Reads a package file from {@code in} up to its payload. */
  static Info readHeaders(InputStream in) throws IOException {
    byte[] lead = in.readNBytes(LEAD_SIZE);
    if (lead.length < LEAD_SIZE) {
      throw new RpmParseException(
          "not an rpm: truncated lead, " + lead.length + " bytes of " + LEAD_SIZE);
    }
    if (!startsWith(lead, LEAD_MAGIC)) {
      throw new RpmParseException("not an rpm: bad lead magic");
    }
    int sigType = ByteBuffer.wrap(lead).getShort(78) & 0xffff;
    if (sigType != SIGTYPE_HEADERSIG) {
      throw new RpmParseException(
          "lead: signature type " + sigType + " not supported, expected " + SIGTYPE_HEADERSIG);
    }
    byte[] sig = readHeaderBlob(in, "signature");
    int dl = ByteBuffer.wrap(sig).getInt(4);
    int pad = (8 - dl % 8) % 8;
    if (in.readNBytes(pad).length < pad) {
      throw new RpmParseException("truncated: no main header after the signature");
    }
    byte[] mainBlob = readHeaderBlob(in, "main");
    RpmHeader main;
    try {
      main = RpmHeader.decode(mainBlob);
    } catch (RpmParseException e) {
      throw new RpmParseException("main header: " + e.getMessage());
    }
    RpmPackage p = RpmPackages.fromHeader(main);
    return new Info(
        p.name(),
        p.epoch(),
        p.version(),
        p.release(),
        p.arch(),
        main.string(RpmTag.PAYLOADFORMAT).orElse("cpio"),
        main.string(RpmTag.PAYLOADCOMPRESSOR).orElse(null),
        p.files().stream().map(RpmFile::path).toList());
  }

  /** Reads a package file from {@code in}: its headers, then the payload up to the last wanted. */
  static Map<String, byte[]> contents(InputStream in, Set<String> wanted, long maxSize)
      throws IOException {
    Info info = readHeaders(in);
    if (!info.payloadFormat().equals("cpio")) {
      throw new RpmParseException(
          "payload format '" + info.payloadFormat() + "' not supported, expected cpio");
    }
    InputStream payload = decompress(in, info.payloadCompressor());
    try {
      return readCpio(payload, wanted, maxSize);
    } catch (RpmParseException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The decompressors and the cpio reader report corrupt input with IOExceptions of their own,
      // and some (zstd, cpio sizes) with unchecked ones.
      throw new RpmParseException(
          "bad " + describe(info.payloadCompressor()) + " cpio payload: " + reason(e));
    }
  }

  private static byte[] readHeaderBlob(InputStream in, String which) throws IOException {
    byte[] intro = in.readNBytes(HEADER_INTRO);
    if (intro.length < HEADER_INTRO) {
      throw new RpmParseException(
          "truncated " + which + " header: " + intro.length + " bytes of its 16-byte intro");
    }
    if (!startsWith(intro, HEADER_MAGIC)) {
      throw new RpmParseException("bad " + which + " header magic");
    }
    ByteBuffer b = ByteBuffer.wrap(intro);
    int il = b.getInt(8);
    int dl = b.getInt(12);
    if (il < 1 || il > RpmHeader.MAX_INDEX_ENTRIES) {
      throw new RpmParseException(
          which + " header: index count " + il + " out of range 1.." + RpmHeader.MAX_INDEX_ENTRIES);
    }
    if (dl < 0 || dl > RpmHeader.MAX_DATA_LENGTH) {
      throw new RpmParseException(
          which + " header: data length " + dl + " out of range 0.." + RpmHeader.MAX_DATA_LENGTH);
    }
    int rest = 16 * il + dl;
    // readNBytes(int) grows its buffer as bytes arrive, so a lying length costs no memory.
    byte[] body = in.readNBytes(rest);
    if (body.length < rest) {
      throw new RpmParseException(
          "truncated " + which + " header: " + body.length + " bytes of " + rest);
    }
    byte[] blob = new byte[8 + rest];
    System.arraycopy(intro, 8, blob, 0, 8);
    System.arraycopy(body, 0, blob, 8, rest);
    return blob;
  }

  private static InputStream decompress(InputStream in, String compressor) throws IOException {
    InputStream b = in.markSupported() ? in : new BufferedInputStream(in);
    String c = compressor;
    if (c == null) {
      // Old packages leave the tag out and mean gzip; rpmbuild's w0.ufdio leaves it out too and
      // writes plain cpio (rpm's gzdio reads both). The first two bytes tell.
      b.mark(2);
      int m1 = b.read();
      int m2 = b.read();
      b.reset();
      c = m1 == 0x1f && m2 == 0x8b ? "gzip" : "identity";
    }
    try {
      return switch (c) {
        case "gzip" -> new GzipCompressorInputStream(b, true);
        case "bzip2" -> new BZip2CompressorInputStream(b, true);
        case "xz" -> new XZCompressorInputStream(b, true);
        case "zstd" -> new ZstdInputStream(b);
        case "identity" -> b;
        default -> throw new RpmParseException("payload compressor '" + c + "' not supported");
      };
    } catch (RpmParseException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RpmParseException("bad " + c + " cpio payload: " + reason(e));
    }
  }

  private static Map<String, byte[]> readCpio(InputStream payload, Set<String> wanted, long maxSize)
      throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    // newc stores a hard-linked file's content with its last link; the others come empty.
    Map<Long, List<String>> waiting = new HashMap<>();
    int found = 0;
    try (CpioArchiveInputStream cpio =
        new CpioArchiveInputStream(payload, StandardCharsets.UTF_8.name())) {
      CpioArchiveEntry e;
      while (found < wanted.size() && (e = cpio.getNextEntry()) != null) {
        String path = normalise(e.getName());
        boolean want = path != null && wanted.contains(path);
        List<String> takers = new ArrayList<>();
        if (e.getSize() > 0 && waiting.containsKey(e.getInode())) {
          takers.addAll(waiting.remove(e.getInode()));
        }
        if (!want && takers.isEmpty()) {
          continue;
        }
        if (!e.isRegularFile()) {
          found += want ? 1 : 0;
          continue;
        }
        if (want && e.getSize() == 0 && e.getNumberOfLinks() > 1) {
          waiting.computeIfAbsent(e.getInode(), k -> new ArrayList<>()).add(path);
          continue;
        }
        if (want) {
          takers.add(path);
        }
        found += takers.size();
        if (e.getSize() > Math.min(maxSize, Integer.MAX_VALUE - 8)) {
          continue;
        }
        byte[] content = cpio.readNBytes((int) e.getSize());
        if (content.length != e.getSize()) {
          throw new RpmParseException(
              "truncated payload: " + path + " has " + content.length + " bytes of " + e.getSize());
        }
        takers.forEach(t -> out.put(t, content));
      }
    }
    // Hard links whose every entry was empty: the file is empty.
    waiting.values().forEach(ps -> ps.forEach(p -> out.put(p, new byte[0])));
    return out;
  }

  /** {@code ./etc/x} (as rpmbuild writes names) → {@code /etc/x}; {@code null} for others. */
  static String normalise(String cpioName) {
    if (cpioName.startsWith("./")) {
      return cpioName.substring(1);
    }
    return cpioName.startsWith("/") ? cpioName : null;
  }

  private static String reason(Exception e) {
    if (e instanceof EOFException) {
      return "truncated";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static String describe(String compressor) {
    return compressor == null ? "uncompressed" : compressor;
  }

  private static boolean startsWith(byte[] b, byte[] magic) {
    return Arrays.equals(b, 0, magic.length, magic, 0, magic.length);
  }

  private static InputStream open(Path rpm) throws IOException {
    return new BufferedInputStream(Files.newInputStream(rpm), 1 << 16);
  }

  private static RpmParseException named(Path rpm, RpmParseException e) {
    RpmParseException n = new RpmParseException(rpm + ": " + e.getMessage());
    n.initCause(e);
    return n;
  }
}
