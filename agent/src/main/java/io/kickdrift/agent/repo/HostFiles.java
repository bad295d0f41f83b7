package io.kickdrift.agent.repo;

import io.kickdrift.agent.host.RootPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The scanned host's files as {@link ConfigRepo#record} reads them: a tree on this machine ({@link
 * #under}), or files fetched from a remote host (the fleet scan's). Paths are absolute host paths.
 */
public interface HostFiles {
  /** What kind of file is at a path; symlinks are not followed. */
  enum Kind {
    REGULAR,
    SYMLINK,
    OTHER
  }

  /**
   * One path's file.
   *
   * @param size bytes of a regular file
   * @param linkTarget a symlink's target as stored, else {@code null}
   */
  record Entry(Kind kind, long size, String linkTarget) {}

  /** What is at {@code abs} (not following a final symlink), or {@code null} when nothing is. */
  Entry lstat(String abs) throws IOException;

  /**
   * The content of the regular file at {@code abs}.
   *
   * @throws NoSuchFileException when it is gone
   */
  byte[] read(String abs) throws IOException;

  /** The files of the tree at {@code root} ({@code /} for this machine), as a chroot sees them. */
  static HostFiles under(Path root) {
    RootPaths paths = new RootPaths(root);
    return new HostFiles() {
      @Override
      public Entry lstat(String abs) throws IOException {
        Path p = paths.entry(abs);
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          return null;
        }
        if (a.isSymbolicLink()) {
          return new Entry(Kind.SYMLINK, a.size(), Files.readSymbolicLink(p).toString());
        }
        return new Entry(a.isRegularFile() ? Kind.REGULAR : Kind.OTHER, a.size(), null);
      }

      @Override
      public byte[] read(String abs) throws IOException {
        try (InputStream in = Files.newInputStream(paths.entry(abs), LinkOption.NOFOLLOW_LINKS)) {
          return in.readAllBytes();
        }
      }
    };
  }
}
