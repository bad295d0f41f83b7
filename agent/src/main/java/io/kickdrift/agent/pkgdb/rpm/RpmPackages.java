package io.kickdrift.agent.pkgdb.rpm;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** Maps RPM headers to {@link RpmPackage}s, and those to the common {@link PackageFile} model. */
final class RpmPackages {
  private RpmPackages() {}

  /** The package a decoded rpmdb header describes, with every file it lists. */
  static RpmPackage fromHeader(RpmHeader h) throws RpmParseException {
    String name = required(h, RpmTag.NAME);
    String version = required(h, RpmTag.VERSION);
    String release = required(h, RpmTag.RELEASE);
    String arch = h.string(RpmTag.ARCH).orElse(null);
    Integer epoch = boxed(h.int32(RpmTag.EPOCH));
    Integer algo = boxed(h.int32(RpmTag.FILEDIGESTALGO));

    List<String> basenames = h.stringArray(RpmTag.BASENAMES);
    int n = basenames.size();
    List<String> dirnames = h.stringArray(RpmTag.DIRNAMES);
    int[] dirIndexes = sized(h.int32Array(RpmTag.DIRINDEXES), n, RpmTag.DIRINDEXES, true);
    int[] flags = sized(h.int32Array(RpmTag.FILEFLAGS), n, RpmTag.FILEFLAGS, false);
    byte[] states = h.bytes(RpmTag.FILESTATES);
    checkCount(states.length, n, RpmTag.FILESTATES);
    int[] modes = sized(h.int16Array(RpmTag.FILEMODES), n, RpmTag.FILEMODES, false);
    List<String> users = sized(h.stringArray(RpmTag.FILEUSERNAME), n, RpmTag.FILEUSERNAME);
    List<String> groups = sized(h.stringArray(RpmTag.FILEGROUPNAME), n, RpmTag.FILEGROUPNAME);
    List<String> links = sized(h.stringArray(RpmTag.FILELINKTOS), n, RpmTag.FILELINKTOS);
    List<String> digests = sized(h.stringArray(RpmTag.FILEDIGESTS), n, RpmTag.FILEDIGESTS);
    long[] longSizes = h.int64Array(RpmTag.LONGFILESIZES);
    checkCount(longSizes.length, n, RpmTag.LONGFILESIZES);
    int[] sizes = sized(h.int32Array(RpmTag.FILESIZES), n, RpmTag.FILESIZES, false);
    int[] mtimes = sized(h.int32Array(RpmTag.FILEMTIMES), n, RpmTag.FILEMTIMES, false);
    int[] verify = sized(h.int32Array(RpmTag.FILEVERIFYFLAGS), n, RpmTag.FILEVERIFYFLAGS, false);

    List<RpmFile> files = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int d = dirIndexes[i];
      if (d < 0 || d >= dirnames.size()) {
        throw new RpmParseException(
            "file " + i + ": dir index " + d + " beyond " + dirnames.size() + " DIRNAMES");
      }
      String path = dirnames.get(d) + basenames.get(i);
      if (!path.startsWith("/")) {
        // Every consumer takes a package's paths as absolute; rpm only ever writes them so.
        throw new RpmParseException(
            "file " + i + ": name '" + abbreviate(path) + "' is not absolute");
      }
      RpmFileState state;
      try {
        state = states.length == 0 ? RpmFileState.NORMAL : RpmFileState.of(states[i]);
      } catch (RpmParseException e) {
        throw new RpmParseException("file " + path + ": " + e.getMessage());
      }
      Long size =
          longSizes.length > 0
              ? Long.valueOf(longSizes[i])
              : sizes.length > 0 ? Long.valueOf(Integer.toUnsignedLong(sizes[i])) : null;
      files.add(
          new RpmFile(
              path,
              flags.length > 0 ? flags[i] : 0,
              state,
              modes.length > 0 ? modes[i] : null,
              nonEmpty(users, i),
              nonEmpty(groups, i),
              nonEmpty(links, i),
              size,
              mtimes.length > 0 ? Integer.toUnsignedLong(mtimes[i]) : null,
              nonEmpty(digests, i),
              verify.length > 0 ? verify[i] : -1));
    }
    return new RpmPackage(name, epoch, version, release, arch, algo, files);
  }

  /**
   * The package's files in the common model, under the package label {@code pkg}. Attributes rpm -V
   * would not check are left {@code null}: those a {@code %verify(not ...)} excludes, and the
   * content of files installed in the other multilib colour. Which attributes apply to a file's
   * type (no size of a directory) is left to the scanner, which sees the type on disk as rpm does.
   */
  static List<PackageFile> files(RpmPackage p, String pkg) throws RpmParseException {
    DigestAlgorithm algo = algorithm(p.digestAlgo());
    List<PackageFile> out = new ArrayList<>(p.files().size());
    for (RpmFile f : p.files()) {
      out.add(file(f, pkg, p.evr(), algo));
    }
    return out;
  }

  static DigestAlgorithm algorithm(Integer rpmId) throws RpmParseException {
    if (rpmId == null) {
      return DigestAlgorithm.MD5;
    }
    try {
      return DigestAlgorithm.fromRpmId(rpmId);
    } catch (IllegalArgumentException e) {
      throw new RpmParseException("FILEDIGESTALGO " + rpmId + " not supported");
    }
  }

  static PackageFile file(RpmFile f, String pkg, String version, DigestAlgorithm algo)
      throws RpmParseException {
    FileType type = f.mode() == null ? null : FileType.ofMode(f.mode());
    Digest digest = null;
    if (f.digest() != null) {
      if (!Digest.isValid(algo, f.digest())) {
        throw new RpmParseException("file " + f.path() + ": digest is not " + algo.label());
      }
      digest = Digest.of(algo, f.digest());
    }
    Integer perms = f.mode() == null ? null : f.mode() & 07777;
    String link = type == FileType.SYMLINK ? f.linkTo() : null;
    int v = f.verifyFlags();
    // rpm checks neither the content, size nor mtime of a file of the other color
    boolean otherColor = f.state() == RpmFileState.WRONG_COLOR;
    FileMeta meta =
        new FileMeta(
            type,
            checked(v, RpmFile.VERIFY_MODE, perms),
            checked(v, RpmFile.VERIFY_USER, f.user()),
            checked(v, RpmFile.VERIFY_GROUP, f.group()),
            checked(v, RpmFile.VERIFY_LINKTO, link),
            otherColor ? null : checked(v, RpmFile.VERIFY_SIZE, f.size()),
            otherColor ? null : checked(v, RpmFile.VERIFY_MTIME, f.mtime()));
    digest = otherColor ? null : checked(v, RpmFile.VERIFY_DIGEST, digest);
    return new PackageFile(f.path(), pkg, version, digest, flags(f), meta, null);
  }

  /** {@code value}, or null when the file's {@code %verify(not ...)} cleared {@code bit}. */
  private static <T> T checked(int verifyFlags, int bit, T value) {
    return (verifyFlags & bit) == 0 ? null : value;
  }

  /** The FILEFLAGS bit behind each flag that rpm records as a bit. */
  private static final Map<FileFlag, Integer> FLAG_BITS =
      Map.of(
          FileFlag.CONFIG, RpmFile.CONFIG,
          FileFlag.NOREPLACE, RpmFile.NOREPLACE,
          FileFlag.GHOST, RpmFile.GHOST,
          FileFlag.MISSINGOK, RpmFile.MISSINGOK,
          FileFlag.DOC, RpmFile.DOC,
          FileFlag.LICENSE, RpmFile.LICENSE,
          FileFlag.README, RpmFile.README);

  static Set<FileFlag> flags(RpmFile f) {
    Set<FileFlag> out = EnumSet.noneOf(FileFlag.class);
    int b = f.flags();
    FLAG_BITS.forEach(
        (flag, bit) -> {
          if ((b & bit) != 0) {
            out.add(flag);
          }
        });
    switch (f.state()) {
      case REPLACED -> out.add(FileFlag.REPLACED);
      case NOT_INSTALLED, NETSHARED -> out.add(FileFlag.NOT_INSTALLED);
      default -> {}
    }
    return out;
  }

  private static String required(RpmHeader h, RpmTag tag) throws RpmParseException {
    return h.string(tag).orElseThrow(() -> new RpmParseException("no " + tag + " tag"));
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static Integer boxed(OptionalInt v) {
    return v.isPresent() ? v.getAsInt() : null;
  }

  private static String nonEmpty(List<String> values, int i) {
    if (values.isEmpty()) {
      return null;
    }
    String s = values.get(i);
    return s.isEmpty() ? null : s;
  }

  private static int[] sized(int[] values, int n, RpmTag tag, boolean required)
      throws RpmParseException {
    if (required && n > 0 && values.length == 0) {
      throw new RpmParseException("no " + tag + " tag for " + n + " files");
    }
    checkCount(values.length, n, tag);
    return values;
  }

  private static List<String> sized(List<String> values, int n, RpmTag tag)
      throws RpmParseException {
    checkCount(values.size(), n, tag);
    return values;
  }

  private static void checkCount(int have, int n, RpmTag tag) throws RpmParseException {
    if (have != 0 && have != n) {
      throw new RpmParseException(tag + " has " + have + " values for " + n + " files");
    }
  }
}
