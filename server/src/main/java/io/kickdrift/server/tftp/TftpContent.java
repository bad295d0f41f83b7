package io.kickdrift.server.tftp;

import java.io.Closeable;
import java.nio.ByteBuffer;

/** The bytes of one read request, read at positions so retransmissions can go back. */
public interface TftpContent extends Closeable {
  /** The size in bytes, for {@code tsize}. */
  long size();

  /**
   * Reads up to {@code dst.remaining()} bytes at {@code position}; returns bytes read, -1 at end.
   */
  int read(long position, ByteBuffer dst) throws java.io.IOException;

  /** In-memory content, such as a rendered menu. The array is not copied: do not change it. */
  static TftpContent of(byte[] bytes) {
    return new TftpContent() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public int read(long position, ByteBuffer dst) {
        if (position >= bytes.length) {
          return -1;
        }
        int n = (int) Math.min(dst.remaining(), bytes.length - position);
        dst.put(bytes, (int) position, n);
        return n;
      }

      @Override
      public void close() {}
    };
  }
}
