package io.kickdrift.server.fleet;

import static io.kickdrift.server.fleet.AgentlessDpkgIT.KEY;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.agent;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.agentless;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.assertSameFindings;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.byPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.agent.pkgdb.rpm.RpmRoots;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A root with real RPMs (rpmbuild, rpm --root -i, an sqlite rpmdb) and seeded drift, scanned
 * agentless through a local {@code sh -c} and by the agent jar; the reports must agree finding by
 * finding.
 */
class AgentlessRpmIT {
  // As the agent's RpmRootIT: an MD5 package with every kind of file attribute, a SHA-256 one.
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
      for f in edited deleted chmod chown touched optional verify same key; do
        echo "$f setting" > $d/etc/kdit/$f.conf
      done
      ln -s edited.conf $d/etc/kdit/link
      echo readme > $d/usr/share/doc/kdit/README
      printf '#!/bin/sh\\necho kdit\\n' > $d/usr/bin/kdit
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

  static Path work;
  static Path root;

  @BeforeAll
  static void installPackages() throws Exception {
    Cmd.require("rpmbuild", "rpm");
    assertThat(System.getProperty("user.name")).as("agentless scans run as root").isEqualTo("root");
    work = Files.createTempDirectory("kd-agentless-rpm-it");
    root = work.resolve("root");
    int n = 0;
    for (String spec : List.of(MD5_SPEC, SHA256_SPEC)) {
      Path file = work.resolve("pkg" + n++ + ".spec");
      Files.writeString(file, spec);
      Cmd.ok(
          "rpmbuild",
          "--quiet",
          "--define",
          "_topdir " + work.resolve("build"),
          "-bb",
          file.toString());
    }
    RpmRoots.install(root, work.resolve("build/RPMS/noarch"));
    assertThat(root.resolve("var/lib/rpm/rpmdb.sqlite")).exists();

    // Seeded drift, as in the agent's RpmRootIT, and more in /etc.
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
    Files.writeString(etc.resolve("key.conf"), KEY);
    Files.delete(etc.resolve("link"));
    Files.createSymbolicLink(etc.resolve("link"), Path.of("chmod.conf"));
    Files.setPosixFilePermissions(
        root.resolve("var/lib/kdit"), PosixFilePermissions.fromString("rwx------"));
    Files.delete(root.resolve("usr/share/doc/kdit/README"));
    Files.writeString(root.resolve("etc/kdit-sha/app.conf"), "app, tuned\n");
    Files.delete(root.resolve("usr/share/kdit-sha/gone"));
    Files.writeString(etc.resolve("local.conf"), "mine\n");
    Files.writeString(etc.resolve("edited.conf.rpmnew"), "edited setting\n");
    Files.writeString(etc.resolve("tls.pem"), KEY);
    Files.createSymbolicLink(etc.resolve("mine-link"), Path.of("local.conf"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (work != null) {
      Cmd.ok("rm", "-rf", work.toString());
    }
  }

  @Test
  void configScopeMatchesTheAgent() throws Exception {
    assertSameFindings(agentless(root, false), "rpm -Va", agent(root, false), "rpm-sqlite");
  }

  @Test
  void allFilesMatchTheAgent() throws Exception {
    ScanReport ours = agentless(root, true);
    assertSameFindings(ours, "rpm -Va", agent(root, true), "rpm-sqlite");
    Map<String, Finding> byPath = byPath(ours);
    assertThat(byPath.get("/usr/share/kdit-sha/gone").status()).isEqualTo(Status.MISSING);
    assertThat(byPath.get("/var/lib/kdit").rpmLine()).isEqualTo(".M.......    /var/lib/kdit");
  }

  @Test
  void seededDriftIsReported() throws Exception {
    ScanReport ours = agentless(root, false);
    Map<String, Finding> byPath = byPath(ours);
    assertThat(byPath.get("/etc/kdit-sha/app.conf").rpmLine())
        .isEqualTo("S.5....T.  c /etc/kdit-sha/app.conf");
    assertThat(byPath.get("/etc/kdit-sha/app.conf").actual().digest().toString())
        .startsWith("sha256:");
    assertThat(byPath.get("/etc/kdit/edited.conf").actual().digest().toString()).startsWith("md5:");
    assertThat(byPath.get("/etc/kdit/deleted.conf").status()).isEqualTo(Status.MISSING);
    assertThat(byPath.get("/etc/kdit/chmod.conf").rpmLine())
        .isEqualTo(".M.......  c /etc/kdit/chmod.conf");
    assertThat(byPath.get("/etc/kdit/key.conf").secret()).isEqualTo("content: private key");
    assertThat(byPath.get("/etc/kdit/tls.pem").secret()).isEqualTo("content: private key");
    assertThat(byPath.get("/etc/kdit/local.conf").status()).isEqualTo(Status.UNOWNED);
    assertThat(byPath.get("/etc/kdit/mine-link").actual().linkTarget()).isEqualTo("local.conf");
    assertThat(byPath).doesNotContainKeys("/etc/kdit/optional.conf", "/etc/kdit/same.conf");
    assertThat(ours.leftovers()).containsExactly("/etc/kdit/edited.conf.rpmnew");
  }
}
