package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.dpkg.DpkgRootBuilder;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classification's memo: a repeat scan of the same database answers "which package file is this
 * a copy of" from the memo, without reading every package's md5sums; a memo of another database, or
 * a damaged one, answers nothing.
 */
class OriginsMemoTest {
  static final String DEFAULTS = "colour = blue\n";
  static final String COPY_OF = "an unchanged copy of /usr/share/app/defaults.conf of app";

  @TempDir Path root;
  @TempDir Path state;
  Path memoFile;

  @BeforeEach
  void root() throws IOException {
    DpkgRootBuilder.in(root)
        .pkg("app")
        .dir("/etc")
        .file("/usr/share/app/defaults.conf", DEFAULTS)
        .end()
        .build();
    // What app's postinst does: copies its template into /etc, where no package owns it.
    Files.createDirectories(root.resolve("etc/app"));
    Files.writeString(root.resolve("etc/app/app.conf"), DEFAULTS);
    memoFile = state.resolve("pkgdb-config-x.origins");
  }

  ScanReport scan(OriginsMemo memo) throws IOException {
    ScanOptions o =
        new ScanOptions(
            root,
            false,
            List.of("/etc"),
            GlobRulesTest.builtIn("default-ignore.txt"),
            GlobRulesTest.builtIn("default-secrets.txt"),
            null,
            2,
            false,
            true,
            InlineSecrets.builtIn());
    return Scanner.scan(DpkgReader.read(root), o, "test-host", memo);
  }

  static String origin(ScanReport r, String path) {
    return r.findings().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .map(f -> f.origin() == null ? "none" : f.origin().reason())
        .orElse("no finding");
  }

  @Test
  void aRepeatScanOfTheSameDatabaseAnswersFromTheMemo() throws IOException {
    byte[] fp = {1, 2, 3};
    ScanReport first = scan(OriginsMemo.load(memoFile, fp));
    assertThat(origin(first, "/etc/app/app.conf")).startsWith(COPY_OF);
    assertThat(memoFile).exists();

    // Were md5sums read again, nothing would explain the copy any more.
    Files.delete(root.resolve("var/lib/dpkg/info/app.md5sums"));
    assertThat(origin(scan(OriginsMemo.none()), "/etc/app/app.conf")).isEqualTo("none");

    ScanReport repeat = scan(OriginsMemo.load(memoFile, fp));
    assertThat(origin(repeat, "/etc/app/app.conf")).startsWith(COPY_OF);
    assertThat(repeat.findings()).isEqualTo(first.findings());
  }

  @Test
  void aMemoOfAnotherDatabaseOrADamagedOneAnswersNothing() throws IOException {
    scan(OriginsMemo.load(memoFile, new byte[] {1}));
    Files.delete(root.resolve("var/lib/dpkg/info/app.md5sums"));

    assertThat(origin(scan(OriginsMemo.load(memoFile, new byte[] {2})), "/etc/app/app.conf"))
        .isEqualTo("none");

    Files.write(memoFile, new byte[] {0x4b, 0x44, 0x4f, 0x31, 1, 1, 0, 0, 0, 9, 0});
    assertThat(origin(scan(OriginsMemo.load(memoFile, new byte[] {1})), "/etc/app/app.conf"))
        .as("a truncated memo is an empty one")
        .isEqualTo("none");
  }
}
