package io.kickdrift.agent.scan;

/** What a finding is about. */
public enum Status {
  /** A packaged file that differs from its package (see the finding's problems). */
  MODIFIED,
  /** A packaged file that is gone. */
  MISSING,
  /** A file under the scanned paths that no package owns. */
  UNOWNED,
  /** A file the scanner could not read or stat; what it could not check is marked unchecked. */
  UNREADABLE
}
