package io.kickdrift.agent.host;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns paths of a scanned tree into paths of this machine without ever leaving the tree: a symlink
 * in the tree that points to {@code /etc/shadow} means the tree's {@code /etc/shadow}, not ours,
 * and {@code ..} stops at the tree's root. Directory resolutions are cached. For the running system
 * ({@code --root /}) paths are used as they are.
 */
public final class RootPaths {
  public static final int MAX_LINKS = 40; // as the kernel's ELOOP limit

  private final Path root;
  private final boolean identity;
  private final Map<String, String> dirs = new ConcurrentHashMap<>();

  public RootPaths(Path root) {
    this.root = root;
    this.identity = root.getNameCount() == 0;
  }

  /**
   * The host path of {@code abs} with its directories resolved in the tree; the last name is not
   * followed.
   */
  public Path entry(String abs) throws IOException {
    if (identity) {
      return root.resolve(abs.substring(1));
    }
    int slash = abs.lastIndexOf('/');
    String dir = slash <= 0 ? "/" : abs.substring(0, slash);
    String name = abs.substring(slash + 1);
    return host(join(directory(dir, 0), name));
  }

  /**
   * The host path to write {@code abs} at. Unlike {@link #entry}, which reinterprets every link
   * inside the tree as a chroot would, this follows the directories' links as the kernel will when
   * the file is written, and refuses a link whose target leads out of the tree (an absolute target
   * elsewhere on this machine, or {@code ..} above the root). Directories that do not exist yet are
   * taken as named; the last name is not followed. Not cached: a restore creates directories.
   *
   * @throws OutsideRootException naming the path and the link
   */
  public Path writable(String abs) throws IOException {
    Path top = root.toRealPath();
    String norm = normalise(abs);
    if (norm.equals("/")) {
      throw new OutsideRootException(abs + ": refused: not a file in the tree");
    }
    int slash = norm.lastIndexOf('/');
    Deque<String> todo =
        new ArrayDeque<>(java.util.Arrays.asList(norm.substring(1, slash + 1).split("/")));
    Path dir = top;
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.pollFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (dir.equals(top)) {
          throw new OutsideRootException(abs + ": refused: a link on the way climbs above " + top);
        }
        dir = dir.getParent();
        continue;
      }
      Path next = dir.resolve(name);
      if (!Files.isSymbolicLink(next)) {
        dir = next;
        continue;
      }
      if (++links > MAX_LINKS) {
        throw new FileSystemException(abs, null, "Too many levels of symbolic links");
      }
      Path target = Files.readSymbolicLink(next);
      String link = "/" + top.relativize(next);
      Path landing = (target.isAbsolute() ? target : dir.resolve(target)).normalize();
      if (!landing.startsWith(top)) {
        throw new OutsideRootException(
            abs + ": refused: " + link + " is a link to " + target + ", which leads out of " + top);
      }
      // Inside: continue from where the link lands, names still to resolve after it.
      List<String> rest = new ArrayList<>(todo);
      todo.clear();
      todo.addAll(java.util.Arrays.asList(top.relativize(landing).toString().split("/")));
      todo.addAll(rest);
      dir = top;
    }
    return dir.resolve(norm.substring(slash + 1));
  }

  /** A path that would be written outside the tree. */
  public static final class OutsideRootException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutsideRootException(String message) {
      super(message);
    }
  }

  /** The host path of what {@code abs} finally names, following links inside the tree. */
  public Path follow(String abs) throws IOException {
    if (identity) {
      return root.resolve(abs.substring(1));
    }
    return host(resolve(abs, 0, true));
  }

  private String directory(String dir, int depth) throws IOException {
    if (dir.equals("/")) {
      return "/";
    }
    String cached = dirs.get(dir);
    if (cached != null) {
      return cached;
    }
    String resolved = resolve(dir, depth, true);
    dirs.put(dir, resolved);
    return resolved;
  }

  /** Resolves {@code abs} (normalised, absolute in the tree), following the last name if asked. */
  private String resolve(String abs, int depth, boolean followLast) throws IOException {
    String norm = normalise(abs);
    if (norm.equals("/")) {
      return "/";
    }
    int slash = norm.lastIndexOf('/');
    String parent = directory(slash == 0 ? "/" : norm.substring(0, slash), depth);
    String candidate = join(parent, norm.substring(slash + 1));
    if (!followLast) {
      return candidate;
    }
    Path h = host(candidate);
    if (!Files.isSymbolicLink(h)) {
      return candidate;
    }
    if (depth >= MAX_LINKS) {
      throw new FileSystemException(candidate, null, "Too many levels of symbolic links");
    }
    String target = Files.readSymbolicLink(h).toString();
    String next = target.startsWith("/") ? target : join(parent, target);
    return resolve(next, depth + 1, true);
  }

  private Path host(String abs) {
    return abs.equals("/") ? root : root.resolve(abs.substring(1));
  }

  private static String join(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  /** Removes {@code .}, empty names and {@code ..} (which stops at the root). */
  public static String normalise(String abs) {
    Deque<String> parts = new ArrayDeque<>();
    for (String p : abs.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(p);
      }
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }

  /**
   * {@link #follow}, or the plain path under the root when it cannot be resolved (it may not
   * exist).
   */
  public Path followOrPlain(String abs) {
    try {
      return follow(abs);
    } catch (IOException e) {
      return root.resolve(abs.substring(1));
    }
  }
}
