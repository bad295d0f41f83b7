package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.FileType;

/**
 * What lstat says of a file, plus its link target: the observed side of a finding.
 *
 * @param mtimeNanos and {@code ctimeNanos} key the stat cache
 */
record FileState(
    FileType type,
    int permissions,
    int uid,
    int gid,
    long size,
    long mtimeNanos,
    long ctimeNanos,
    long dev,
    long ino,
    String linkTarget) {

  long mtimeSeconds() {
    return Math.floorDiv(mtimeNanos, 1_000_000_000L);
  }

  /** What the verdicts look at. */
  Observations.Stat stat() {
    return new Observations.Stat(
        type, permissions, uid, gid, size, mtimeSeconds(), linkTarget, null);
  }
}
