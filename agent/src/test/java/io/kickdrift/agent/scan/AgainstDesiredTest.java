package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.scan.Finding.Desired.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgainstDesiredTest {
  @TempDir Path root;

  /** A directory this test made: its owner and group are the ones the test's files get. */
  @TempDir static Path probe;

  static final String HELLO = // sha256 of "hello\n"
      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

  static DesiredManifest.Entry file(String path, String sha, String mode) {
    String me = System.getProperty("user.name");
    return new DesiredManifest.Entry(path, "file", sha, mode, me, group(), null, null, null);
  }

  static String group() {
    try {
      return Files.readAttributes(probe, java.nio.file.attribute.PosixFileAttributes.class)
          .group()
          .getName();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Finding unowned(String path) {
    return new Finding(
        path, Status.UNOWNED, Set.of(), Set.of(), null, null, false, null, null, null, null, null);
  }

  static ScanReport report(Finding... f) {
    return new ScanReport(
        1,
        "web01",
        "/",
        PackageSource.DPKG,
        "config",
        true,
        new ScanReport.Stats(0, 0, 0, 0, 0),
        List.of(f),
        List.of(),
        List.of());
  }

  @Test
  void eachFindingIsExpectedDriftedOrUndeclaredAndDesiredPathsTheScanMissedAreAdded()
      throws Exception {
    // the root's own accounts decide owner names: this test's user and group
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"),
        System.getProperty("user.name") + ":x:" + uid() + ":" + gid() + "::/:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), group() + ":x:" + gid() + ":\n");
    Files.writeString(root.resolve("etc/same.conf"), "hello\n");
    Files.setPosixFilePermissions(
        root.resolve("etc/same.conf"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(root.resolve("etc/changed.conf"), "hello!\n");
    Files.setPosixFilePermissions(
        root.resolve("etc/changed.conf"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(root.resolve("etc/nobody.conf"), "x\n");
    Files.writeString(root.resolve("etc/gone-wanted"), "y\n");
    Files.createSymbolicLink(root.resolve("etc/link"), Path.of("elsewhere"));
    DesiredManifest m =
        new DesiredManifest(
            1,
            "web01",
            "test",
            List.of(
                file("/etc/changed.conf", HELLO, "0644"),
                new DesiredManifest.Entry(
                    "/etc/gone-wanted", "absent", null, null, null, null, null, null, null),
                new DesiredManifest.Entry(
                    "/etc/link", "link", null, null, null, null, "target", null, null),
                file("/etc/missing.conf", HELLO, "0644"),
                file("/etc/same.conf", HELLO, "644")));
    ScanReport r =
        AgainstDesired.classify(
            report(
                unowned("/etc/changed.conf"),
                unowned("/etc/nobody.conf"),
                unowned("/etc/same.conf"),
                unowned("/etc/kickdrift/desired.json")),
            m,
            root,
            "/etc/kickdrift/desired.json");
    assertThat(r.findings())
        .extracting(
            f ->
                f.path()
                    + " "
                    + f.desired().verdict()
                    + " "
                    + f.desired().differences()
                    + " "
                    + f.desired().outsideScan())
        .containsExactly(
            "/etc/changed.conf DRIFTED [content differs, mode 0600, desired 0644] false",
            "/etc/gone-wanted DRIFTED [present, desired absent] true",
            "/etc/link DRIFTED [link to elsewhere, desired target] true",
            "/etc/missing.conf DRIFTED [missing] true",
            "/etc/nobody.conf UNDECLARED [] false",
            "/etc/same.conf EXPECTED [] false");
    assertThat(AgainstDesired.unexpected(r)).isTrue();
    assertThat(AgainstDesired.counts(r))
        .containsEntry(Verdict.EXPECTED, 1L)
        .containsEntry(Verdict.DRIFTED, 4L)
        .containsEntry(Verdict.UNDECLARED, 1L);
    // the repository stores what the scan found, not what only the desired state says
    assertThat(r.scanned().findings())
        .extracting(Finding::path)
        .containsExactly("/etc/changed.conf", "/etc/nobody.conf", "/etc/same.conf");
    assertThat(r.findings().get(3).status()).isEqualTo(Status.MISSING);
    assertThat(r.findings().get(2).problems()).containsExactly(Problem.LINK);

    ScanReport quiet = AgainstDesired.classify(report(unowned("/etc/same.conf")), m, root, null);
    assertThat(quiet.findings()).extracting(Finding::path).contains("/etc/same.conf");
    ScanReport onlyExpected =
        AgainstDesired.classify(
            report(unowned("/etc/same.conf")),
            new DesiredManifest(1, "web01", "t", List.of(file("/etc/same.conf", HELLO, "0644"))),
            root,
            null);
    assertThat(AgainstDesired.unexpected(onlyExpected)).isFalse();
  }

  @Test
  void aSecretsContentIsNotComparedItsModeAndOwnerAre() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"),
        System.getProperty("user.name") + ":x:" + uid() + ":" + gid() + "::/:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), group() + ":x:" + gid() + ":\n");
    Files.writeString(root.resolve("etc/app.key"), "the real key\n");
    Files.setPosixFilePermissions(
        root.resolve("etc/app.key"), PosixFilePermissions.fromString("rw-r--r--"));
    DesiredManifest.Entry secret =
        new DesiredManifest.Entry(
            "/etc/app.key",
            "file",
            null,
            "0600",
            System.getProperty("user.name"),
            group(),
            null,
            null,
            "placeholder");
    ScanReport r =
        AgainstDesired.classify(
            report(unowned("/etc/app.key")),
            new DesiredManifest(1, "h", "t", List.of(secret)),
            root,
            null);
    assertThat(r.findings().get(0).desired().differences())
        .containsExactly("mode 0644, desired 0600");
  }

  static int uid() throws Exception {
    return (Integer) Files.getAttribute(probe, "unix:uid");
  }

  static int gid() throws Exception {
    return (Integer) Files.getAttribute(probe, "unix:gid");
  }
}
