package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import java.util.EnumSet;
import java.util.Set;

/**
 * How a packaged file's metadata is judged against what its package recorded: pure functions the
 * scanner and the fleet's agentless scan share, so both reach the same verdict from the same
 * observations.
 */
public final class Verdicts {
  private Verdicts() {}

  /**
   * The rpm -V columns this package database cannot tell us the expected value of. Where it knows
   * the type (RPM, a .deb) every column is known or deliberately not checked; where it does not
   * (dpkg's database alone) only content and existence are.
   */
  public static EnumSet<Check> uncheckable(FileMeta m) {
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
   * found ({@code t}, … {@code linkTarget}) against {@code m}; adds to {@code problems}, and to
   * {@code unchecked} what cannot be compared.
   */
  public static void compareMetadata(
      FileMeta m,
      FileType t,
      int permissions,
      int uid,
      int gid,
      long size,
      long mtimeSeconds,
      String linkTarget,
      Accounts accounts,
      Set<Problem> problems,
      Set<Check> unchecked) {
    boolean regular = t == FileType.REGULAR;
    if (m.size() != null && regular && m.size() != size) {
      problems.add(Problem.SIZE);
    }
    if (t != FileType.SYMLINK) {
      if (m.type() != null && m.type() != t) {
        problems.add(Problem.TYPE);
      }
      if (m.permissions() != null && m.permissions() != permissions) {
        problems.add(Problem.MODE);
      }
    } else if (m.type() != null && m.type() != t) {
      problems.add(Problem.TYPE);
    }
    if (m.user() != null) {
      compareAccount(m.user(), uid, accounts.user(uid), Problem.OWNER, problems, unchecked);
    }
    if (m.group() != null) {
      compareAccount(m.group(), gid, accounts.group(gid), Problem.GROUP, problems, unchecked);
    }
    if (m.linkTarget() != null && t == FileType.SYMLINK && !m.linkTarget().equals(linkTarget)) {
      problems.add(Problem.LINK);
    }
    if (m.mtime() != null && regular && m.mtime() != mtimeSeconds) {
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
}
