package io.kickdrift.agent.pkgdb.rpm;

/** RPM's per-file install state (the FILESTATES tag, one signed byte per file). */
enum RpmFileState {
  /** rpm recorded no state, e.g. for a file of a package it did not install itself. */
  MISSING(-1),
  NORMAL(0),
  /** Another package's file replaced this one: rpm verifies only that the path exists. */
  REPLACED(1),
  /** Not installed, e.g. {@code --excludedocs} or a language not in {@code %_install_langs}. */
  NOT_INSTALLED(2),
  /** Under a {@code %_netsharedpath}: not installed here. */
  NETSHARED(3),
  /** A multilib file of the other architecture's colour: rpm skips content checks. */
  WRONG_COLOR(4);

  private final int value;

  RpmFileState(int value) {
    this.value = value;
  }

  static RpmFileState of(int value) throws RpmParseException {
    for (RpmFileState s : values()) {
      if (s.value == value) {
        return s;
      }
    }
    throw new RpmParseException("unknown file state " + value);
  }
}
