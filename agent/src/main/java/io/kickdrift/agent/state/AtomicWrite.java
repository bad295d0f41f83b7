package io.kickdrift.agent.state;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see the old content or the new, never a part, and a crash at any
 * point leaves one of the two on disk: the content goes to a temporary file in the same directory,
 * which gets its owner and mode, is synced, renamed over the target, and then the directory is
 * synced so that the rename itself survives a power cut.
 *
 * <pre>{@code
 * AtomicWrite.write(file, bytes);                  // mode 0600 when new, else the old file's mode
 * AtomicWrite.to(file).mode(0644).write(out -> out.write(bytes));
 * }</pre>
 *
 * <p>The same steps serve content made elsewhere: {@link #part()} for a download that may take
 * several runs, {@link #prepare} for a file checked before it replaces the old, {@link
 * #replaceWith} for a symbolic link or a directory made beside the target.
 */
public final class AtomicWrite {
  /** What writes the content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The steps that make a write durable: the real ones, or a test's that records or fails them. */
  interface Disk {
    /** fsync(2) of an open file or directory. */
    void sync(FileChannel channel, Path path) throws IOException;

    /** rename(2), replacing what {@code to} names. */
    void rename(Path from, Path to) throws IOException;

    Disk REAL =
        new Disk() {
          @Override
          public void sync(FileChannel channel, Path path) throws IOException {
            channel.force(true);
          }

          @Override
          public void rename(Path from, Path to) throws IOException {
            try {
              Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
              // Beside its target a temporary file cannot be on another file system, unless the
              // target is a mount point: then there is no way to replace it whole.
              throw new IOException(to + ": cannot be replaced atomically (a mount point?)", e);
            }
          }
        };
  }

  /** A new file's mode unless told: content kickdrift keeps for itself, readable by no one else. */
  private static final int NEW_FILE_MODE = 0600;

  private final Path target;

  /** What a write sets beyond the content (null: left as the process makes it), and its disk. */
  private record Settings(Integer mode, int modeIfNew, Integer uid, Integer gid, Disk disk) {}

  private final Settings set;

  private AtomicWrite(Path target, Settings set) {
    this.target = target;
    this.set = set;
  }

  /** A write to {@code target}: mode 0600 when the file is new, else the mode of the old file. */
  public static AtomicWrite to(Path target) {
    return new AtomicWrite(target, new Settings(null, NEW_FILE_MODE, null, null, Disk.REAL));
  }

  public static void write(Path target, Content content) throws IOException {
    to(target).write(content);
  }

  public static void write(Path target, byte[] content) throws IOException {
    to(target).write(content);
  }

  /** This mode (permission bits, including setuid, setgid and sticky), whatever was there. */
  public AtomicWrite mode(int mode) {
    return new AtomicWrite(
        target, new Settings(mode & 07777, set.modeIfNew(), set.uid(), set.gid(), set.disk()));
  }

  /** This mode when the target does not exist yet; a replaced file keeps its own. */
  public AtomicWrite modeIfNew(int mode) {
    return new AtomicWrite(
        target, new Settings(set.mode(), mode & 07777, set.uid(), set.gid(), set.disk()));
  }

  /** This owner and group (either null: left as the writing process makes it). */
  public AtomicWrite owner(Integer uid, Integer gid) {
    return new AtomicWrite(target, new Settings(set.mode(), set.modeIfNew(), uid, gid, set.disk()));
  }

  AtomicWrite on(Disk disk) {
    return new AtomicWrite(
        target, new Settings(set.mode(), set.modeIfNew(), set.uid(), set.gid(), disk));
  }

  public void write(byte[] content) throws IOException {
    write(out -> out.write(content));
  }

  public void write(Content content) throws IOException {
    try (Pending p = prepare(content)) {
      p.commit();
    }
  }

  /**
   * Writes the content beside the target, complete and synced, without replacing anything yet:
   * {@link Pending#commit()} replaces the target, {@link Pending#close()} deletes what commit did
   * not take. For content checked before it goes live (an inventory loaded once more).
   */
  public Pending prepare(Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        content.writeTo(out);
        out.flush();
        setAttributes(tmp, true);
        set.disk().sync(ch, tmp);
      }
      return new Pending(tmp);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /**
   * Creates the target with this content only if it does not exist; another writer's file wins.
   *
   * @throws java.nio.file.FileAlreadyExistsException the target exists (left as it is)
   */
  public void createNew(Content content) throws IOException {
    try (Pending p = prepare(content)) {
      // link(2) fails where rename(2) would replace: the file appears whole, or not at all.
      Files.createLink(target, p.path);
      syncDirectory();
    }
  }

  /**
   * The hidden file {@code .NAME.part} beside the target, for content written over time (a download
   * that resumes): whatever the caller leaves there stays for the next run until {@link
   * Part#commit()}.
   */
  public Part part() {
    return new Part(target.resolveSibling("." + target.getFileName() + ".part"));
  }

  /**
   * Renames a file, symbolic link or directory made in the target's directory over the target (a
   * directory replaces only an empty one), then syncs the directory. Mode and owner are set on a
   * file only when {@link #mode} or {@link #owner} said so; links and directories keep theirs.
   */
  public void replaceWith(Path prepared) throws IOException {
    if (Files.isRegularFile(prepared, LinkOption.NOFOLLOW_LINKS)) {
      setAttributes(prepared, false);
      sync(prepared);
    }
    rename(prepared);
  }

  /** Content written and synced beside the target, until committed or closed. */
  public final class Pending implements AutoCloseable {
    private final Path path;
    private boolean committed;

    private Pending(Path path) {
      this.path = path;
    }

    /** Where the content is until committed, e.g. to read it back. */
    public Path path() {
      return path;
    }

    /** Replaces the target with the content; the directory is synced. */
    public void commit() throws IOException {
      rename(path);
      committed = true;
    }

    /** Deletes the content unless committed. */
    @Override
    public void close() throws IOException {
      if (!committed) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** A file that is filled over one run or several, then replaces the target. */
  public final class Part {
    private final Path path;

    private Part(Path path) {
      this.path = path;
    }

    public Path path() {
      return path;
    }

    /** Syncs what the part holds, e.g. before committing it with others. */
    public void sync() throws IOException {
      AtomicWrite.this.sync(path);
    }

    /** Syncs the part and renames it over the target; the directory is synced. */
    public void commit() throws IOException {
      replaceWith(path);
    }
  }

  private void rename(Path from) throws IOException {
    set.disk().rename(from, target);
    syncDirectory();
  }

  private void syncDirectory() throws IOException {
    sync(target.toAbsolutePath().getParent());
  }

  private void sync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      set.disk().sync(ch, path);
    }
  }

  /**
   * Owner first: chown(2) clears the setuid and setgid bits. {@code defaults}: whether a mode is
   * set when none was asked for (the old file's, or the mode for a new one).
   */
  private void setAttributes(Path file, boolean defaults) throws IOException {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      return; // not a POSIX file system: modes and owners are not kept there
    }
    if (set.uid() != null) {
      Files.setAttribute(file, "unix:uid", set.uid(), LinkOption.NOFOLLOW_LINKS);
    }
    if (set.gid() != null) {
      Files.setAttribute(file, "unix:gid", set.gid(), LinkOption.NOFOLLOW_LINKS);
    }
    Integer m = set.mode();
    if (m == null && defaults) {
      m =
          Files.exists(target)
              ? (Integer) Files.getAttribute(target, "unix:mode")
              : set.modeIfNew();
    }
    if (m != null) {
      Files.setAttribute(file, "unix:mode", m & 07777, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
