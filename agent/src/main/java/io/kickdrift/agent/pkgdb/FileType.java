package io.kickdrift.agent.pkgdb;

/** The type bits of a POSIX st_mode. */
public enum FileType {
  REGULAR(0100000),
  DIRECTORY(0040000),
  SYMLINK(0120000),
  FIFO(0010000),
  SOCKET(0140000),
  CHAR_DEVICE(0020000),
  BLOCK_DEVICE(0060000);

  private final int bits;

  FileType(int bits) {
    this.bits = bits;
  }

  public int bits() {
    return bits;
  }

  /** The type of a full st_mode value, or {@code null} when its type bits are unknown. */
  public static FileType ofMode(int mode) {
    int t = mode & 0170000;
    for (FileType f : values()) {
      if (f.bits == t) {
        return f;
      }
    }
    return null;
  }
}
