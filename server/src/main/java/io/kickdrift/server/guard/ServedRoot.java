package io.kickdrift.server.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one rule for what TFTP and HTTP clients may read: a regular file whose <em>real</em> path
 * (every symlink resolved) lies under the real path of the served root. A link inside the root to a
 * target inside it is served; a link to anything outside (/etc/passwd, the state directory) is
 * refused, wherever in the path it sits. The root itself may be a symlink swapped atomically (as
 * {@code render} keeps its tree): it is resolved per request.
 *
 * <p>One leading {@code /} is stripped (PXE ROMs send {@code /pxelinux.0}); then absolute paths,
 * {@code ..} segments, backslashes and NUL are refused before the file system is asked. A name
 * longer than any file can have ({@link #MAX_NAME} bytes in all, {@link #MAX_SEGMENT} per segment)
 * is simply not found.
 *
 * <pre>{@code
 * Optional<Path> file = new ServedRoot(dir).file("images/vmlinuz"); // empty: 404 / ERROR 1
 * }</pre>
 */
public final class ServedRoot {
  /** Linux's PATH_MAX: no file has a longer name. */
  public static final int MAX_NAME = 4096;

  /** Linux's NAME_MAX, per path segment. */
  public static final int MAX_SEGMENT = 255;

  private final Path root;

  public ServedRoot(Path root) {
    this.root = root.toAbsolutePath();
  }

  /** The root as given (absolute), not resolved. */
  public Path root() {
    return root;
  }

  /**
   * The real path of the regular file {@code requested} names under the root, or empty when there
   * is none (absent, a directory, a name too long to exist).
   *
   * @throws PathRefusedException when the request, or the file it leads to, leaves the root
   * @throws IOException when the root itself cannot be resolved
   */
  public Optional<Path> file(String requested) throws IOException {
    String relative = requested.startsWith("/") ? requested.substring(1) : requested;
    if (relative.startsWith("/")) {
      throw new PathRefusedException("absolute path");
    }
    if (relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0) {
      throw new PathRefusedException("backslash or NUL in the path");
    }
    boolean tooLong = relative.getBytes(StandardCharsets.UTF_8).length > MAX_NAME;
    for (String segment : relative.split("/", -1)) {
      if (segment.equals("..")) {
        throw new PathRefusedException("outside the served root");
      }
      tooLong |= segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT;
    }
    if (tooLong) {
      return Optional.empty();
    }
    Path realRoot = root.toRealPath();
    Path candidate;
    try {
      candidate = realRoot.resolve(relative).normalize();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      // Absent; but through a link that leaves the root it is refused all the same, so that
      // nobody learns which files exist outside.
      confine(realRoot, existingAncestor(candidate, realRoot));
      return Optional.empty();
    } catch (FileSystemException e) {
      // ENOTDIR (a file used as a directory), ELOOP (a link cycle), EACCES: nothing to serve
      return Optional.empty();
    }
    confine(realRoot, real);
    return Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
  }

  private static void confine(Path realRoot, Path real) throws PathRefusedException {
    if (!real.startsWith(realRoot)) {
      throw new PathRefusedException("outside the served root");
    }
  }

  /** The real path of the nearest ancestor of {@code path} that exists (the root at worst). */
  private static Path existingAncestor(Path path, Path realRoot) {
    for (Path p = path.getParent(); p != null && p.startsWith(realRoot); p = p.getParent()) {
      try {
        return p.toRealPath();
      } catch (IOException e) {
        // not there either: one level up
      }
    }
    return realRoot;
  }
}
