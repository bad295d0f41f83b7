package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.agent.pkgdb.rpm.RpmRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The restore round trip on an RPM root: packages built with rpmbuild, installed with {@code rpm
 * --root --dbpath}, drift seeded, scanned into a repository, the same packages installed into a
 * fresh root, restored, scanned again into the same repository: nothing new.
 */
class RpmRestoreIT {
  static final String HOST = "db01";
  private static final String SPEC =
      """
      Name: kdrestore
      Version: 1.0
      Release: 1
      Summary: kickdrift restore IT
      License: MIT
      BuildArch: noarch
      %define _binary_filedigest_algorithm 8
      %define _build_id_links none
      %description
      IT package.
      %install
      d=%{buildroot}
      mkdir -p $d/etc/kdr
      for f in edited deleted chmod chown same; do
        echo "$f setting" > $d/etc/kdr/$f.conf
      done
      ln -s edited.conf $d/etc/kdr/link
      find $d -exec touch -h -d @1600000000 {} +
      %files
      %dir /etc/kdr
      %config /etc/kdr/edited.conf
      %config(noreplace) /etc/kdr/deleted.conf
      %config /etc/kdr/chmod.conf
      %config /etc/kdr/chown.conf
      %config /etc/kdr/same.conf
      /etc/kdr/link
      """;

  static Path work;
  static Path rpms;

  @BeforeAll
  static void buildPackage() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("RpmRestoreIT must run as root: it installs and restores files owned by daemon");
    }
    Cmd.require("rpm", "rpm");
    Cmd.require("rpmbuild", "rpm");
    Cmd.require("git", "git");
    work = Files.createTempDirectory("kd-rpm-restore-it");
    Path spec = work.resolve("kdrestore.spec");
    Files.writeString(spec, SPEC);
    Cmd.ok(
        "rpmbuild",
        "--quiet",
        "--define",
        "_topdir " + work.resolve("build"),
        "-bb",
        spec.toString());
    rpms = work.resolve("build/RPMS/noarch");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (work != null) {
      Cmd.ok("rm", "-rf", work.toString());
    }
  }

  @Test
  void scanRestoreScanFindsNothingNew() throws Exception {
    Path seeded = install("seeded");
    Path etc = seeded.resolve("etc/kdr");
    Files.writeString(etc.resolve("edited.conf"), "edited by hand, longer\n");
    Files.setLastModifiedTime(etc.resolve("edited.conf"), FileTime.fromMillis(978307200000L));
    Files.delete(etc.resolve("deleted.conf"));
    Cmd.ok("chmod", "600", etc.resolve("chmod.conf").toString());
    Cmd.ok("chown", "daemon:daemon", etc.resolve("chown.conf").toString());
    Files.delete(etc.resolve("link"));
    Files.createSymbolicLink(etc.resolve("link"), Path.of("same.conf"));
    Files.writeString(etc.resolve("local.conf"), "unowned = yes\n");
    Cmd.ok("chmod", "604", etc.resolve("local.conf").toString());

    Path repo = work.resolve("drift.git");
    Cmd.Result first = scan(seeded, repo);
    assertThat(first.exit()).as(first.err()).isEqualTo(1);
    assertThat(first.err()).contains("db01: 0 modified, 7 new, 1 missing");
    String scanned = ConfigRepoIT.git(repo, "rev-parse", "HEAD").out().strip();

    Path fresh = install("fresh");
    Cmd.Result r =
        Cmd.agent("restore", "--repo", repo.toString(), "--host", HOST, "--root", fresh.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "chmod /etc/kdr/chmod.conf 0600 (was 0644)",
            "chown /etc/kdr/chown.conf daemon:daemon (was root:root)",
            "remove /etc/kdr/deleted.conf",
            "update /etc/kdr/edited.conf",
            "relink /etc/kdr/link -> same.conf (was -> edited.conf)",
            "create /etc/kdr/local.conf 0604 root:root");
    assertThat(r.err()).doesNotContain("warning");

    // The restored root's edited file has the restore's mtime, the seeded one 2001's: both
    // differ from the package's, which is all the scan records.
    Cmd.Result again = scan(fresh, repo);
    assertThat(again.exit()).as(again.err()).isEqualTo(1);
    assertThat(again.err()).contains("repo " + repo + ": nothing new");
    assertThat(ConfigRepoIT.git(repo, "rev-parse", "HEAD").out().strip()).isEqualTo(scanned);
    assertThat(rpmVa(fresh)).isEqualTo(rpmVa(seeded));
    ConfigRepoIT.assertFsckClean(repo);
  }

  static Path install(String name) throws Exception {
    Path root = RpmRoots.install(work.resolve(name), rpms);
    return root;
  }

  static Cmd.Result scan(Path root, Path repo) throws Exception {
    return Cmd.agent(
        "scan",
        "--root",
        root.toString(),
        "--all",
        "--no-cache",
        "--host",
        HOST,
        "--repo",
        repo.toString());
  }

  /** rpm's own verdict, lines sorted. */
  static List<String> rpmVa(Path root) throws Exception {
    Cmd.Result r =
        Cmd.run(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-Va"));
    assertThat(r.exit()).as(r.err()).isIn(0, 1);
    return r.lines().stream().sorted().toList();
  }
}
