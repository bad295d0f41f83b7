package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How a packaged file's metadata is judged against what its package recorded: pure functions the
 * scanner and the fleet's agentless scan share, so both reach the same verdict from the same
 * observations.
 */
final class Verdicts {
  private Verdicts() {}

  /**
   * The rpm -V columns this package database cannot tell us the expected value of. Where it knows
   * the type (RPM, a .deb) every column is known or deliberately not checked; where it does not
   * (dpkg's database alone) only content and existence are.
   */
  static EnumSet<Check> uncheckable(FileMeta m) {
    if (m.type() != null) {
      return EnumSet.noneOf(Check.class);
    }
    EnumSet<Check> u = EnumSet.complementOf(EnumSet.of(Check.DIGEST));
    if (m.permissions() != null) {
      u.remove(Check.MODE); // a dpkg-statoverride entry
    }
    if (m.user() != null) {
      u.remove(Check.USER);
    }
    if (m.group() != null) {
      u.remove(Check.GROUP);
    }
    return u;
  }

  /**
   * Everything but content: size, type, mode, owner, group, link target and mtime of the file as
   * found ({@code st}) against {@code m}; adds to {@code problems}, and to {@code unchecked} what
   * cannot be compared.
   */
  static void compareMetadata(
      FileMeta m,
      Observations.Stat st,
      Accounts accounts,
      Set<Problem> problems,
      Set<Check> unchecked) {
    FileType t = st.type();
    boolean regular = t == FileType.REGULAR;
    if (m.size() != null && regular && m.size() != st.size()) {
      problems.add(Problem.SIZE);
    }
    if (t != FileType.SYMLINK) {
      if (m.type() != null && m.type() != t) {
        problems.add(Problem.TYPE);
      }
      if (m.permissions() != null && m.permissions() != st.permissions()) {
        problems.add(Problem.MODE);
      }
    } else if (m.type() != null && m.type() != t) {
      problems.add(Problem.TYPE);
    }
    if (m.user() != null) {
      compareAccount(
          m.user(), st.uid(), accounts.user(st.uid()), Problem.OWNER, problems, unchecked);
    }
    if (m.group() != null) {
      compareAccount(
          m.group(), st.gid(), accounts.group(st.gid()), Problem.GROUP, problems, unchecked);
    }
    if (m.linkTarget() != null
        && t == FileType.SYMLINK
        && !m.linkTarget().equals(st.linkTarget())) {
      problems.add(Problem.LINK);
    }
    if (m.mtime() != null && regular && m.mtime() != st.mtimeSeconds()) {
      problems.add(Problem.MTIME);
    }
  }

  /**
   * Compares an expected owner name with a file's id. An id the root has no name for cannot be
   * compared with a name: that check is marked unchecked rather than failed.
   */
  private static void compareAccount(
      String expected,
      int id,
      String actualName,
      Problem problem,
      Set<Problem> problems,
      Set<Check> unchecked) {
    if (expected.equals(actualName) || expected.equals("#" + id)) {
      return;
    }
    if (actualName.startsWith("#") && !expected.startsWith("#")) {
      unchecked.add(problem.check());
    } else {
      problems.add(problem);
    }
  }

  /**
   * The finding for packaged file {@code f}: what its package recorded against {@code actual} (null
   * when missing), at the path where the file really is, as dpkg --verify prints it.
   *
   * @param secret the secret rule that matched, or null
   */
  static Finding packaged(
      PackageFile f,
      Status status,
      Set<Problem> problems,
      Set<Check> unchecked,
      Finding.Observed actual,
      String secret,
      String note) {
    FileMeta m = f.meta();
    Finding.Observed expected =
        new Finding.Observed(
            typeName(m.type()),
            m.permissions() == null ? null : octal(m.permissions()),
            m.user(),
            m.group(),
            m.size(),
            m.mtime(),
            m.linkTarget(),
            f.digest());
    if (!f.actualPath().equals(f.path())) {
      String diverted = "the package's " + f.path() + ", diverted here";
      note = note == null ? diverted : note + "; " + diverted;
    }
    return new Finding(
        f.actualPath(),
        status,
        problems,
        unchecked,
        f.pkg(),
        f.version(),
        f.isConfig(),
        attr(f),
        expected,
        actual,
        secret,
        note);
  }

  /**
   * The finding for a file no package owns.
   *
   * @param actual what was found, {@code null} when it could not be looked at
   * @param secret the secret rule that matched, or null
   */
  static Finding unowned(
      String path,
      Status status,
      Set<Check> unchecked,
      Finding.Observed actual,
      String secret,
      String note) {
    return new Finding(
        path, status, Set.of(), unchecked, null, null, false, null, null, actual, secret, note);
  }

  /** The rpm -V attribute letter: c (config), d (doc), l (license), r (readme). */
  static Character attr(PackageFile f) {
    if (f.isConfig()) {
      return 'c';
    }
    if (f.has(FileFlag.DOC)) {
      return 'd';
    }
    if (f.has(FileFlag.LICENSE)) {
      return 'l';
    }
    if (f.has(FileFlag.README)) {
      return 'r';
    }
    return null;
  }

  /**
   * Why a file's content must not be stored in clear: the secret rule its path matches, else {@code
   * content: private key} when its content looked like one; {@code null} when neither.
   */
  static String secretRule(GlobRules secrets, String path, boolean privateKey) {
    String rule = secrets.match(path, false);
    if (rule != null) {
      return rule;
    }
    return privateKey ? "content: private key" : null;
  }

  /** {@code regular}, {@code symlink}, {@code block-device}, … as reports name file types. */
  static String typeName(FileType t) {
    return t == null ? null : t.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Permission bits as four octal digits, e.g. {@code 0644}. */
  static String octal(int perms) {
    return String.format("%04o", perms);
  }
}
