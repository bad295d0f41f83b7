package io.kickdrift.agent.pkgdb;

/**
 * What a package says a file should look like besides its content. Fields a source does not record
 * are {@code null} (a .deb has no mtime worth checking; a dpkg database has none of this).
 *
 * @param type file type
 * @param permissions the permission bits (07777)
 * @param user owner name
 * @param group group name
 * @param linkTarget symlink target, for symlinks
 * @param size size in bytes, for regular files
 * @param mtime modification time in seconds since the epoch
 */
public record FileMeta(
    FileType type,
    Integer permissions,
    String user,
    String group,
    String linkTarget,
    Long size,
    Long mtime) {

  public static final FileMeta UNKNOWN = new FileMeta(null, null, null, null, null, null, null);

  public FileMeta withOwner(String user, String group, Integer permissions) {
    return new FileMeta(type, permissions, user, group, linkTarget, size, mtime);
  }
}
