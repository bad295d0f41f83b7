package io.kickdrift.server.fleet;

import io.kickdrift.agent.host.RootPaths;
import io.kickdrift.agent.repo.HostFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A host's files as the fleet scan fetched them for one commit: the content (or link target) of
 * what the scan found, and which other paths still exist. Held in memory only, never written to
 * this machine's disk; {@link #wipe} zeroes the content once committed (secrets among it).
 */
final class RemoteFiles implements HostFiles {
  /** Longest argument list sent in one command, well under Linux's 2 MiB. */
  static final int MAX_ARGS_BYTES = 100_000;

  private record Fetched(Entry entry, byte[] content) {}

  private final Map<String, Fetched> fetched;
  private final Set<String> present;
  private final Set<String> asked;

  private RemoteFiles(Map<String, Fetched> fetched, Set<String> present, Set<String> asked) {
    this.fetched = fetched;
    this.present = present;
    this.asked = asked;
  }

  /**
   * Fetches {@code content} paths (regular files, symlinks, anything else as its type) under {@code
   * root} in a tar stream, and checks which of {@code exists} are there.
   *
   * @param large paths of regular files too large to store: checked for existence only, reported
   *     with their size from the scan
   */
  static RemoteFiles fetch(
      RemoteShell sh,
      String root,
      Collection<String> content,
      Map<String, Long> large,
      Collection<String> exists)
      throws IOException, SshException {
    Map<String, Fetched> fetched = new HashMap<>();
    for (List<String> batch : batches(content)) {
      List<String> rel = new ArrayList<>();
      batch.forEach(p -> rel.add(RemoteShell.quote("." + RootPaths.normalise(p)))); // no ".." out
      // --ignore-failed-read: a file gone since the scan is left out, not fatal;
      // --hard-dereference: two requested paths that are one inode both carry content.
      String cmd =
          "cd "
              + RemoteShell.quote(root)
              + " && exec tar --hard-dereference --no-recursion --ignore-failed-read -cf - -- "
              + String.join(" ", rel);
      RemoteShell.Output o = sh.run(cmd);
      if (o.exit() != 0) {
        throw new IOException(sh.name() + ": fetching files failed: " + lastLine(o.stderr(), cmd));
      }
      untar(sh.name(), o.stdout(), fetched);
    }
    Set<String> asked = new HashSet<>(content);
    Set<String> check = new HashSet<>(exists);
    check.addAll(large.keySet());
    Set<String> present = existing(sh, root, check);
    asked.addAll(check);
    for (Map.Entry<String, Long> e : large.entrySet()) {
      if (present.contains(e.getKey())) {
        fetched.put(e.getKey(), new Fetched(new Entry(Kind.REGULAR, e.getValue(), null), null));
      }
    }
    return new RemoteFiles(fetched, present, asked);
  }

  static void untar(String host, byte[] tar, Map<String, Fetched> into) throws IOException {
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new ByteArrayInputStream(tar), StandardCharsets.UTF_8.name())) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        String name = e.getName();
        if (!name.startsWith("./")) {
          throw new IOException(host + ": tar stream has entry '" + name + "', expected ./PATH");
        }
        String abs = name.substring(1);
        if (e.isSymbolicLink()) {
          into.put(abs, new Fetched(new Entry(Kind.SYMLINK, 0, e.getLinkName()), null));
        } else if (e.isFile() && !e.isLink()) {
          byte[] b = in.readAllBytes();
          into.put(abs, new Fetched(new Entry(Kind.REGULAR, b.length, null), b));
        } else {
          into.put(abs, new Fetched(new Entry(Kind.OTHER, 0, null), null));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(host + ": not a tar stream: " + e.getMessage(), e);
    }
  }

  /** Which of {@code paths} exist under {@code root} (a symlink counts, whatever it points to). */
  private static Set<String> existing(RemoteShell sh, String root, Collection<String> paths)
      throws IOException, SshException {
    Set<String> out = new HashSet<>();
    for (List<String> batch : batches(paths)) {
      List<String> q = new ArrayList<>();
      batch.forEach(p -> q.add(RemoteShell.quote(RootPaths.normalise(p))));
      String cmd =
          "cd "
              + RemoteShell.quote(root)
              + " && for p in "
              + String.join(" ", q)
              + "; do if [ -e \".$p\" ] || [ -h \".$p\" ]; then printf '%s\\0' \"$p\"; fi; done";
      RemoteShell.Output o = sh.run(cmd);
      if (o.exit() != 0) {
        throw new IOException(
            sh.name() + ": checking which files exist failed: " + lastLine(o.stderr(), cmd));
      }
      for (String p : o.text().split("\0")) {
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
    }
    return out;
  }

  static List<List<String>> batches(Collection<String> paths) {
    List<List<String>> out = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    int bytes = 0;
    for (String p : paths) {
      int n = p.getBytes(StandardCharsets.UTF_8).length + 4;
      if (!cur.isEmpty() && bytes + n > MAX_ARGS_BYTES) {
        out.add(cur);
        cur = new ArrayList<>();
        bytes = 0;
      }
      cur.add(p);
      bytes += n;
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  static String lastLine(String stderr, String command) {
    String s = stderr.strip();
    int nl = s.lastIndexOf('\n');
    String last = nl < 0 ? s : s.substring(nl + 1);
    String cmd = command.length() > 120 ? command.substring(0, 117) + "..." : command;
    return (last.isEmpty() ? "no message" : last) + " (command: " + cmd + ")";
  }

  @Override
  public Entry lstat(String abs) throws IOException {
    Fetched f = fetched.get(abs);
    if (f != null) {
      return f.entry();
    }
    if (present.contains(abs)) {
      return new Entry(Kind.OTHER, 0, null);
    }
    if (asked.contains(abs)) {
      return null;
    }
    throw new IOException(abs + ": not fetched from the host");
  }

  @Override
  public byte[] read(String abs) throws IOException {
    Fetched f = fetched.get(abs);
    if (f == null || f.entry().kind() != Kind.REGULAR) {
      throw new NoSuchFileException(abs);
    }
    if (f.content() == null) {
      throw new IOException(abs + ": not fetched (too large)");
    }
    return f.content().clone();
  }

  /** Zeroes every fetched content: secrets among it leave no copy in this process's memory. */
  void wipe() {
    fetched
        .values()
        .forEach(
            f -> {
              if (f.content() != null) {
                Arrays.fill(f.content(), (byte) 0);
              }
            });
  }
}
