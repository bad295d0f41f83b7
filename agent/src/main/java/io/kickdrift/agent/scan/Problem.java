package io.kickdrift.agent.scan;

/** One way a file differs from what its package installed. */
public enum Problem {
  /** The content digest differs. */
  CONTENT(Check.DIGEST),
  SIZE(Check.SIZE),
  /** Permission bits differ. */
  MODE(Check.MODE),
  /** A file became a directory, a link, …: reported in rpm's M column. */
  TYPE(Check.MODE),
  OWNER(Check.USER),
  GROUP(Check.GROUP),
  /** A symlink points elsewhere. */
  LINK(Check.LINK),
  MTIME(Check.MTIME);

  private final Check check;

  Problem(Check check) {
    this.check = check;
  }

  /** The rpm -V column this problem shows in. */
  public Check check() {
    return check;
  }
}
