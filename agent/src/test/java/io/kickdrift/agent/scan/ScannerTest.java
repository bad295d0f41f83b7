package io.kickdrift.agent.scan;

import static io.kickdrift.agent.scan.ScanReportAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.dpkg.DpkgRootBuilder;
import io.kickdrift.agent.report.JsonReport;
import io.kickdrift.agent.report.RpmFormat;
import io.kickdrift.agent.report.TextReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {
  private static final String ISSUE = "Debian GNU/Linux 12\n";
  private static final String MOTD = "welcome\n";
  private static final String PRIVATE_KEY =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAsecretbody\n"
          + "-----END OPENSSH PRIVATE KEY-----\n";

  @TempDir Path root;
  @TempDir Path state;

  @BeforeEach
  void host() throws IOException {
    DpkgRootBuilder.in(root)
        .pkg("base-files")
        .version("12.4")
        .dir("/etc")
        .conffile("/etc/issue", ISSUE)
        .conffile("/etc/motd", MOTD)
        .file("/usr/bin/tool", "binary")
        .end()
        .build();
  }

  private ScanReport scan() throws IOException {
    return scan(null);
  }

  private ScanReport scan(Path cache) throws IOException {
    ScanOptions o =
        new ScanOptions(
            root,
            false,
            List.of("/etc"),
            GlobRulesTest.builtIn("default-ignore.txt"),
            GlobRulesTest.builtIn("default-secrets.txt"),
            cache,
            2);
    return Scanner.scan(DpkgReader.read(root), o, "test-host");
  }

  private void write(String abs, String content) throws IOException {
    Path p = root.resolve(abs.substring(1));
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  private Path at(String abs) {
    return root.resolve(abs.substring(1));
  }

  private static Digest sha256(String content) throws Exception {
    return Digest.of(
        DigestAlgorithm.SHA256,
        MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void untouchedHostHasNoDrift() throws IOException {
    ScanReport r = scan();

    assertThat(r).hasNoFindings().hasNoWarnings();
    assertThat(r.stats().packageFiles()).as("the two conffiles").isEqualTo(2);
    assertThat(r.backend().label()).isEqualTo("dpkg");
    assertThat(r.host()).isEqualTo("test-host");
    assertThat(r.scope()).isEqualTo("config");
  }

  @Test
  void editedConffileIsModifiedInContent() throws IOException {
    write("/etc/issue", "Hacked\n");

    ScanReport r = scan();

    assertThat(r).hasModified("/etc/issue", Problem.CONTENT).hasNoFindingFor("/etc/motd");
    Finding f = assertThat(r).finding("/etc/issue");
    assertThat(f.pkg()).isEqualTo("base-files");
    assertThat(f.version()).isEqualTo("12.4");
    assertThat(f.config()).isTrue();
    assertThat(f.expected().digest())
        .isEqualTo(Digest.of(DigestAlgorithm.MD5, DpkgRootBuilder.md5(ISSUE)));
    assertThat(f.actual().digest())
        .isEqualTo(Digest.of(DigestAlgorithm.MD5, DpkgRootBuilder.md5("Hacked\n")));
    assertThat(f.rpmLine()).isEqualTo("??5??????  c /etc/issue");
  }

  @Test
  void deletedConffileIsMissing() throws IOException {
    Files.delete(at("/etc/motd"));

    ScanReport r = scan();

    assertThat(r).hasMissing("/etc/motd").hasNoFindingFor("/etc/issue");
    assertThat(assertThat(r).finding("/etc/motd").rpmLine()).isEqualTo("missing   c /etc/motd");
  }

  @Test
  void nonConfigFilesAreOutOfScopeByDefault() throws IOException {
    write("/usr/bin/tool", "patched");
    Files.delete(at("/etc/issue"));
    Files.writeString(at("/etc/issue"), ISSUE);

    assertThat(scan()).hasNoFindings();
  }

  @Test
  void unownedFileIsReportedWithItsSha256() throws Exception {
    write("/etc/app/local.conf", "x=1\n");

    ScanReport r = scan();

    assertThat(r).hasUnowned("/etc/app/local.conf");
    Finding f = assertThat(r).finding("/etc/app/local.conf");
    assertThat(f.pkg()).isNull();
    assertThat(f.actual().type()).isEqualTo("regular");
    assertThat(f.actual().size()).isEqualTo(4L);
    assertThat(f.actual().digest()).isEqualTo(sha256("x=1\n"));
    assertThat(f.secret()).isNull();
    assertThat(f.rpmLine()).isEqualTo("unowned     /etc/app/local.conf");
  }

  @Test
  void ignoredPathsAreNotReportedAndLeftoversAreListedApart() throws IOException {
    write("/etc/machine-id", "0123\n");
    write("/etc/ssl/certs/ca.pem", "cert");
    write("/etc/issue.dpkg-dist", "new issue");

    ScanReport r = scan();

    assertThat(r).hasNoFindings();
    assertThat(r.leftovers()).containsExactly("/etc/issue.dpkg-dist");
  }

  @Test
  void fifoIsUnownedOfTypeFifoAndNeverOpened() throws Exception {
    mkfifo(at("/etc/initctl"));

    ScanReport r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> scan());

    assertThat(r).hasUnowned("/etc/initctl");
    Finding f = assertThat(r).finding("/etc/initctl");
    assertThat(f.actual().type()).isEqualTo("fifo");
    assertThat(f.actual().digest()).isNull();
    assertThat(f.actual().size()).isNull();
  }

  @Test
  void conffileReplacedByFifoIsATypeChangeAndDoesNotHang() throws Exception {
    Files.delete(at("/etc/motd"));
    mkfifo(at("/etc/motd"));

    ScanReport r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> scan());

    assertThat(r).hasModified("/etc/motd", Problem.TYPE);
    assertThat(assertThat(r).finding("/etc/motd").actual().type()).isEqualTo("fifo");
  }

  @Test
  void symlinkLoopAndDanglingLinkDoNotBreakTheScan() throws IOException {
    Files.createSymbolicLink(at("/etc/loop-a"), Path.of("loop-b"));
    Files.createSymbolicLink(at("/etc/loop-b"), Path.of("loop-a"));
    Files.createSymbolicLink(at("/etc/dangling"), Path.of("/nonexistent/target"));
    Files.createDirectories(at("/etc/sub"));
    Files.createSymbolicLink(at("/etc/sub/up"), Path.of(".."));

    ScanReport r = scan();

    assertThat(r)
        .hasUnowned("/etc/loop-a")
        .hasUnowned("/etc/loop-b")
        .hasUnowned("/etc/dangling")
        .hasUnowned("/etc/sub/up")
        .hasNoWarnings();
    assertThat(assertThat(r).finding("/etc/dangling").actual().linkTarget())
        .isEqualTo("/nonexistent/target");
    assertThat(assertThat(r).finding("/etc/loop-a").actual().type()).isEqualTo("symlink");
    assertThat(r.findings()).hasSize(4);
  }

  @Test
  void conffileThatIsASymlinkLoopIsUnreadable() throws IOException {
    // chmod 000 does not stop root, so this is how a unit test running as root reaches
    // UNREADABLE: dpkg follows links, and a loop cannot be followed.
    Files.delete(at("/etc/motd"));
    Files.createSymbolicLink(at("/etc/motd"), Path.of("motd"));

    ScanReport r = scan();

    assertThat(r).hasUnreadable("/etc/motd");
    Finding f = assertThat(r).finding("/etc/motd");
    assertThat(f.note()).startsWith("cannot follow link: ");
    assertThat(f.unchecked()).contains(Check.DIGEST);
    assertThat(f.rpmLine()).isEqualTo("?????????  c /etc/motd");
  }

  @Test
  void conffileFollowedThroughAGoodSymlinkIsVerified() throws IOException {
    Files.delete(at("/etc/motd"));
    write("/usr/share/base-files/motd", MOTD);
    Files.createSymbolicLink(at("/etc/motd"), Path.of("../usr/share/base-files/motd"));

    assertThat(scan()).hasNoFindingFor("/etc/motd");
  }

  @Test
  void directoryWhereAConffileShouldBeIsATypeChange() throws IOException {
    Files.delete(at("/etc/motd"));
    Files.createDirectories(at("/etc/motd"));

    ScanReport r = scan();

    assertThat(r).hasModified("/etc/motd", Problem.TYPE);
    assertThat(assertThat(r).finding("/etc/motd").actual().type()).isEqualTo("directory");
  }

  @Test
  void secretsAreMarkedByRuleOrContentAndTheirContentNeverReported() throws Exception {
    String shadow = "root:$y$j9T$supersecrethash:19000:0:99999:7:::\n";
    write("/etc/shadow", shadow);
    write("/etc/app/server.pem", PRIVATE_KEY);
    write("/etc/issue", PRIVATE_KEY);

    ScanReport r = scan();

    assertThat(r).hasUnowned("/etc/shadow").hasUnowned("/etc/app/server.pem");
    assertThat(r).hasModified("/etc/issue", Problem.CONTENT);
    assertThat(assertThat(r).finding("/etc/shadow").secret()).isEqualTo("/etc/shadow");
    assertThat(assertThat(r).finding("/etc/app/server.pem").secret())
        .isEqualTo("content: private key");
    assertThat(assertThat(r).finding("/etc/issue").secret()).isEqualTo("content: private key");
    assertThat(assertThat(r).finding("/etc/app/server.pem").actual().digest())
        .isEqualTo(sha256(PRIVATE_KEY));

    String rendered = render(r);
    assertThat(rendered)
        .contains("/etc/shadow", "content: private key")
        .doesNotContain("supersecrethash", "secretbody", "BEGIN OPENSSH");
  }

  @Test
  void secondScanWithTheSameCacheHashesNothing() throws IOException {
    Path cache = state.resolve("statcache");
    write("/etc/app/local.conf", "x=1\n");

    ScanReport first = scan(cache);
    ScanReport second = scan(cache);

    long hashedFiles = 3; // two conffiles and one unowned file
    long bytes = ISSUE.length() + MOTD.length() + "x=1\n".length();
    assertThat(first.stats().cacheHits()).isZero();
    assertThat(first.stats().bytesHashed()).isEqualTo(bytes);
    assertThat(second.stats().cacheHits()).isEqualTo(hashedFiles);
    assertThat(second.stats().bytesHashed()).isZero();
    assertThat(second.findings()).isEqualTo(first.findings());
    assertThat(second).hasNoWarnings();
  }

  @Test
  void modifyingAFileInvalidatesOnlyItsCacheEntry() throws IOException {
    Path cache = state.resolve("statcache");
    scan(cache);

    // Same size, new content; the explicit mtime makes the change visible even within one
    // timestamp tick of the file system.
    String edited = ISSUE.replace('D', 'X');
    Files.writeString(at("/etc/issue"), edited);
    Files.setLastModifiedTime(at("/etc/issue"), FileTime.fromMillis(1_000_000_000_000L));
    ScanReport r = scan(cache);

    assertThat(r).hasModified("/etc/issue", Problem.CONTENT);
    assertThat(r.stats().cacheHits()).isEqualTo(1);
    assertThat(r.stats().bytesHashed()).isEqualTo(edited.length());
  }

  @Test
  void corruptedCacheFileWarnsAndTheScanIsStillCorrect() throws IOException {
    Path cache = state.resolve("statcache");
    write("/etc/issue", "Hacked\n");
    ScanReport reference = scan();
    scan(cache);
    byte[] good = Files.readAllBytes(cache);

    for (byte[] bad :
        List.of(
            "garbage that is no cache".getBytes(StandardCharsets.US_ASCII),
            java.util.Arrays.copyOf(good, good.length / 2),
            new byte[0])) {
      Files.write(cache, bad);

      ScanReport r = scan(cache);

      assertThat(r.findings()).isEqualTo(reference.findings());
      assertThat(r.stats().cacheHits()).isZero();
      assertThat(r.warnings())
          .singleElement()
          .asString()
          .startsWith(cache + ": stat cache unreadable (")
          .endsWith("); rebuilt from scratch");
    }
    assertThat(scan(cache).stats().cacheHits()).as("rebuilt cache is used").isEqualTo(2);
  }

  @Test
  void allFilesScopeChecksNonConfigFilesToo() throws IOException {
    write("/usr/bin/tool", "patched");
    ScanOptions o =
        new ScanOptions(root, true, List.of(), GlobRules.empty(), GlobRules.empty(), null, 1);

    ScanReport r = Scanner.scan(DpkgReader.read(root), o, "h");

    assertThat(r).hasModified("/usr/bin/tool", Problem.CONTENT).hasNoFindingsUnder("/etc");
    assertThat(r.scope()).isEqualTo("all");
    assertThat(assertThat(r).finding("/usr/bin/tool").rpmLine())
        .isEqualTo("??5??????    /usr/bin/tool");
  }

  @Test
  void missingUnownedPathIsAWarning() throws IOException {
    ScanOptions o =
        new ScanOptions(
            root, false, List.of("/srv"), GlobRules.empty(), GlobRules.empty(), null, 1);

    ScanReport r = Scanner.scan(DpkgReader.read(root), o, "h");

    assertThat(r).hasNoFindings();
    assertThat(r.warnings())
        .containsExactly("/srv: does not exist under " + root + "; nothing to look for there");
  }

  private static String render(ScanReport r) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    JsonReport.write(r, b);
    PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8);
    TextReport.print(r, p);
    RpmFormat.print(r, p);
    return b.toString(StandardCharsets.UTF_8);
  }

  private static void mkfifo(Path p) throws Exception {
    Process proc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(proc.waitFor()).as("mkfifo exit status").isZero();
  }
}
