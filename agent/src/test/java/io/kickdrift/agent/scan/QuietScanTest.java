package io.kickdrift.agent.scan;

import static io.kickdrift.agent.scan.ScanReportAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.dpkg.DpkgRootBuilder;
import io.kickdrift.agent.report.TextReport;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quiet default of issue 18: what maintainer scripts made is classified, not drift. */
class QuietScanTest {
  private static final String ISSUE = "Debian GNU/Linux 12\n";

  @TempDir Path root;

  private DpkgRootBuilder.Pkg base() throws IOException {
    return DpkgRootBuilder.in(root)
        .pkg("base-files")
        .version("12.4")
        .dir("/etc")
        .conffile("/etc/issue", ISSUE)
        .file("/usr/bin/tool", "binary");
  }

  private ScanReport scan(boolean all, boolean verbose, boolean includeGenerated)
      throws IOException {
    return scan(all, verbose, includeGenerated, UnaryOperator.identity());
  }

  /** Scans with {@code meta} applied to the database's files, as a .deb would supply it. */
  private ScanReport scan(
      boolean all, boolean verbose, boolean includeGenerated, UnaryOperator<PackageFile> meta)
      throws IOException {
    PackageDatabase read = DpkgReader.read(root);
    PackageDatabase db =
        new PackageDatabase(
            read.backend(),
            read.files().stream().map(meta).toList(),
            read.owned(),
            read.managedLinks(),
            read.warnings(),
            read.metadataChecked());
    ScanOptions o =
        new ScanOptions(
            root,
            all,
            List.of("/etc"),
            GlobRulesTest.builtIn("default-ignore.txt"),
            GlobRulesTest.builtIn("default-secrets.txt"),
            null,
            2,
            verbose,
            includeGenerated,
            InlineSecrets.builtIn());
    return Scanner.scan(db, o, "test-host");
  }

  private Path at(String abs) {
    return root.resolve(abs.substring(1));
  }

  private static UnaryOperator<PackageFile> issueMeta(FileMeta m) {
    return f -> f.path().equals("/etc/issue") ? f.withMeta(m) : f;
  }

  private static FileMeta regular(String user, String group, long mtime) {
    return new FileMeta(FileType.REGULAR, 0644, user, group, null, (long) ISSUE.length(), mtime);
  }

  private int gid(String abs) throws IOException {
    return (Integer) Files.getAttribute(at(abs), "unix:gid");
  }

  private int uid(String abs) throws IOException {
    return (Integer) Files.getAttribute(at(abs), "unix:uid");
  }

  @Test
  void contentEqualConffileWithAnotherMtimeIsNoFindingUnlessVerboseOrAll() throws IOException {
    base().end().build();
    Files.setPosixFilePermissions(
        at("/etc/issue"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.setLastModifiedTime(at("/etc/issue"), FileTime.fromMillis(1_700_000_000_000L));
    String me = "#" + uid("/etc/issue");
    String mine = "#" + gid("/etc/issue");
    UnaryOperator<PackageFile> meta = issueMeta(regular(me, mine, 1_600_000_000L));

    assertThat(scan(false, false, false, meta)).hasNoFindings();
    assertThat(scan(false, true, false, meta)).hasModified("/etc/issue", Problem.MTIME);
    assertThat(scan(true, false, false, meta)).hasModified("/etc/issue", Problem.MTIME);
  }

  @Test
  void editedConffileStillShowsItsMtime() throws IOException {
    base().end().build();
    Files.writeString(at("/etc/issue"), "Hacked\n".repeat(3).substring(0, ISSUE.length()));
    Files.setLastModifiedTime(at("/etc/issue"), FileTime.fromMillis(1_700_000_000_000L));
    String me = "#" + uid("/etc/issue");
    String mine = "#" + gid("/etc/issue");
    Files.setPosixFilePermissions(
        at("/etc/issue"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    ScanReport r = scan(false, false, false, issueMeta(regular(me, mine, 1_600_000_000L)));

    assertThat(r).hasModified("/etc/issue", Problem.CONTENT, Problem.MTIME);
  }

  /** A group the package's postinst gave the file (bind9's chgrp bind named.conf*). */
  @Test
  void groupSetByThePackagesPostinstIsMaintainerMadeAndExplained() throws IOException {
    int gid = gid("/");
    base()
        .file("/etc/group", "localgrp:x:" + gid + ":\nbind:x:" + (gid + 4242) + ":\n")
        .end()
        .info(
            "base-files.postinst",
            "#!/bin/sh\nset -e\nCONF=/etc\nif [ \"$1\" = configure ]; then\n"
                + "  chgrp bind $CONF/iss* /etc/other\nfi\n")
        .build();
    Files.setPosixFilePermissions(
        at("/etc/issue"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    long mtime = Files.getLastModifiedTime(at("/etc/issue")).toMillis() / 1000;
    UnaryOperator<PackageFile> meta = issueMeta(regular("#" + uid("/etc/issue"), "bind", mtime));

    ScanReport quiet = scan(false, false, false, meta);
    ScanReport shown = scan(false, false, true, meta);

    assertThat(quiet).hasNoFindings();
    assertThat(quiet.stats().classified()).isEqualTo(1);
    Finding f = assertThat(shown).hasModified("/etc/issue", Problem.GROUP).finding("/etc/issue");
    assertThat(f.origin())
        .isEqualTo(
            new Finding.Origin(
                Finding.Origin.Kind.MAINTAINER,
                "base-files's postinst sets it: line 5: chgrp bind $CONF/iss* /etc/other"));
    assertThat(shown.drift()).isEmpty();
    assertThat(text(shown))
        .contains("[maintainer: base-files's postinst sets it: line 5:")
        .contains("(1 of them made by maintainer scripts, not counted as drift)");
  }

  @Test
  void groupChangeNoMaintainerScriptMakesIsDrift() throws IOException {
    int gid = gid("/");
    base()
        .file("/etc/group", "localgrp:x:" + gid + ":\nbind:x:" + (gid + 4242) + ":\n")
        .end()
        .info("base-files.postinst", "#!/bin/sh\nchgrp bind /etc/other\nchmod 640 /etc/iss\n")
        .build();
    Files.setPosixFilePermissions(
        at("/etc/issue"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    long mtime = Files.getLastModifiedTime(at("/etc/issue")).toMillis() / 1000;

    ScanReport r =
        scan(false, false, false, issueMeta(regular("#" + uid("/etc/issue"), "bind", mtime)));

    assertThat(r).hasModified("/etc/issue", Problem.GROUP);
    assertThat(assertThat(r).finding("/etc/issue").origin()).isNull();
  }

  @Test
  void startLinksOfAPackagedInitScriptAreGenerated() throws IOException {
    base().file("/etc/init.d/ssh", "#!/bin/sh\n").end().build();
    Files.createDirectories(at("/etc/rc2.d"));
    Files.createSymbolicLink(at("/etc/rc2.d/S01ssh"), Path.of("../init.d/ssh"));
    Files.createSymbolicLink(at("/etc/rc2.d/S01foo"), Path.of("../init.d/foo"));
    Files.createSymbolicLink(at("/etc/rc2.d/S02ssh"), Path.of("../init.d/sshd"));

    ScanReport quiet = scan(false, false, false);
    ScanReport shown = scan(false, false, true);

    assertThat(quiet).hasUnowned("/etc/rc2.d/S01foo").hasUnowned("/etc/rc2.d/S02ssh");
    assertThat(quiet).hasNoFindingFor("/etc/rc2.d/S01ssh");
    assertThat(quiet.findings()).hasSize(2);
    assertThat(assertThat(shown).finding("/etc/rc2.d/S01ssh").origin())
        .isEqualTo(
            new Finding.Origin(
                Finding.Origin.Kind.GENERATED,
                "start/stop link update-rc.d made for /etc/init.d/ssh of package base-files"));
  }

  @Test
  void enablementLinksDebSystemdHelperRecordedAreGenerated() throws IOException {
    base().end().write(Origins.DSH_SYSTEM + "multi-user.target.wants/ssh.service", "").build();
    Files.createDirectories(at("/etc/systemd/system/multi-user.target.wants"));
    Files.createSymbolicLink(
        at("/etc/systemd/system/multi-user.target.wants/ssh.service"),
        Path.of("/lib/systemd/system/ssh.service"));
    Files.createSymbolicLink(
        at("/etc/systemd/system/multi-user.target.wants/byhand.service"),
        Path.of("/lib/systemd/system/byhand.service"));

    ScanReport quiet = scan(false, false, false);
    ScanReport shown = scan(false, false, true);

    assertThat(quiet.findings())
        .extracting(Finding::path)
        .containsExactly("/etc/systemd/system/multi-user.target.wants/byhand.service");
    assertThat(
            assertThat(shown)
                .finding("/etc/systemd/system/multi-user.target.wants/ssh.service")
                .origin()
                .reason())
        .isEqualTo(
            "systemd enablement link deb-systemd-helper recorded in "
                + Origins.DSH_SYSTEM
                + "multi-user.target.wants/ssh.service");
  }

  @Test
  void enablementLinksRemovedByHandAreMissing() throws IOException {
    base()
        .file(
            "/etc/init.d/ssh",
            "#!/bin/sh\n### BEGIN INIT INFO\n# Default-Start: 2 3\n# Default-Stop: 0\n")
        .end()
        .write(Origins.DSH_SYSTEM + "multi-user.target.wants/cron.service", "")
        .build();
    Files.createDirectories(at("/etc/rc2.d"));
    Files.createDirectories(at("/etc/rc0.d"));
    Files.createSymbolicLink(at("/etc/rc2.d/S01ssh"), Path.of("../init.d/ssh"));
    Files.createSymbolicLink(at("/etc/rc0.d/K01ssh"), Path.of("../init.d/ssh"));

    ScanReport r = scan(false, false, false);

    assertThat(r.findings())
        .extracting(f -> f.status() + " " + f.path())
        .containsExactly(
            "MISSING /etc/rc3.d/S01ssh",
            "MISSING /etc/systemd/system/multi-user.target.wants/cron.service");
    assertThat(r.findings().get(0).note())
        .isEqualTo(
            "update-rc.d made links for /etc/init.d/ssh in other runlevels; its LSB header names"
                + " runlevel 3 and that link is gone");
  }

  @Test
  void builtInGeneratedFilesCarryTheirReason() throws IOException {
    base().end().write("/etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAA host\n").build();

    assertThat(scan(false, false, false)).hasNoFindings();
    Finding f =
        assertThat(scan(false, false, true))
            .hasUnowned("/etc/ssh/ssh_host_ed25519_key.pub")
            .finding("/etc/ssh/ssh_host_ed25519_key.pub");
    assertThat(f.origin().kind()).isEqualTo(Finding.Origin.Kind.GENERATED);
    assertThat(f.origin().reason())
        .isEqualTo(
            "SSH host key generated by openssh-server's postinst (ssh-keygen -A)"
                + " (/etc/ssh/ssh_host_*_key.pub)");
  }

  @Test
  void mergedUsrFileListedUnderBothPathsIsReportedOnce() throws IOException {
    Files.createDirectories(at("/usr/bin"));
    Files.createSymbolicLink(at("/bin"), Path.of("usr/bin"));
    DpkgRootBuilder b = DpkgRootBuilder.in(root);
    b.pkg("old").version("1").file("/bin/x", "x\n").end();
    b.pkg("new").version("1").file("/usr/bin/x", "x\n").end().build();
    Files.writeString(at("/usr/bin/x"), "y\n");

    ScanReport r = scan(true, false, false);

    assertThat(r.findings()).extracting(Finding::path).containsExactly("/bin/x");
    assertThat(r.findings().get(0).note()).isEqualTo("the same file as /usr/bin/x of new");
  }

  private static String text(ScanReport r) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    TextReport.print(r, new PrintStream(b, true, StandardCharsets.UTF_8));
    return b.toString(StandardCharsets.UTF_8);
  }
}
