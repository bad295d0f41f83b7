package io.kickdrift.server.loaders;

import java.util.Optional;

/**
 * Whether to write a boot program into the TFTP root, from what is there now and what the previous
 * manifest says kickdrift put there. A file kickdrift did not put there, or one changed since, is
 * the user's and is only replaced with {@code --force}. Pure.
 */
enum Decision {
  /** Absent, or kickdrift's own and out of date, or forced. */
  WRITE,
  /** Already the wanted content. */
  UNCHANGED,
  /** The user's file: refused without {@code --force}. */
  REFUSE;

  /**
   * @param present the sha256 of the file in the root now, empty when there is none
   * @param recorded the sha256 the previous manifest lists for it, empty when it lists none
   * @param wanted the sha256 of the content to lay down
   */
  static Decision of(
      Optional<String> present, Optional<String> recorded, String wanted, boolean force) {
    if (present.isEmpty()) {
      return WRITE;
    }
    if (present.get().equals(wanted)) {
      return UNCHANGED;
    }
    if (force || present.equals(recorded)) {
      return WRITE;
    }
    return REFUSE;
  }
}
