package io.kickdrift.agent.pkgdb;

/** Per-file attributes a package database records (RPM FILEFLAGS, dpkg conffile flags). */
public enum FileFlag {
  /** A configuration file: dpkg conffile, RPM %config. */
  CONFIG,
  /** RPM %config(noreplace). */
  NOREPLACE,
  /** RPM %ghost: owned, never shipped; not verified. */
  GHOST,
  /** RPM %config(missingok): absence is not drift. */
  MISSINGOK,
  /** RPM %doc. */
  DOC,
  /** RPM %license. */
  LICENSE,
  /** RPM %readme. */
  README,
  /** dpkg: a conffile the current version no longer ships. */
  OBSOLETE,
  /** dpkg: a conffile to be removed on upgrade. */
  REMOVE_ON_UPGRADE,
  /** Tracked by ucf rather than dpkg (e.g. /etc/ssh/sshd_config). */
  UCF,
  /** RPM FILESTATES says the file was not installed (excluded docs, netshared, wrong color). */
  NOT_INSTALLED,
  /** RPM FILESTATES says another package replaced it: only existence can be verified. */
  REPLACED
}
