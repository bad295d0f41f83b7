package io.kickdrift.testkit;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A scratch root whose dpkg database the real dpkg fills: {@code dpkg --root} installs and removes
 * .debs made by {@link DebBuilder}, {@code dpkg-divert} and {@code update-alternatives} record
 * their own files, as on a Debian host.
 *
 * <p>Example: {@code DpkgTestRoot.create(work.resolve("root")).install(debs).remove("delta")}
 */
public final class DpkgTestRoot {
  /** root and daemon, as a Debian base system has them. */
  public static final String PASSWD =
      "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";

  /** root, daemon and adm. */
  public static final String GROUP = "root:x:0:\ndaemon:x:1:\nadm:x:4:\n";

  private final Path root;

  private DpkgTestRoot(Path root) {
    this.root = root;
  }

  /** An empty dpkg database under {@code root}, and {@link #PASSWD} and {@link #GROUP}. */
  public static DpkgTestRoot create(Path root) throws Exception {
    return create(root, PASSWD, GROUP);
  }

  /** An empty dpkg database under {@code root}, and the root's own accounts. */
  public static DpkgTestRoot create(Path root, String passwd, String group) throws Exception {
    Cmd.require("dpkg", "dpkg");
    Cmd.require("dpkg-deb", "dpkg");
    Path admin = root.resolve("var/lib/dpkg");
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    Files.createDirectories(admin.resolve("alternatives"));
    Files.writeString(admin.resolve("status"), "");
    Files.writeString(admin.resolve("available"), "");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), passwd);
    Files.writeString(root.resolve("etc/group"), group);
    return new DpkgTestRoot(root);
  }

  public Path path() {
    return root;
  }

  /** {@code dpkg --add-architecture}, for Multi-Arch: same packages of two architectures. */
  public DpkgTestRoot addArchitecture(String arch) throws Exception {
    Cmd.ok("dpkg", "--root=" + root, "--add-architecture", arch);
    return this;
  }

  /** Installs {@code debs} with {@link DebBuilder#install} and the dpkg {@code options}. */
  public DpkgTestRoot install(List<Path> debs, String... options) throws Exception {
    DebBuilder.install(root, debs, options);
    return this;
  }

  /**
   * A root at {@code work/root} with the packages (built into {@code work/debs}) of the seeded
   * roots the agent's DpkgRootIT and the server's AgentlessDpkgIT scan: alpha 1.0-1 (conffiles
   * alpha.conf, "with space.conf" and mode.conf, a packaged link current.conf, a script, data) with
   * what {@code moreAlpha} adds; libbeta 2.0-1, Multi-Arch: same, for amd64 (zstd, as Ubuntu
   * builds) and i386 (gzip, as older archives), sharing /etc/beta.conf; gamma 1:3.0-1
   * (uncompressed), its /usr/bin/gamma diverted to /usr/bin/gamma.distrib; and delta 1.0, removed,
   * so its conffile stays.
   */
  public static DpkgTestRoot alphaFamily(Path work, UnaryOperator<DebBuilder> moreAlpha)
      throws Exception {
    Path build = work.resolve("build");
    Path debs = work.resolve("debs");
    List<Path> packages = new ArrayList<>();
    packages.add(
        moreAlpha
            .apply(
                DebBuilder.deb("alpha", "1.0-1", "all")
                    .conffile("/etc/alpha/alpha.conf", "setting = 1\n")
                    .conffile("/etc/alpha/with space.conf", "other = 2\n")
                    .conffile("/etc/alpha/mode.conf", "mode = 1\n")
                    .symlink("/etc/alpha/current.conf", "alpha.conf")
                    .file("/usr/bin/alpha", "#!/bin/sh\necho alpha\n", 0755, 0, 0)
                    .file("/usr/share/alpha/data.txt", "data\n"))
            .build(build, debs));
    for (String arch : List.of("amd64", "i386")) {
      String triplet = arch.equals("amd64") ? "x86_64-linux-gnu" : "i386-linux-gnu";
      packages.add(
          DebBuilder.deb("libbeta", "2.0-1", arch)
              .multiArchSame()
              .compression(arch.equals("amd64") ? "zstd" : "gzip")
              .conffile("/etc/beta.conf", "beta = shared\n")
              .file("/usr/lib/" + triplet + "/libbeta.so.1", "ELF " + arch + "\n")
              .file("/usr/share/doc/libbeta/copyright", "public domain\n")
              .build(build, debs));
    }
    packages.add(
        DebBuilder.deb("gamma", "1:3.0-1", "all")
            .compression("none")
            .file("/usr/bin/gamma", "#!/bin/sh\necho gamma\n", 0755, 0, 0)
            .build(build, debs));
    packages.add(
        DebBuilder.deb("delta", "1.0", "all")
            .conffile("/etc/delta.conf", "delta\n")
            .build(build, debs));
    return create(work.resolve("root"))
        .addArchitecture("i386")
        .install(packages)
        .remove("delta")
        .divert("/usr/bin/gamma", "/usr/bin/gamma.distrib");
  }

  /** {@code dpkg -r}: the package's conffiles stay (status config-files). */
  public DpkgTestRoot remove(String pkg) throws Exception {
    Cmd.ok("dpkg", "--root=" + root, "--force-script-chrootless", "-r", pkg);
    return this;
  }

  /** A local diversion that renames the package's {@code path} to {@code divertTo}. */
  public DpkgTestRoot divert(String path, String divertTo) throws Exception {
    Cmd.ok(
        "dpkg-divert",
        "--root=" + root,
        "--local",
        "--rename",
        "--divert",
        divertTo,
        "--add",
        path);
    return this;
  }

  /** {@code update-alternatives --install LINK NAME TARGET PRIORITY}. */
  public DpkgTestRoot alternative(String link, String name, String target, int priority)
      throws Exception {
    Cmd.ok(
        "update-alternatives",
        "--root",
        root.toString(),
        "--install",
        link,
        name,
        target,
        Integer.toString(priority));
    return this;
  }

  /**
   * A file ucf tracks for {@code pkg}: the md5 of the maintainer's version in ucf's hashfile, the
   * registration in its registry, and {@code content} on disk.
   */
  public DpkgTestRoot ucf(String path, String maintainerVersion, String pkg, String content)
      throws Exception {
    Files.writeString(root.resolve(path.substring(1)), content);
    Files.createDirectories(root.resolve("var/lib/ucf"));
    Files.writeString(
        root.resolve("var/lib/ucf/hashfile"),
        DebBuilder.md5(maintainerVersion) + "  " + path + "\n");
    Files.writeString(root.resolve("var/lib/ucf/registry"), pkg + " " + path + "\n");
    return this;
  }

  /** A copy of {@code root} at {@code to} ({@code cp -a}: modes, owners, links and times kept). */
  public static Path copy(Path root, Path to) throws Exception {
    Cmd.ok("cp", "-a", root.toString(), to.toString());
    return to;
  }
}
