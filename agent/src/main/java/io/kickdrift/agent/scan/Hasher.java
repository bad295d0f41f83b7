package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes a file with one open and one sequential read, and notes on the way whether its first block
 * starts a private key. Each thread reuses one direct buffer.
 */
final class Hasher {
  static final int BUFFER = 1 << 17;
  private static final byte[] PRIVATE_KEY = "PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
  // Heap buffers: MessageDigest's intrinsics work on arrays; a direct buffer would be copied out
  // again in small chunks.
  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER));

  /**
   * A digest and whether the content looked like a private key: {@code null} when the content was
   * not looked at for that.
   */
  record Result(Digest digest, Boolean privateKey) {}

  private Hasher() {}

  /**
   * Opens {@code file} (which the caller has seen to be a regular file) and hashes it; with {@code
   * sniff}, also looks for a private key in the first block on the way.
   */
  static Result hash(Path file, DigestAlgorithm algorithm, boolean sniff) throws IOException {
    MessageDigest md = newDigest(algorithm);
    ByteBuffer buf = BUFFERS.get();
    Boolean privateKey = null;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          break;
        }
        if (sniff && privateKey == null) {
          privateKey = looksLikePrivateKey(buf.array(), n);
        }
        md.update(buf.array(), 0, n);
      }
    }
    if (sniff && privateKey == null) {
      privateKey = false; // empty file
    }
    return new Result(Digest.of(algorithm, md.digest()), privateKey);
  }

  /** Reads only the first block of {@code file} and looks for a private key in it. */
  static boolean sniff(Path file) throws IOException {
    ByteBuffer buf = BUFFERS.get();
    buf.clear();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int n = ch.read(buf);
      return n > 0 && looksLikePrivateKey(buf.array(), n);
    }
  }

  /** A PEM or OpenSSH private key ("-----BEGIN … PRIVATE KEY-----") within the first 16 KiB. */
  public static boolean looksLikePrivateKey(byte[] b, int length) {
    int limit = Math.min(length, 1 << 14) - PRIVATE_KEY.length;
    byte first = PRIVATE_KEY[0];
    outer:
    for (int i = 0; i <= limit; i++) {
      if (b[i] != first) {
        continue;
      }
      for (int j = 1; j < PRIVATE_KEY.length; j++) {
        if (b[i + j] != PRIVATE_KEY[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static MessageDigest newDigest(DigestAlgorithm algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.jcaName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm.jcaName(), e);
    }
  }
}
