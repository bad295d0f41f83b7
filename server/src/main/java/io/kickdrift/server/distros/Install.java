package io.kickdrift.server.distros;

import io.kickdrift.agent.state.AtomicWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Puts kernel and initrd into the served tree, all or nothing. Each is fetched to {@code
 * .NAME.part} beside its final name (kept when a transfer breaks, so the next run resumes it),
 * checked against its checksum (a mismatch deletes it; a part that already matches is not fetched
 * again), forced to disk, and only when both are good renamed into place: {@code
 * distros/DISTRO/vmlinuz} and {@code distros/DISTRO/initrd.img} under the root.
 */
public final class Install {
  /**
   * One file to install: where it is in the tree, its final name, its checksum if known.
   *
   * @param checksumFrom the file the checksum comes from, for messages: the {@code .treeinfo} or
   *     {@code SHA256SUMS}, by URL or path
   */
  public record Part(
      String treePath, String name, Optional<Checksum> checksum, String checksumFrom) {}

  private Install() {}

  /** The directory of a distro's images under the root, e.g. {@code distros/rocky9}. */
  public static String dir(String distro) {
    return "distros/" + distro;
  }

  /**
   * Fetches, verifies and installs {@code parts} under {@code root/distros/DISTRO}.
   *
   * @throws ImportException a missing file or a checksum mismatch; nothing is installed then, and
   *     no directory is left that was not there before
   */
  public static List<Path> install(
      TreeSource tree, Path root, String distro, List<Part> parts, Progress progress)
      throws IOException, ImportException {
    Path dir = root.resolve(dir(distro));
    List<Path> created = createDirectories(dir);
    List<AtomicWrite.Part> fetched = new ArrayList<>();
    boolean done = false;
    try {
      for (Part p : parts) {
        AtomicWrite.Part part = AtomicWrite.to(dir.resolve(p.name())).part();
        if (!complete(part.path(), p.checksum())) {
          tree.fetch(p.treePath(), part.path(), progress);
        }
        fetched.add(part);
        if (p.checksum().isPresent()) {
          verify(part.path(), p.checksum().get(), tree.location(p.treePath()), p.checksumFrom());
        }
        part.sync(); // every part on disk before the first rename: all or nothing
      }
      List<Path> installed = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        fetched.get(i).commit();
        installed.add(dir.resolve(parts.get(i).name()));
      }
      done = true;
      return installed;
    } catch (ImportException e) {
      // A bad file is never resumed: delete every part verified or not, then empty directories.
      for (AtomicWrite.Part f : fetched) {
        Files.deleteIfExists(f.path());
      }
      throw e;
    } finally {
      if (!done) {
        removeIfEmpty(created);
      }
    }
  }

  /** Whether a part left by an earlier run is already the whole, verified file. */
  private static boolean complete(Path part, Optional<Checksum> checksum) throws IOException {
    return checksum.isPresent()
        && Files.isRegularFile(part)
        && Files.size(part) > 0
        && digest(part, checksum.get().newDigest()).equals(checksum.get().hex());
  }

  /** Compares the file's digest with the checksum; a mismatch deletes the file. */
  static void verify(Path file, Checksum expected, String location, String from)
      throws IOException, ImportException {
    String actual = digest(file, expected.newDigest());
    if (!actual.equals(expected.hex())) {
      Files.deleteIfExists(file);
      throw new ImportException(
          "checksum mismatch for "
              + location
              + ": "
              + from
              + " says "
              + expected
              + ", the file has "
              + expected.algorithm()
              + ":"
              + actual);
    }
  }

  /** The hex digest of a file. */
  public static String digest(Path file, MessageDigest digest) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static List<Path> createDirectories(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path d = dir.toAbsolutePath(); d != null && !Files.exists(d); d = d.getParent()) {
      missing.add(d);
    }
    Files.createDirectories(dir);
    return missing;
  }

  private static void removeIfEmpty(List<Path> created) {
    for (Path d : created) {
      try {
        Files.deleteIfExists(d);
      } catch (IOException e) {
        return; // not empty (a .part kept for resuming): keep it and its parents
      }
    }
  }
}
