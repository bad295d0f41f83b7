package io.kickdrift.server.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a field of a loaded inventory was written: the main file, or the host file one of its hosts
 * came from. The validator checks the inventory as one (a MAC given in two files is a duplicate)
 * under paths of the whole ({@code hosts[1234].mac}); this turns such a path back into the file,
 * the path within that file ({@code hosts[34].mac}) and its line.
 */
final class Sources {
  /** A field's file, its path there, its position, and the file's place in reading order. */
  record Place(String file, String path, SourceLines.Position at, int order) {
    /** The place as messages name another field: {@code hosts[3].name (line 9)}, with the file. */
    String shown(String mainFile) {
      return path + " (" + (file.equals(mainFile) ? "" : file + " ") + "line " + at.line() + ")";
    }
  }

  /** One host file: its name, positions, and the index in the whole of its first host. */
  private record Part(String file, SourceLines lines, int first, int count) {}

  private final String mainFile;
  private final SourceLines mainLines;
  private final int mainHosts;
  private final List<Part> parts = new ArrayList<>();
  private int hosts;

  /** The main file, holding the first {@code mainHosts} hosts. */
  Sources(String mainFile, SourceLines mainLines, int mainHosts) {
    this.mainFile = mainFile;
    this.mainLines = mainLines;
    this.mainHosts = mainHosts;
    this.hosts = mainHosts;
  }

  /** Adds the next host file, whose {@code count} hosts follow those already added. */
  void add(String file, SourceLines lines, int count) {
    parts.add(new Part(file, lines, hosts, count));
    hosts += count;
  }

  String mainFile() {
    return mainFile;
  }

  /** Whether host files were added: positions may then be in more than one file. */
  boolean several() {
    return !parts.isEmpty();
  }

  /** The place of {@code path}, a path of the whole inventory. */
  Place of(String path) {
    int index = hostIndex(path);
    if (index < mainHosts) {
      return new Place(mainFile, path, mainLines.of(path), 0);
    }
    for (int k = 0; k < parts.size(); k++) {
      Part p = parts.get(k);
      if (index < p.first() + p.count()) {
        String local = "hosts[" + (index - p.first()) + path.substring(path.indexOf(']'));
        return new Place(p.file(), local, p.lines().of(local), k + 1);
      }
    }
    return new Place(mainFile, path, mainLines.of(path), 0);
  }

  /** The host index {@code path} starts with ({@code hosts[N]…}), or -1. */
  private static int hostIndex(String path) {
    if (!path.startsWith("hosts[")) {
      return -1;
    }
    int n = 0;
    for (int i = "hosts[".length(); i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == ']') {
        return n;
      }
      if (c < '0' || c > '9' || n > 100_000_000) {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return -1;
  }
}
