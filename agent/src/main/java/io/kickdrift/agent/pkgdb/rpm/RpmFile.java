package io.kickdrift.agent.pkgdb.rpm;

/**
 * One file of a package with rpm's raw per-file values. Values a header lacks are {@code null}.
 *
 * @param path DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]
 * @param flags FILEFLAGS bits ({@code %config}, {@code %ghost}, ...)
 * @param state FILESTATES, {@link RpmFileState#NORMAL} when the header has none
 * @param mode the full st_mode (type and permission bits)
 * @param linkTo symlink target; {@code null} for non-links
 * @param size LONGFILESIZES, or FILESIZES read as unsigned
 * @param mtime FILEMTIMES read as unsigned seconds
 * @param digest lower-case hex; {@code null} when empty (directories, links, ghosts)
 * @param verifyFlags FILEVERIFYFLAGS bits, -1 (verify everything) when absent
 */
record RpmFile(
    String path,
    int flags,
    RpmFileState state,
    Integer mode,
    String user,
    String group,
    String linkTo,
    Long size,
    Long mtime,
    String digest,
    int verifyFlags) {

  // FILEFLAGS bits (rpmfiles.h rpmfileAttrs_e).
  static final int CONFIG = 1;
  static final int DOC = 1 << 1;
  static final int MISSINGOK = 1 << 3;
  static final int NOREPLACE = 1 << 4;
  static final int GHOST = 1 << 6;
  static final int LICENSE = 1 << 7;
  static final int README = 1 << 8;

  // FILEVERIFYFLAGS bits (rpmfiles.h rpmVerifyAttrs_e); a %verify(not ...) clears them.
  static final int VERIFY_DIGEST = 1;
  static final int VERIFY_SIZE = 1 << 1;
  static final int VERIFY_LINKTO = 1 << 2;
  static final int VERIFY_USER = 1 << 3;
  static final int VERIFY_GROUP = 1 << 4;
  static final int VERIFY_MTIME = 1 << 5;
  static final int VERIFY_MODE = 1 << 6;
}
