package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds real packages with rpmbuild, installs them into a temporary root with rpm, changes files
 * there, and checks that the agent reports exactly what {@code rpm -Va} reports. Needs root (it
 * chowns files), rpm, rpmbuild, and the agent jar from {@code package}; fails, never skips, without
 * them.
 */
class RpmRootIT {
  private static final String MD5_SPEC =
      """
      Name: kdit-md5
      Version: 1.0
      Release: 1
      Epoch: 3
      Summary: kickdrift IT, MD5 digests
      License: MIT
      BuildArch: noarch
      %define _binary_filedigest_algorithm 1
      %define _build_id_links none
      %description
      IT package.
      %install
      d=%{buildroot}
      mkdir -p $d/etc/kdit $d/var/lib/kdit $d/usr/share/doc/kdit $d/usr/bin
      for f in edited deleted chmod chown touched optional verify same; do
        echo "$f setting" > $d/etc/kdit/$f.conf
      done
      ln -s edited.conf $d/etc/kdit/link
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
      /etc/kdit/link
      %dir /var/lib/kdit
      %ghost /var/lib/kdit/ghost
      %doc /usr/share/doc/kdit/README
      %attr(0755,root,root) /usr/bin/kdit
      """;

  private static final String SHA256_SPEC =
      """
      Name: kdit-sha256
      Version: 2.5
      Release: 7
      Summary: kickdrift IT, SHA-256 digests
      License: MIT
      BuildArch: noarch
      %define _binary_filedigest_algorithm 8
      %define _build_id_links none
      %description
      IT package.
      %install
      mkdir -p %{buildroot}/etc/kdit-sha %{buildroot}/usr/share/kdit-sha
      echo app > %{buildroot}/etc/kdit-sha/app.conf
      echo data > %{buildroot}/usr/share/kdit-sha/data
      echo gone > %{buildroot}/usr/share/kdit-sha/gone
      find %{buildroot} -exec touch -h -d @1600000000 {} +
      %files
      %config(noreplace) /etc/kdit-sha/app.conf
      /usr/share/kdit-sha
      """;

  @TempDir static Path work;
  static Path root;

  @BeforeAll
  static void installPackages() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("RpmRootIT must run as root: it installs packages owned by daemon and chowns files");
    }
    requireTool("rpm", "--version");
    requireTool("rpmbuild", "--version");
    root = work.resolve("root");
    Files.createDirectories(root.resolve("etc"));
    // The root's accounts match the host's, so rpm (which resolves ids on the host) and the agent
    // (which reads the root's /etc/passwd) name the same owners.
    Files.copy(Path.of("/etc/passwd"), root.resolve("etc/passwd"));
    Files.copy(Path.of("/etc/group"), root.resolve("etc/group"));
    List<String> rpms = new ArrayList<>();
    for (String spec : List.of(MD5_SPEC, SHA256_SPEC)) {
      Path file = work.resolve("pkg" + rpms.size() + ".spec");
      Files.writeString(file, spec);
      run(
          List.of(
              "rpmbuild",
              "--quiet",
              "--define",
              "_topdir " + work.resolve("build"),
              "-bb",
              file.toString()),
          0);
      rpms.add(null);
    }
    List<String> install =
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
    try (var s = Files.list(work.resolve("build/RPMS/noarch"))) {
      s.map(Path::toString).sorted().forEach(install::add);
    }
    run(install, 0);
  }

  @Test
  void findingsEqualRpmVerifyAll() throws Exception {
    assertThat(rpmVa()).as("rpm -Va right after install").isEmpty();
    assertThat(agent(0)).as("agent right after install").isEmpty();

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

    List<RpmVaLine> rpm = rpmVa();
    assertThat(rpm)
        .as("what rpm -Va itself reports for these changes")
        .containsExactly(
            new RpmVaLine("S.5....T.", 'c', "/etc/kdit-sha/app.conf"),
            new RpmVaLine(".M.......", 'c', "/etc/kdit/chmod.conf"),
            new RpmVaLine(".....UG..", ' ', "/etc/kdit/chown.conf"),
            new RpmVaLine("missing", 'c', "/etc/kdit/deleted.conf"),
            new RpmVaLine("S.5....T.", 'c', "/etc/kdit/edited.conf"),
            new RpmVaLine("....L....", ' ', "/etc/kdit/link"),
            new RpmVaLine(".......T.", ' ', "/etc/kdit/touched.conf"),
            new RpmVaLine("missing", 'd', "/usr/share/doc/kdit/README"),
            new RpmVaLine("missing", ' ', "/usr/share/kdit-sha/gone"),
            new RpmVaLine(".M.......", ' ', "/var/lib/kdit"));
    assertThat(agent(1)).as("kickdrift-agent scan --rpm-format").containsExactlyElementsOf(rpm);
  }

  @Test
  void sqliteReaderAndRpmQueryGiveTheSameRecords() throws Exception {
    PackageDatabase sqlite = RpmSqliteReader.read(root);
    PackageDatabase query = RpmQueryReader.read(root, RpmQueryReader::runRpm);

    assertThat(sqlite.warnings()).isEmpty();
    assertThat(query.warnings()).hasSize(1);
    assertThat(sorted(query.files())).containsExactlyElementsOf(sorted(sqlite.files()));
    assertThat(sqlite.files()).extracting(PackageFile::pkg).containsOnly("kdit-md5", "kdit-sha256");
    assertThat(sqlite.files())
        .filteredOn(f -> f.path().equals("/etc/kdit-sha/app.conf"))
        .singleElement()
        .satisfies(f -> assertThat(f.digest().algorithm().label()).isEqualTo("sha256"))
        .satisfies(f -> assertThat(f.version()).isEqualTo("2.5-7"));
    assertThat(sqlite.files())
        .filteredOn(f -> f.path().equals("/etc/kdit/edited.conf"))
        .singleElement()
        .satisfies(f -> assertThat(f.digest().algorithm().label()).isEqualTo("md5"))
        .satisfies(f -> assertThat(f.version()).isEqualTo("3:1.0-1"));
  }

  private static List<PackageFile> sorted(List<PackageFile> files) {
    return files.stream().sorted(Comparator.comparing(PackageFile::path)).toList();
  }

  private static List<RpmVaLine> rpmVa() throws Exception {
    String out =
        run(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-Va"), -1);
    return byPath(RpmVaParser.parse(out));
  }

  private static List<RpmVaLine> agent(int expectedExit) throws Exception {
    Path jar = Path.of(System.getProperty("basedir", "."), "target", "kickdrift-agent.jar");
    if (!Files.isRegularFile(jar)) {
      fail(jar.toAbsolutePath() + " is missing: run the IT through `mvn verify` (after package)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String out =
        run(
            List.of(
                java,
                "-jar",
                jar.toString(),
                "scan",
                "--root",
                root.toString(),
                "--all",
                "--rpm-format",
                "--no-unowned",
                "--no-cache"),
            expectedExit);
    return byPath(RpmVaParser.parse(out));
  }

  private static List<RpmVaLine> byPath(List<RpmVaLine> lines) {
    return lines.stream().sorted(Comparator.comparing(RpmVaLine::path)).toList();
  }

  private static void requireTool(String... cmd) {
    try {
      run(List.of(cmd), 0);
    } catch (Exception e) {
      fail(cmd[0] + " is needed by RpmRootIT (apt-get install rpm): " + e.getMessage());
    }
  }

  /** Runs a command; {@code expectedExit} -1 accepts 0 and 1 (rpm -V's "found problems"). */
  private static String run(List<String> cmd, int expectedExit)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + ": timed out");
    }
    int rc = p.exitValue();
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    boolean ok = expectedExit < 0 ? rc == 0 || rc == 1 : rc == expectedExit;
    if (!ok) {
      fail(
          String.join(" ", cmd)
              + ": exit "
              + rc
              + "\nstdout:\n"
              + stdout
              + "\nstderr:\n"
              + Files.readString(err, StandardCharsets.UTF_8));
    }
    return stdout;
  }
}
