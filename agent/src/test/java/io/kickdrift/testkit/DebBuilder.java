package io.kickdrift.testkit;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a real .deb with {@code dpkg-deb --build}: files with modes and owners, symlinks,
 * conffiles and an md5sums file, as a Debian package would carry them.
 */
public final class DebBuilder {
  private record Entry(String content, String linkTarget, int mode, int uid, int gid) {}

  private final String name;
  private final String version;
  private final String arch;
  private String multiArch;
  private String compression = "xz";
  private final Map<String, Entry> files = new TreeMap<>();
  private final List<String> conffiles = new ArrayList<>();

  private DebBuilder(String name, String version, String arch) {
    this.name = name;
    this.version = version;
    this.arch = arch;
  }

  public static DebBuilder deb(String name, String version, String arch) {
    return new DebBuilder(name, version, arch);
  }

  /** dpkg-deb's -Z: xz (default), gzip, zstd or none. */
  public DebBuilder compression(String type) {
    compression = type;
    return this;
  }

  public DebBuilder multiArchSame() {
    multiArch = "same";
    return this;
  }

  public DebBuilder file(String path, String content) {
    return file(path, content, 0644, 0, 0);
  }

  public DebBuilder file(String path, String content, int mode, int uid, int gid) {
    files.put(path, new Entry(content, null, mode, uid, gid));
    return this;
  }

  public DebBuilder conffile(String path, String content) {
    return conffile(path, content, 0644, 0, 0);
  }

  public DebBuilder conffile(String path, String content, int mode, int uid, int gid) {
    conffiles.add(path);
    return file(path, content, mode, uid, gid);
  }

  public DebBuilder symlink(String path, String target) {
    files.put(path, new Entry(null, target, 0777, 0, 0));
    return this;
  }

  /** Builds into {@code outDir}, returning the .deb (named name_version_arch.deb). */
  public Path build(Path work, Path outDir) throws IOException, InterruptedException {
    Path dir = work.resolve(name + "_" + arch);
    Path debian = dir.resolve("DEBIAN");
    Files.createDirectories(debian);
    StringBuilder md5 = new StringBuilder();
    for (Map.Entry<String, Entry> e : files.entrySet()) {
      Path p = dir.resolve(e.getKey().substring(1));
      Files.createDirectories(p.getParent());
      Entry f = e.getValue();
      if (f.linkTarget() != null) {
        Files.createSymbolicLink(p, Path.of(f.linkTarget()));
        continue;
      }
      Files.writeString(p, f.content());
      md5.append(md5(f.content())).append("  ").append(e.getKey().substring(1)).append('\n');
    }
    StringBuilder control = new StringBuilder();
    control.append("Package: ").append(name).append('\n');
    control.append("Version: ").append(version).append('\n');
    control.append("Architecture: ").append(arch).append('\n');
    if (multiArch != null) {
      control.append("Multi-Arch: ").append(multiArch).append('\n');
    }
    control.append("Maintainer: Test <test@example.org>\nDescription: kickdrift test package\n");
    Files.writeString(debian.resolve("control"), control);
    Files.writeString(debian.resolve("md5sums"), md5);
    if (!conffiles.isEmpty()) {
      Files.writeString(debian.resolve("conffiles"), String.join("\n", conffiles) + "\n");
    }
    Cmd.ok("chown", "-R", "0:0", dir.toString());
    Cmd.ok("chmod", "-R", "u=rwX,go=rX", dir.toString());
    for (Map.Entry<String, Entry> e : files.entrySet()) {
      Entry f = e.getValue();
      if (f.linkTarget() != null) {
        continue;
      }
      String p = dir.resolve(e.getKey().substring(1)).toString();
      Cmd.ok("chown", f.uid() + ":" + f.gid(), p);
      Cmd.ok("chmod", Integer.toOctalString(f.mode()), p);
    }
    Files.createDirectories(outDir);
    Cmd.ok("dpkg-deb", "-Z" + compression, "--build", dir.toString(), outDir.toString());
    // dpkg-deb leaves the epoch out of the file name.
    String fileVersion = version.substring(version.indexOf(':') + 1);
    return outDir.resolve(name + "_" + fileVersion + "_" + arch + ".deb");
  }

  /**
   * Installs .debs into a scratch root as the tests do: {@code dpkg --root=R --force-not-root
   * --force-script-chrootless --force-bad-path [options] -i DEB...}.
   */
  public static void install(Path root, List<Path> debs, String... options)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "dpkg",
                "--root=" + root,
                "--force-not-root",
                "--force-script-chrootless",
                "--force-bad-path"));
    cmd.addAll(List.of(options));
    cmd.add("-i");
    debs.forEach(d -> cmd.add(d.toString()));
    Cmd.ok(cmd.toArray(String[]::new));
  }

  public static String md5(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
