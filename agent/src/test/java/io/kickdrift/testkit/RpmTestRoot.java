package io.kickdrift.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scratch roots with real RPMs: packages built by {@code rpmbuild} from a spec, installed by {@code
 * rpm --root --dbpath /var/lib/rpm}, verified by {@code rpm -Va}. Agent and server tests share the
 * "kdit" packages and their seeded drift, so both compare against the same rpm verdicts.
 */
public final class RpmTestRoot {
  /** rpm's number for MD5 file digests ({@code _binary_filedigest_algorithm}). */
  public static final int MD5 = 1;

  /** rpm's number for SHA-256 file digests. */
  public static final int SHA256 = 8;

  /**
   * kdit-md5 3:1.0-1: MD5 digests and every kind of file attribute (config, noreplace, missingok,
   * %verify, %attr, ghost, doc, a directory, a link).
   */
  public static final String KDIT_MD5_SPEC =
      spec(
          "kdit-md5",
          "1.0",
          "1",
          MD5,
          "Epoch: 3",
          settings("/etc/kdit", "edited deleted chmod chown touched optional verify same key")
              + """
      mkdir -p $d/var/lib/kdit $d/usr/share/doc/kdit $d/usr/bin
      echo readme > $d/usr/share/doc/kdit/README
      printf '#!/bin/sh\\necho kdit\\n' > $d/usr/bin/kdit
      # Past mtimes, so an edit within the same second as the build still changes T.
      find $d -exec touch -h -d @1600000000 {} +
      %files
      %dir /etc/kdit
      %config /etc/kdit/edited.conf
      %config(noreplace) /etc/kdit/deleted.conf
      %config /etc/kdit/chmod.conf
      /etc/kdit/chown.conf
      /etc/kdit/touched.conf
      %config(missingok) /etc/kdit/optional.conf
      %verify(not md5 size mtime) %config /etc/kdit/verify.conf
      %config(noreplace) %attr(0640,root,daemon) /etc/kdit/same.conf
      %config /etc/kdit/key.conf
      /etc/kdit/link
      %dir /var/lib/kdit
      %ghost /var/lib/kdit/ghost
      %doc /usr/share/doc/kdit/README
      %attr(0755,root,root) /usr/bin/kdit
      """);

  /** kdit-sha256 2.5-7: SHA-256 digests, a config file and a packaged directory. */
  public static final String KDIT_SHA256_SPEC =
      spec(
          "kdit-sha256",
          "2.5",
          "7",
          SHA256,
          "",
          """
      %install
      mkdir -p %{buildroot}/etc/kdit-sha %{buildroot}/usr/share/kdit-sha
      echo app > %{buildroot}/etc/kdit-sha/app.conf
      echo data > %{buildroot}/usr/share/kdit-sha/data
      echo gone > %{buildroot}/usr/share/kdit-sha/gone
      find %{buildroot} -exec touch -h -d @1600000000 {} +
      %files
      %config(noreplace) /etc/kdit-sha/app.conf
      /usr/share/kdit-sha
      """);

  private RpmTestRoot() {}

  /**
   * The start of an {@code %install} section that makes {@code dir} with, for each of the
   * space-separated {@code names}, a file NAME.conf holding "NAME setting", and a link {@code
   * dir/link} to edited.conf; {@code $d} is the build root.
   */
  public static String settings(String dir, String names) {
    return String.join(
        "\n",
        "%install",
        "d=%{buildroot}",
        "mkdir -p $d" + dir,
        "for f in " + names + "; do",
        "  echo \"$f setting\" > $d" + dir + "/$f.conf",
        "done",
        "ln -s edited.conf $d" + dir + "/link",
        "");
  }

  /**
   * A noarch spec of {@code name} {@code version}-{@code release} whose file digests are {@code
   * digests} ({@link #MD5}, {@link #SHA256}), without build-id links; {@code preamble} adds header
   * lines (an Epoch, a {@code %define}), {@code body} is the {@code %install} and {@code %files}.
   */
  public static String spec(
      String name, String version, String release, int digests, String preamble, String body) {
    return String.join(
            "\n",
            "Name: " + name,
            "Version: " + version,
            "Release: " + release,
            preamble,
            "Summary: kickdrift test package " + name,
            "License: MIT",
            "BuildArch: noarch",
            "%define _binary_filedigest_algorithm " + digests,
            "%define _build_id_links none",
            "%description",
            "IT package.",
            "")
        + body;
  }

  /**
   * Builds each spec with {@code rpmbuild -bb} under {@code work/build}, returning the directory of
   * the noarch .rpm files.
   */
  public static Path build(Path work, String... specs) throws Exception {
    Cmd.require("rpmbuild", "rpm");
    Files.createDirectories(work);
    for (int i = 0; i < specs.length; i++) {
      Path file = work.resolve("pkg" + i + ".spec");
      Files.writeString(file, specs[i]);
      Cmd.ok(
          "rpmbuild",
          "--quiet",
          "--define",
          "_topdir " + work.resolve("build"),
          "-bb",
          file.toString());
    }
    return work.resolve("build/RPMS/noarch");
  }

  /**
   * Installs every .rpm in {@code rpms} into {@code root} ({@code rpm --root R --dbpath
   * /var/lib/rpm -i --nodeps --noscripts}). This machine's passwd and group are copied in first:
   * rpm resolves owners through this machine's accounts, the agent through the root's.
   */
  public static Path install(Path root, Path rpms) throws Exception {
    Cmd.require("rpm", "rpm");
    Files.createDirectories(root.resolve("etc"));
    Files.copy(Path.of("/etc/passwd"), root.resolve("etc/passwd"));
    Files.copy(Path.of("/etc/group"), root.resolve("etc/group"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "rpm",
                "--root",
                root.toString(),
                "--dbpath",
                "/var/lib/rpm",
                "-i",
                "--nodeps",
                "--noscripts",
                "--ignoreos",
                "--ignorearch"));
    try (Stream<Path> s = Files.list(rpms)) {
      s.map(Path::toString).filter(p -> p.endsWith(".rpm")).sorted().forEach(cmd::add);
    }
    Cmd.ok(cmd.toArray(String[]::new));
    return root;
  }

  /** {@code rpm -Va} on {@code root}: its lines, sorted (exit 0 or 1, "found problems"). */
  public static List<String> verifyAll(Path root) throws Exception {
    Cmd.Result r =
        Cmd.run(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-Va"));
    assertThat(r.exit()).as(r.err()).isIn(0, 1);
    return r.lines().stream().sorted().toList();
  }

  /**
   * The drift every kdit test seeds: an edit, a deletion, a chmod, a chown, a touch, a missing
   * missingok file, an edit %verify ignores, a link retargeted, a directory's mode, a missing doc,
   * an edited SHA-256 config file and a file gone from a packaged directory.
   */
  public static void seedKditDrift(Path root) throws Exception {
    Path etc = root.resolve("etc/kdit");
    Files.writeString(etc.resolve("edited.conf"), "edited by hand, longer\n");
    Files.delete(etc.resolve("deleted.conf"));
    Files.setPosixFilePermissions(
        etc.resolve("chmod.conf"), PosixFilePermissions.fromString("rw-------"));
    Files.setAttribute(etc.resolve("chown.conf"), "unix:uid", 1, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(etc.resolve("chown.conf"), "unix:gid", 1, LinkOption.NOFOLLOW_LINKS);
    Files.setLastModifiedTime(etc.resolve("touched.conf"), FileTime.fromMillis(1_000_000_000_000L));
    Files.delete(etc.resolve("optional.conf"));
    Files.writeString(etc.resolve("verify.conf"), "changed, but %verify(not md5 size mtime)\n");
    Files.delete(etc.resolve("link"));
    Files.createSymbolicLink(etc.resolve("link"), Path.of("chmod.conf"));
    Files.setPosixFilePermissions(
        root.resolve("var/lib/kdit"), PosixFilePermissions.fromString("rwx------"));
    Files.delete(root.resolve("usr/share/doc/kdit/README"));
    Files.writeString(root.resolve("etc/kdit-sha/app.conf"), "app, tuned\n");
    Files.delete(root.resolve("usr/share/kdit-sha/gone"));
  }
}
