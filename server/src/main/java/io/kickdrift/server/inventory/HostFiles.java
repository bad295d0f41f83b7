package io.kickdrift.server.inventory;

import io.kickdrift.agent.cli.ErrorText;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files an inventory's {@code host-files} patterns name (docs/inventory.md, "Hosts in several
 * files"): each a path under the inventory's directory whose file name may hold wildcards ({@code
 * hosts.d/*.yaml}, {@code racks/r1?.yaml}), matched in that one directory, names sorted. A wildcard
 * never matches a name starting with a dot (editors' and {@code AtomicWrite}'s temporaries), and
 * the inventory file itself is never one of its host files. A file named by two patterns is read
 * once, for the first.
 */
public final class HostFiles {
  private HostFiles() {}

  /** A pattern that cannot be used, and why, ending in what was expected. */
  static final class BadPattern extends Exception {
    final int index;

    BadPattern(int index, String message) {
      super(message);
      this.index = index;
    }
  }

  /**
   * The files {@code patterns} name, relative to {@code inventory}'s directory, in order.
   *
   * @throws BadPattern a pattern that leaves the directory, has wildcards before its file name, or
   *     names a file or directory that is not there
   */
  static List<Path> resolve(Path inventory, List<String> patterns) throws BadPattern {
    Path dir = directory(inventory);
    Set<Path> out = new LinkedHashSet<>();
    for (int i = 0; i < patterns.size(); i++) {
      out.addAll(matches(dir, inventory, i, patterns.get(i)));
    }
    return List.copyOf(out);
  }

  /**
   * The files as {@link #resolve} finds them now, skipping a pattern it refuses: what a running
   * server watches for changes between reloads.
   */
  public static List<Path> current(Path inventory, List<String> patterns) {
    Path dir = directory(inventory);
    Set<Path> out = new LinkedHashSet<>();
    for (int i = 0; i < patterns.size(); i++) {
      try {
        out.addAll(matches(dir, inventory, i, patterns.get(i)));
      } catch (BadPattern e) {
        // the next reload reports it
      }
    }
    return List.copyOf(out);
  }

  private static Path directory(Path inventory) {
    Path parent = inventory.getParent();
    return parent == null ? Path.of("") : parent;
  }

  private static List<Path> matches(Path dir, Path inventory, int index, String pattern)
      throws BadPattern {
    String shown = Shape.shown(pattern);
    if (pattern.isBlank()
        || pattern.startsWith("/")
        || pattern.endsWith("/")
        || pattern.contains("\\")) {
      throw new BadPattern(
          index, shown + " is not a file pattern; expected a relative path such as hosts.d/*.yaml");
    }
    String[] parts = pattern.split("/", -1);
    for (int k = 0; k < parts.length; k++) {
      String part = parts[k];
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new BadPattern(
            index,
            shown
                + " has an empty, '.' or '..' part; expected a path under the inventory's"
                + " directory such as hosts.d/*.yaml");
      }
      if (k < parts.length - 1 && wild(part)) {
        throw new BadPattern(
            index,
            shown + " has a wildcard before its file name; expected one such as hosts.d/*.yaml");
      }
    }
    String name = parts[parts.length - 1];
    // the directory the name is in: the inventory's own for a bare name (whose parent is null
    // when the inventory was named without a directory, as inventory.yaml)
    Path in = parts.length == 1 ? dir : dir.resolve(pattern.substring(0, pattern.lastIndexOf('/')));
    Path self = inventory.toAbsolutePath().normalize();
    if (!wild(name)) {
      Path file = in.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new BadPattern(index, "no file " + file + "; expected an inventory host file");
      }
      return file.toAbsolutePath().normalize().equals(self) ? List.of() : List.of(file);
    }
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
    } catch (IllegalArgumentException e) {
      throw new BadPattern(
          index, shown + " is not a pattern (" + e.getMessage() + "); expected one such as *.yaml");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(in)) {
      for (Path p : entries) {
        Path fileName = p.getFileName();
        if (!fileName.toString().startsWith(".")
            && matcher.matches(fileName)
            && Files.isRegularFile(p)
            && !p.toAbsolutePath().normalize().equals(self)) {
          files.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      throw new BadPattern(index, "no directory " + in + "; expected the host files' directory");
    } catch (IOException e) {
      throw new BadPattern(index, "cannot list " + in + ": " + ErrorText.reason(e));
    }
    files.sort(null);
    return files;
  }

  private static boolean wild(String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return true;
      }
    }
    return false;
  }
}
