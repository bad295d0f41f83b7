package io.kickdrift.agent.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises writers of one repository: an OS lock on {@code kickdrift.lock} in the git directory
 * between processes, and a lock per file inside this JVM (the OS lock is per process). The kernel
 * drops the lock when its process dies, so a killed scan never leaves the repository locked.
 *
 * <p>The file also holds the ref its holder is moving, while it moves it: a holder killed between
 * JGit creating {@code refs/heads/main.lock} and renaming it leaves that file behind, which would
 * fail every later update; the next holder reads the intent and knows the lock file is stale.
 */
final class RepoLock implements AutoCloseable {
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  private static final String UPDATE = "updating ";

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private final String leftBehind;

  private RepoLock(ReentrantLock local, FileChannel channel, FileLock lock) throws IOException {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
    channel.read(b, 0);
    String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    this.leftBehind = s.isEmpty() ? null : s;
  }

  /**
   * The ref the previous holder was moving when it died ({@code refs/heads/main}), or {@code null}
   * when it finished.
   */
  String unfinishedRefUpdate() {
    if (leftBehind == null || !leftBehind.startsWith(UPDATE)) {
      return null;
    }
    String ref = leftBehind.substring(UPDATE.length()).strip();
    return ref.startsWith("refs/") && !ref.contains("..") ? ref : null;
  }

  /** Records that this holder is about to move {@code ref}; {@link #updated} clears it. */
  void updating(String ref) throws IOException {
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((UPDATE + ref + "\n").getBytes(StandardCharsets.UTF_8)), 0);
  }

  void updated() throws IOException {
    channel.truncate(0);
  }

  /** Blocks until this caller is the only writer. */
  static RepoLock acquire(Path gitDir) throws IOException {
    Path file = gitDir.resolve("kickdrift.lock").toAbsolutePath().normalize();
    ReentrantLock local = IN_PROCESS.computeIfAbsent(file, k -> new ReentrantLock());
    local.lock();
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      return new RepoLock(local, ch, ch.lock());
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      local.unlock();
      throw new IOException(file + ": cannot lock: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      local.unlock();
    }
  }
}
