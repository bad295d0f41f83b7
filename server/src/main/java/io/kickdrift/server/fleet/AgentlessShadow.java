package io.kickdrift.server.fleet;

import io.kickdrift.agent.pkgdb.OwnedPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A copy on this machine of the small part of a host's tree the agent's package database readers
 * need: the dpkg database's text files and ucf's registry, or the sqlite rpm database; the account
 * files and the merged-/usr links. Fetched as one tar stream; deleted by {@link #close}.
 */
final class AgentlessShadow implements AutoCloseable {
  private final Path dir;

  private AgentlessShadow(Path dir) {
    this.dir = dir;
  }

  Path root() {
    return dir;
  }

  /**
   * The command that writes the tar stream, run in the host's root: {@code files} (relative, shell
   * words, globs allowed; those that do not exist are left out) and the merged-/usr links.
   */
  static String command(String root, String files) {
    StringBuilder links = new StringBuilder();
    for (String d : OwnedPaths.MERGED_USR_DIRS) {
      links.append(' ').append(d.substring(1));
    }
    return "cd "
        + RemoteShell.quote(root)
        + " && { for f in "
        + files
        + "; do if [ -e \"$f\" ]; then printf '%s\\0' \"$f\"; fi; done; for f in"
        + links
        + "; do if [ -h \"$f\" ]; then printf '%s\\0' \"$f\"; fi; done; }"
        // names end in NUL and are taken as they are: one with a newline, or starting with '-'
        + " | tar --null --verbatim-files-from -cf - -T -";
  }

  /**
   * Unpacks {@code tar} into a new temporary directory. Only the merged-/usr names may be symbolic
   * links there (so nothing read later can lead outside it); other links and special files are
   * skipped.
   */
  static AgentlessShadow unpack(String command, InputStream tar) throws IOException {
    Path dir = Files.createTempDirectory("kickdrift-agentless");
    AgentlessShadow shadow = new AgentlessShadow(dir);
    try {
      Map<Path, String> links = new LinkedHashMap<>();
      try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
          String name = e.getName();
          Path target = dir.resolve(name).normalize();
          if (name.startsWith("/") || !target.startsWith(dir) || target.equals(dir)) {
            throw new AgentlessParseException(
                command, "tar entry", "name outside the root: '" + name + "'");
          }
          if (e.isDirectory()) {
            Files.createDirectories(target);
          } else if (e.isSymbolicLink()) {
            if (isMergedUsrLink(name)) {
              links.put(target, e.getLinkName());
            }
          } else if (e.isFile()) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
          }
        }
      }
      // Last, so no entry above could have been written through one.
      for (Map.Entry<Path, String> l : links.entrySet()) {
        Files.createSymbolicLink(l.getKey(), Path.of(l.getValue()));
      }
      return shadow;
    } catch (IOException | RuntimeException e) {
      shadow.close();
      if (e instanceof AgentlessParseException) {
        throw e;
      }
      throw new AgentlessParseException(command, "tar stream", String.valueOf(e.getMessage()));
    }
  }

  private static boolean isMergedUsrLink(String name) {
    return OwnedPaths.MERGED_USR_DIRS.contains("/" + name);
  }

  /** Deletes the copy; never throws (a leftover temporary directory is not worth failing for). */
  @Override
  public void close() {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Best effort: the temporary directory holds only package metadata and account names.
    }
  }
}
