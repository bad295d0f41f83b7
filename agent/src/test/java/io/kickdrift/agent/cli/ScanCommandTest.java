package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.dpkg.DpkgRootBuilder;
import io.kickdrift.testkit.DebBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScanCommandTest {
  @TempDir Path root;
  @TempDir Path state;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void host() throws IOException {
    DpkgRootBuilder.in(root)
        .pkg("base-files")
        .dir("/etc")
        .conffile("/etc/issue", "Debian\n")
        .end()
        .build();
  }

  /** Runs {@code kickdrift-agent scan ARGS --root ROOT --state STATE} as main would. */
  private int scan(String... args) {
    CommandLine cl = AgentMain.commandLine();
    ScanCommand cmd = (ScanCommand) cl.getSubcommands().get("scan").getCommand();
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    List<String> all =
        new ArrayList<>(List.of("scan", "--root", root.toString(), "--state", state.toString()));
    all.addAll(List.of(args));
    return cl.execute(all.toArray(new String[0]));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void cleanHostExitsZero() {
    assertThat(scan()).isEqualTo(AgentMain.EXIT_CLEAN).isZero();
    assertThat(out()).contains("0 modified, 0 missing, 0 unowned, 0 unreadable: no drift");
    assertThat(err()).isEmpty();
  }

  @Test
  void driftExitsOneAndPrintsRpmLines() throws IOException {
    Files.writeString(root.resolve("etc/issue"), "Hacked\n");
    Files.writeString(root.resolve("etc/local.conf"), "x\n");

    assertThat(scan("--rpm-format")).isEqualTo(AgentMain.EXIT_DRIFT).isEqualTo(1);
    assertThat(out()).isEqualTo("??5??????  c /etc/issue\nunowned     /etc/local.conf\n");
  }

  @Test
  void jsonReportNamesTheFindings() throws IOException {
    Files.delete(root.resolve("etc/issue"));

    assertThat(scan("--json", "--host", "web01")).isEqualTo(1);
    assertThat(out())
        .contains("\"host\" : \"web01\"", "\"path\" : \"/etc/issue\"", "\"status\" : \"missing\"");
  }

  @Test
  void rootWithoutPackageDatabaseExitsTwoNamingWhatWasLookedFor(@TempDir Path empty) {
    CommandLine cl = AgentMain.commandLine();
    ScanCommand cmd = (ScanCommand) cl.getSubcommands().get("scan").getCommand();
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);

    int code = cl.execute("scan", "--root", empty.toString(), "--no-cache");

    assertThat(code).isEqualTo(AgentMain.EXIT_ERROR).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "kickdrift-agent scan: no package database under "
                + empty.toAbsolutePath().normalize()
                + ": looked for var/lib/dpkg/status and rpmdb.sqlite, Packages or Packages.db in"
                + " var/lib/rpm, usr/lib/sysimage/rpm\n");
  }

  @Test
  void forcedDpkgBackendOnRootWithoutStatusExitsTwo(@TempDir Path empty) {
    CommandLine cl = AgentMain.commandLine();
    ScanCommand cmd = (ScanCommand) cl.getSubcommands().get("scan").getCommand();
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));

    assertThat(cl.execute("scan", "--root", empty.toString(), "--backend", "dpkg", "--no-cache"))
        .isEqualTo(2);
    assertThat(err()).contains("var/lib/dpkg/status: no dpkg status file");
  }

  /** The help text documents lower-case backend names. */
  @Test
  void backendNamesAreAcceptedAsDocumented() {
    assertThat(scan("--backend", "dpkg")).isZero();
    assertThat(scan("--backend", "auto")).isZero();
    assertThat(err()).isEmpty();
  }

  @Test
  void rootThatIsNotADirectoryExitsTwo() throws IOException {
    Path file = Files.writeString(state.resolve("plain"), "x");
    CommandLine cl = AgentMain.commandLine();
    ScanCommand cmd = (ScanCommand) cl.getSubcommands().get("scan").getCommand();
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertThat(cl.execute("scan", "--root", file.toString(), "--no-cache")).isEqualTo(2);
    assertThat(err()).isEqualTo("kickdrift-agent scan: " + file + ": not a directory\n");
  }

  @Test
  void badIgnoreFileExitsTwoNamingFileAndLine() throws IOException {
    Path rules = Files.writeString(state.resolve("ignore"), "/etc/ok\n/etc/[bad\n");

    assertThat(scan("--ignore-file", rules.toString())).isEqualTo(2);
    assertThat(err()).startsWith("kickdrift-agent scan: " + rules + ":2: unclosed '['");
  }

  @Test
  void relativePathsOptionExitsTwo() {
    assertThat(scan("--paths", "etc")).isEqualTo(2);
    assertThat(err()).contains("--paths entries must be absolute, got 'etc'");
  }

  @Test
  void pushOptionsWithoutTheirRepoOrPushExitTwoNamingWhatIsMissing() throws IOException {
    assertThat(scan("--branch", "b")).isEqualTo(2);
    assertThat(err())
        .endsWith(
            ": --encrypt-to, --push, --branch, --known-hosts, --identity and"
                + " --push-credentials need --repo\n");
    err.reset();
    Path repo = state.resolve("repo.git");
    assertThat(scan("--repo", repo.toString(), "--identity", "id")).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "kickdrift-agent scan: --branch, --known-hosts, --identity and --push-credentials"
                + " need --push\n");
    assertThat(repo).doesNotExist();
  }

  @Test
  void unknownOptionExitsTwo() {
    assertThat(scan("--no-such-option")).isEqualTo(2);
    assertThat(err()).contains("Unknown option: '--no-such-option'");
  }

  @Test
  void stateDirectoryKeepsTheStatCacheAndTheDatabaseSnapshot() throws IOException {
    assertThat(scan()).isZero();

    try (var files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString().replaceAll("-.*", "")))
          .containsExactlyInAnyOrder("statcache", "pkgdb");
    }
  }

  /**
   * After the package database changed (its snapshot no longer valid), the .debs are not read
   * again: their metadata comes from the index kept by archive digest. The archive is zeroed in
   * place (size, mtime and inode kept) so that opening it would fail the metadata check.
   */
  @Test
  void aRescanAfterTheDatabaseChangedDoesNotOpenTheDebsAgain(@TempDir Path work) throws Exception {
    Path debs = work.resolve("debs");
    Path deb =
        DebBuilder.deb("base-files", "1.0", "amd64")
            .conffile("/etc/issue", "Debian\n", 0644, 0, 0)
            .build(work.resolve("build"), debs);
    Files.setPosixFilePermissions(
        root.resolve("etc/issue"), PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(scan("--json", "--debs", debs.toString())).isZero();
    assertThat(out()).contains("\"metadataChecked\" : true");
    FileTime mtime = Files.getLastModifiedTime(deb);
    try (FileChannel ch = FileChannel.open(deb, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[(int) ch.size()]), 0);
    }
    Files.setLastModifiedTime(deb, mtime);
    Files.writeString(root.resolve("var/lib/dpkg/status"), "\n", StandardOpenOption.APPEND);
    out.reset();

    assertThat(scan("--json", "--debs", debs.toString())).isZero();
    assertThat(out()).contains("\"metadataChecked\" : true").doesNotContain("not a readable .deb");
    assertThat(state.resolve("cache/deb-index")).isRegularFile();
  }

  /** A corrupt index is said once, in the scan that rebuilt it, not replayed from the snapshot. */
  @Test
  void aCorruptDebIndexIsAWarningOnceAndRebuilt(@TempDir Path work) throws Exception {
    Path debs = work.resolve("debs");
    DebBuilder.deb("base-files", "1.0", "amd64")
        .conffile("/etc/issue", "Debian\n", 0644, 0, 0)
        .build(work.resolve("build"), debs);
    Files.setPosixFilePermissions(
        root.resolve("etc/issue"), PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(scan("--debs", debs.toString())).isZero();
    Files.writeString(state.resolve("cache/deb-index"), "garbage");
    Files.writeString(root.resolve("var/lib/dpkg/status"), "\n", StandardOpenOption.APPEND);

    assertThat(scan("--debs", debs.toString())).isZero();
    assertThat(out())
        .contains(state.resolve("cache/deb-index") + ": .deb index ignored and rebuilt");
    out.reset();
    assertThat(scan("--debs", debs.toString())).isZero();
    assertThat(out()).doesNotContain("deb index");
  }

  @Test
  void missingSecretRuleFileStopsTheScanNamingIt() {
    Path rules = state.resolve("no-such-rules");
    assertThat(scan("--secret-rules", rules.toString())).isEqualTo(AgentMain.EXIT_ERROR);
    assertThat(err()).contains(rules.toString(), "secret rule file not found");
    assertThat(out()).isEmpty();
  }

  @Test
  void jsonReportListsSecretValuesByRuleLineAndKey() throws IOException {
    Path env = root.resolve("etc/app/app.env");
    Files.createDirectories(env.getParent());
    Files.writeString(env, "user=app\ndb_password=Hunter2-cli-value\n");

    assertThat(scan("--json", "--no-cache")).isEqualTo(AgentMain.EXIT_DRIFT);

    assertThat(out())
        .contains("\"inlineSecrets\"", "\"line\" : 2", "\"key\" : \"db_password\"")
        .doesNotContain("Hunter2-cli-value");
  }
}
