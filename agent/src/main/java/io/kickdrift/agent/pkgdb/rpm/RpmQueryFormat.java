package io.kickdrift.agent.pkgdb.rpm;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rpm -qa --queryformat} dump the fallback reader asks for, and its pure parser: one
 * line per file carrying the same header values {@link RpmPackages#fromHeader} reads.
 */
final class RpmQueryFormat {
  /** Field separator: ASCII unit separator, which no sane path contains. */
  static final char SEP = '\u001f';

  static final List<String> FIELDS =
      List.of(
          "=NAME",
          "=EPOCH",
          "=VERSION",
          "=RELEASE",
          "=ARCH",
          "=FILEDIGESTALGO",
          "FILENAMES",
          "FILEFLAGS",
          "FILESTATES",
          "FILEMODES",
          "FILEUSERNAME",
          "FILEGROUPNAME",
          "FILELINKTOS",
          "LONGFILESIZES",
          "FILEMTIMES",
          "FILEDIGESTS",
          "FILEVERIFYFLAGS");

  /** What rpm prints for an absent tag. */
  static final String NONE = "(none)";

  private RpmQueryFormat() {}

  /** The argument of {@code --queryformat}: an array iteration over the files of a package. */
  static String format() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < FIELDS.size(); i++) {
      b.append(i == 0 ? "" : String.valueOf(SEP)).append("%{").append(FIELDS.get(i)).append('}');
    }
    return b.append("\\n]").toString();
  }

  /** Packages parsed from a dump, and one warning per line that did not parse. */
  record Parsed(List<RpmPackage> packages, List<String> warnings) {}

  /** Parses the dump; consecutive lines of one package make one {@link RpmPackage}. */
  static Parsed parse(String output) {
    List<RpmPackage> packages = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    RpmPackage current = null;
    List<RpmFile> files = new ArrayList<>();
    String[] lines = output.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      if (lines[n].isEmpty()) {
        continue;
      }
      String[] f = lines[n].split(String.valueOf(SEP), -1);
      RpmPackage pkg;
      RpmFile file;
      try {
        if (f.length != FIELDS.size()) {
          throw new RpmParseException(f.length + " fields, expected " + FIELDS.size());
        }
        pkg = pkg(f);
        file = file(f);
      } catch (RpmParseException e) {
        warnings.add("rpm query line " + (n + 1) + ": " + e.getMessage());
        continue;
      }
      if (current != null && !samePackage(current, pkg)) {
        packages.add(withFiles(current, files));
        files = new ArrayList<>();
      }
      current = pkg;
      files.add(file);
    }
    if (current != null) {
      packages.add(withFiles(current, files));
    }
    packages.removeIf(RpmPackage::isPubkey);
    return new Parsed(packages, warnings);
  }

  private static RpmPackage pkg(String[] f) throws RpmParseException {
    if (f[0].isEmpty() || f[2].isEmpty() || f[3].isEmpty()) {
      throw new RpmParseException("empty name, version or release");
    }
    Integer epoch = f[1].equals(NONE) ? null : (int) number(f[1], "EPOCH");
    Integer algo = f[5].equals(NONE) ? null : (int) number(f[5], "FILEDIGESTALGO");
    String arch = f[4].equals(NONE) ? null : f[4];
    return new RpmPackage(f[0], epoch, f[2], f[3], arch, algo, List.of());
  }

  private static RpmFile file(String[] f) throws RpmParseException {
    if (!f[6].startsWith("/")) {
      throw new RpmParseException("file name not absolute: " + f[6]);
    }
    int state = f[8].equals(NONE) ? 0 : (byte) number(f[8], "FILESTATES");
    return new RpmFile(
        f[6],
        f[7].equals(NONE) ? 0 : (int) number(f[7], "FILEFLAGS"),
        RpmFileState.of(state),
        f[9].equals(NONE) ? null : (int) number(f[9], "FILEMODES") & 0xffff,
        text(f[10]),
        text(f[11]),
        text(f[12]),
        f[13].equals(NONE) ? null : number(f[13], "LONGFILESIZES"),
        f[14].equals(NONE) ? null : number(f[14], "FILEMTIMES"),
        text(f[15]),
        f[16].equals(NONE) ? -1 : (int) number(f[16], "FILEVERIFYFLAGS"));
  }

  private static long number(String s, String what) throws RpmParseException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new RpmParseException(what + " not a number: " + s);
    }
  }

  private static String text(String s) {
    return s.isEmpty() || s.equals(NONE) ? null : s;
  }

  private static boolean samePackage(RpmPackage a, RpmPackage b) {
    return a.equals(b);
  }

  private static RpmPackage withFiles(RpmPackage p, List<RpmFile> files) {
    return new RpmPackage(
        p.name(), p.epoch(), p.version(), p.release(), p.arch(), p.digestAlgo(), files);
  }
}
