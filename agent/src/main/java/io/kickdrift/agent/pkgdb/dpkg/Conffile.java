package io.kickdrift.agent.pkgdb.dpkg;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;

/**
 * One entry of a package's {@code Conffiles} field.
 *
 * @param md5 the hash dpkg recorded when it last installed the file; {@code null} for dpkg's {@code
 *     newconffile} placeholder (unpacked, not yet configured)
 */
record Conffile(String path, Digest md5, boolean obsolete, boolean removeOnUpgrade) {

  /**
   * Parses one line {@code /etc/x y.conf 0123…ef [obsolete] [remove-on-upgrade]} from the right,
   * since paths may contain spaces.
   *
   * @return the entry, or {@code null} with no exception for a line that is not one
   */
  static Conffile parse(String line) {
    String s = line.strip();
    boolean obsolete = false;
    boolean removeOnUpgrade = false;
    while (true) {
      if (s.endsWith(" obsolete")) {
        obsolete = true;
        s = s.substring(0, s.length() - " obsolete".length()).stripTrailing();
      } else if (s.endsWith(" remove-on-upgrade")) {
        removeOnUpgrade = true;
        s = s.substring(0, s.length() - " remove-on-upgrade".length()).stripTrailing();
      } else {
        break;
      }
    }
    int sp = s.lastIndexOf(' ');
    if (sp <= 0 || s.charAt(0) != '/') {
      return null;
    }
    String hash = s.substring(sp + 1);
    String path = s.substring(0, sp).stripTrailing();
    Digest md5;
    if (hash.equals("newconffile")) {
      md5 = null;
    } else if (Digest.isValid(DigestAlgorithm.MD5, hash)) {
      md5 = Digest.of(DigestAlgorithm.MD5, hash);
    } else {
      return null;
    }
    return new Conffile(path, md5, obsolete, removeOnUpgrade);
  }
}
