package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.testkit.RpmTestRoot;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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
  @TempDir static Path work;
  static Path root;

  @BeforeAll
  static void installPackages() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("RpmRootIT must run as root: it installs packages owned by daemon and chowns files");
    }
    // The root's accounts match the host's, so rpm (which resolves ids on the host) and the agent
    // (which reads the root's /etc/passwd) name the same owners.
    root =
        RpmTestRoot.install(
            work.resolve("root"),
            RpmTestRoot.build(work, RpmTestRoot.KDIT_MD5_SPEC, RpmTestRoot.KDIT_SHA256_SPEC));
  }

  @Test
  void findingsEqualRpmVerifyAll() throws Exception {
    assertThat(rpmVa()).as("rpm -Va right after install").isEmpty();
    assertThat(agent(0)).as("agent right after install").isEmpty();

    RpmTestRoot.seedKditDrift(root);

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
    Cmd.Result r =
        Cmd.run(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-Va"));
    assertThat(r.exit()).as(r.err()).isIn(0, 1);
    return byPath(RpmVaParser.parse(r.out()));
  }

  private static List<RpmVaLine> agent(int expectedExit) throws Exception {
    Cmd.Result r =
        Cmd.agent(
            "scan",
            "--root",
            root.toString(),
            "--all",
            "--rpm-format",
            "--no-unowned",
            "--no-cache");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(expectedExit);
    return byPath(RpmVaParser.parse(r.out()));
  }

  private static List<RpmVaLine> byPath(List<RpmVaLine> lines) {
    return lines.stream().sorted(Comparator.comparing(RpmVaLine::path)).toList();
  }
}
