package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import io.kickdrift.testkit.ScratchDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dpkg root built from real .debs (dpkg-deb --build, dpkg --root -i), with seeded drift, scanned
 * by the agent jar and by dpkg --verify and debsums on the same root.
 */
class DpkgRootIT {
  // World-traversable, so the scan as nobody below can reach the root.
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-dpkg-it").traversable();
  static Path work;
  static Path root;
  static Path debs;

  @BeforeAll
  static void buildRoot() throws Exception {
    Cmd.require("debsums", "debsums");
    Cmd.require("setpriv", "util-linux");
    work = scratch.path();
    debs = work.resolve("debs");
    DpkgTestRoot dpkg = DpkgTestRoot.alphaFamily(work, DpkgRootIT::ownerAndAdm);
    root = dpkg.path();
    // A local diversion moved gamma's file aside; the admin puts a wrapper in its place.
    Files.writeString(root.resolve("usr/bin/gamma"), "#!/bin/sh\nexec gamma.distrib \"$@\"\n");
    Files.writeString(
        root.resolve("usr/bin/gamma.distrib"),
        "patched\n",
        java.nio.file.StandardOpenOption.APPEND);
    dpkg.alternative("/usr/bin/alpha-editor", "alpha-editor", "/usr/bin/alpha", 10);

    // ucf tracks this one: the md5 of the maintainer's version, and who registered it.
    dpkg.ucf("/etc/alpha/ucf-managed.conf", "maintainer version\n", "alpha", "locally changed\n");

    // Seeded drift.
    Files.writeString(root.resolve("etc/alpha/alpha.conf"), "setting = 2\n");
    // An edit whose mtime is not the package's: rpm's T column shows it.
    Files.setLastModifiedTime(
        root.resolve("etc/alpha/alpha.conf"),
        java.nio.file.attribute.FileTime.fromMillis(978307200000L));
    Files.delete(root.resolve("etc/alpha/with space.conf"));
    Cmd.ok("chmod", "600", root.resolve("etc/alpha/mode.conf").toString());
    Cmd.ok("chown", "1:1", root.resolve("etc/alpha/owner.conf").toString());
    Files.delete(root.resolve("etc/alpha/current.conf"));
    Files.createSymbolicLink(root.resolve("etc/alpha/current.conf"), Path.of("mode.conf"));
    Files.writeString(root.resolve("usr/share/alpha/data.txt"), "edited data\n");
    Files.writeString(root.resolve("usr/lib/i386-linux-gnu/libbeta.so.1"), "patched\n");
    Files.writeString(root.resolve("etc/delta.conf"), "delta, kept after removal and edited\n");
    Files.writeString(root.resolve("etc/alpha/local.conf"), "mine = 1\n");
    Files.writeString(root.resolve("etc/alpha/alpha.conf.dpkg-dist"), "setting = 1\n");
    Files.writeString(
        root.resolve("etc/alpha/tls.pem"),
        "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBg\n-----END PRIVATE KEY-----\n");
    Files.writeString(root.resolve("etc/shadow"), "root:$6$salt$hash:19000:0:99999:7:::\n");
    Files.writeString(root.resolve("etc/alpha/private.conf"), "nobody may read this\n");
    Cmd.ok("chmod", "000", root.resolve("etc/alpha/private.conf").toString());
    Cmd.ok("mkfifo", root.resolve("etc/alpha/pipe").toString());
    Files.createSymbolicLink(root.resolve("etc/alpha/loop-a"), Path.of("loop-b"));
    Files.createSymbolicLink(root.resolve("etc/alpha/loop-b"), Path.of("loop-a"));
  }

  // ---- the checksum part equals dpkg --verify and debsums ---------------------------------

  @Test
  void allFilesMatchDpkgVerifyCaseByCase() throws Exception {
    Cmd.Result dpkg = Cmd.run(List.of("dpkg", "--root=" + root, "--verify"));
    Cmd.Result ours = verifyScan();
    assertThat(ours.exit()).as(ours.err()).isEqualTo(1);

    Set<String> expected = verifyLines(dpkg.lines());
    // Where we see more than dpkg, by design (docs/drift-scan.md):
    // ucf-managed files are not in dpkg's lists, so dpkg --verify cannot see them;
    expected.add("5 c /etc/alpha/ucf-managed.conf");
    // dpkg --verify looks up the md5 of a diverted file under its new name, finds none and
    // skips the content check; we check the diverted copy against the package's md5.
    expected.add("5 - /usr/bin/gamma.distrib");
    assertThat(verifyLines(ours.lines())).isEqualTo(expected);
    // The seeded cases, spelled out, so a change in both tools cannot pass unnoticed.
    assertThat(expected)
        .contains(
            "5 c /etc/alpha/alpha.conf",
            "missing c /etc/alpha/with space.conf",
            "5 - /usr/share/alpha/data.txt",
            "5 - /usr/lib/i386-linux-gnu/libbeta.so.1",
            "5 - /usr/bin/gamma.distrib");
  }

  @Test
  void changedFilesMatchDebsums() throws Exception {
    Cmd.Result debsums = Cmd.run(List.of("debsums", "--root=" + root, "-ca"));
    Cmd.Result ours = verifyScan();
    Set<String> changed = new TreeSet<>();
    for (String l : debsums.lines()) {
      changed.add(l.substring(root.toString().length()));
    }
    Set<String> missing = new TreeSet<>();
    Matcher m =
        Pattern.compile("missing file " + Pattern.quote(root.toString()) + "(/.*) \\(from")
            .matcher(debsums.err());
    while (m.find()) {
      missing.add(m.group(1));
    }
    Set<String> ourChanged = new TreeSet<>();
    Set<String> ourMissing = new TreeSet<>();
    for (String l : verifyLines(ours.lines())) {
      String path = l.substring(l.indexOf(" /") + 1);
      // debsums knows neither ucf nor removed (config-files) packages, and skips diverted
      // files as dpkg does; see allFilesMatchDpkgVerifyCaseByCase.
      if (Set.of("/etc/alpha/ucf-managed.conf", "/etc/delta.conf", "/usr/bin/gamma.distrib")
          .contains(path)) {
        continue;
      }
      (l.startsWith("missing") ? ourMissing : ourChanged).add(path);
    }
    assertThat(ourChanged).isEqualTo(changed).isNotEmpty();
    assertThat(ourMissing).isEqualTo(missing).contains("/etc/alpha/with space.conf");
  }

  // ---- metadata from the .debs ------------------------------------------------------------

  @Test
  void modesOwnersAndLinksAreCheckedAgainstTheDebs() throws Exception {
    JsonNode report = json(scanAllWithDebs(root, "--json", "--no-cache"));
    // Every package's .deb was read, whatever its compression (xz, zstd, gzip, none).
    assertThat(report.get("metadataChecked").asBoolean())
        .as(report.get("warnings").toString())
        .isTrue();
    assertThat(report.get("warnings")).isEmpty();
    assertThat(problems(report, "/etc/alpha/mode.conf")).containsExactly("mode");
    assertThat(finding(report, "/etc/alpha/mode.conf").at("/expected/mode").asText())
        .isEqualTo("0644");
    assertThat(finding(report, "/etc/alpha/mode.conf").at("/actual/mode").asText())
        .isEqualTo("0600");
    assertThat(problems(report, "/etc/alpha/owner.conf")).containsExactly("owner", "group");
    assertThat(finding(report, "/etc/alpha/owner.conf").at("/actual/user").asText())
        .isEqualTo("daemon");
    assertThat(problems(report, "/etc/alpha/current.conf")).containsExactly("link");
    assertThat(finding(report, "/etc/alpha/current.conf").at("/expected/linkTarget").asText())
        .isEqualTo("alpha.conf");
    // root:adm 0640 in the .deb and on disk: no finding.
    assertThat(paths(report)).doesNotContain("/etc/alpha/adm.conf", "/usr/bin/alpha");

    Cmd.Result rpm = Cmd.agent(scanAllWithDebs(root, "--rpm-format", "--no-cache", "--no-unowned"));
    assertThat(rpm.lines())
        .contains(
            ".M.......  c /etc/alpha/mode.conf",
            ".....UG..  c /etc/alpha/owner.conf",
            "..5....T.  c /etc/alpha/alpha.conf",
            "....L....    /etc/alpha/current.conf",
            "missing   c /etc/alpha/with space.conf");
  }

  @Test
  void withoutTheDebsTheReportSaysMetadataWasNotChecked() throws Exception {
    JsonNode report = json("scan", "--root", root.toString(), "--json", "--no-cache");
    assertThat(report.get("metadataChecked").asBoolean()).isFalse();
    assertThat(paths(report)).doesNotContain("/etc/alpha/mode.conf", "/etc/alpha/owner.conf");
    assertThat(finding(report, "/etc/alpha/alpha.conf").get("unchecked"))
        .extracting(JsonNode::asText)
        .contains("mode", "user", "group");
  }

  // ---- the default scope --------------------------------------------------------------------

  @Test
  void defaultScopeIsConfigFilesAndUnownedFilesInEtc() throws Exception {
    Cmd.Result r = Cmd.agent("scan", "--root", root.toString(), "--json", "--no-cache");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertThat(report.get("scope").asText()).isEqualTo("config");
    assertThat(status(report, "/etc/alpha/alpha.conf")).isEqualTo("modified");
    assertThat(status(report, "/etc/alpha/with space.conf")).isEqualTo("missing");
    assertThat(status(report, "/etc/delta.conf")).isEqualTo("modified");
    assertThat(finding(report, "/etc/delta.conf").get("pkg").asText()).isEqualTo("delta");
    assertThat(status(report, "/etc/alpha/ucf-managed.conf")).isEqualTo("modified");
    assertThat(status(report, "/etc/alpha/local.conf")).isEqualTo("unowned");
    assertThat(finding(report, "/etc/alpha/local.conf").at("/actual/digest/hex").asText())
        .isEqualTo(sha256("mine = 1\n"));
    // Not config, so out of the default scope.
    assertThat(paths(report)).doesNotContain("/usr/share/alpha/data.txt", "/usr/bin/gamma.distrib");
    // Owned by the alternatives system, not drift; leftovers listed apart.
    assertThat(paths(report))
        .doesNotContain(
            "/etc/alternatives/alpha-editor",
            "/etc/alpha/alpha.conf.dpkg-dist",
            "/etc/alpha/adm.conf",
            "/etc/beta.conf");
    assertThat(report.get("leftovers"))
        .extracting(JsonNode::asText)
        .containsExactly("/etc/alpha/alpha.conf.dpkg-dist");
    // A FIFO is reported by type, never opened; links are not followed.
    assertThat(status(report, "/etc/alpha/pipe")).isEqualTo("unowned");
    assertThat(finding(report, "/etc/alpha/pipe").at("/actual/type").asText()).isEqualTo("fifo");
    assertThat(finding(report, "/etc/alpha/loop-a").at("/actual/linkTarget").asText())
        .isEqualTo("loop-b");
    // Secrets: by rule and by content; the report has digests, never content.
    assertThat(finding(report, "/etc/shadow").get("secret").asText()).isEqualTo("/etc/shadow");
    assertThat(finding(report, "/etc/alpha/tls.pem").get("secret").asText())
        .isEqualTo("content: private key");
    assertThat(r.out()).doesNotContain("PRIVATE KEY", "$6$salt");
  }

  @Test
  void aFileThatCannotBeReadIsReportedAndTheScanGoesOn() throws Exception {
    Cmd.Result r =
        Cmd.agentAs(
            List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
            "scan",
            "--root",
            root.toString(),
            "--json",
            "--no-cache");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertThat(status(report, "/etc/alpha/private.conf")).isEqualTo("unreadable");
    assertThat(finding(report, "/etc/alpha/private.conf").get("note").asText())
        .contains("permission denied");
    // root:adm 0640 is unreadable to nobody too: its content could not be checked.
    assertThat(status(report, "/etc/alpha/adm.conf")).isEqualTo("unreadable");
    assertThat(status(report, "/etc/alpha/alpha.conf")).isEqualTo("modified");
    assertThat(status(report, "/etc/alpha/local.conf")).isEqualTo("unowned");
  }

  @Test
  void aCleanRootExitsZero() throws Exception {
    Path clean =
        DpkgTestRoot.create(work.resolve("clean"))
            .install(List.of(debs.resolve("alpha_1.0-1_all.deb")))
            .path();
    Cmd.Result r = Cmd.agent(scanAllWithDebs(clean, "--no-cache", "--paths", "/etc/alpha"));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("0 modified, 0 missing, 0 unowned, 0 unreadable: no drift");
  }

  // ---- bad input ----------------------------------------------------------------------------

  @Test
  void aCorruptedStatusFileCostsOnlyTheBrokenEntry() throws Exception {
    Path copy = copyOfRoot("corrupt-status");
    Path status = copy.resolve("var/lib/dpkg/status");
    String text = Files.readString(status);
    // Break the alpha paragraph: a line that is neither a field nor a continuation.
    Files.writeString(
        status, text.replace("Package: alpha\n", "Package: alpha\nthis is no field\n"));
    int brokenLine = lineOf(Files.readString(status), "this is no field");
    Cmd.Result r = Cmd.agent("scan", "--root", copy.toString(), "--json", "--no-cache");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertWarningStartsWith(
        report, "/var/lib/dpkg/status:" + brokenLine + ": expected 'Field: value'");
    // Other packages are still checked; alpha's files now count as unowned.
    assertThat(status(report, "/etc/delta.conf")).isEqualTo("modified");
    assertThat(status(report, "/etc/alpha/alpha.conf")).isEqualTo("unowned");
  }

  @Test
  void aTruncatedMd5sumsFileWarnsWithFileAndLine() throws Exception {
    Path copy = copyOfRoot("truncated-md5sums");
    Path md5 = copy.resolve("var/lib/dpkg/info/alpha.md5sums");
    String text = Files.readString(md5);
    // Cut inside the hash of the last line (data.txt's).
    String cut = "usr/share/alpha/data.txt\n";
    assertThat(text).endsWith(cut);
    Files.writeString(md5, text.substring(0, text.length() - cut.length() - 12));
    int lines = (int) text.lines().count();
    Cmd.Result r = Cmd.agent("scan", "--root", copy.toString(), "--all", "--json", "--no-cache");
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertWarningStartsWith(report, "/var/lib/dpkg/info/alpha.md5sums:" + lines + ": expected");
    // The lines before the cut still count; the file whose md5 was lost is not guessed at.
    assertThat(status(report, "/etc/alpha/alpha.conf")).isEqualTo("modified");
    assertThat(paths(report)).doesNotContain("/usr/share/alpha/data.txt");
  }

  @Test
  void linkLoopsOddNamesAndHugeSparseFilesDoNotStopTheScan() throws Exception {
    Path copy = copyOfRoot("odd-files");
    // A packaged file replaced by a link loop: dpkg would follow it, and so would we.
    Files.delete(copy.resolve("usr/share/alpha/data.txt"));
    Files.createSymbolicLink(copy.resolve("usr/share/alpha/data.txt"), Path.of("data.txt"));
    // A file name that is not UTF-8, made by a tool that writes raw bytes.
    Cmd.ok("sh", "-c", "printf x > \"" + copy.resolve("etc/alpha") + "/$(printf 'bad\\377name')\"");
    // A packaged file replaced by an absolute link: it means the tree's /etc/shadow, never the
    // scanning machine's.
    Files.delete(copy.resolve("usr/bin/alpha"));
    Files.createSymbolicLink(copy.resolve("usr/bin/alpha"), Path.of("/etc/shadow"));
    // 2 GiB, sparse.
    Cmd.ok("truncate", "-s", "2G", copy.resolve("etc/alpha/disk.img").toString());
    Cmd.Result r = Cmd.agent("scan", "--root", copy.toString(), "--all", "--json", "--no-cache");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertThat(status(report, "/usr/share/alpha/data.txt")).isEqualTo("unreadable");
    assertThat(finding(report, "/usr/share/alpha/data.txt").get("note").asText())
        .contains("cannot follow link");
    assertThat(report.get("warnings"))
        .extracting(JsonNode::asText)
        .anySatisfy(w -> assertThat(w).contains("file name is not valid"));
    assertThat(finding(report, "/usr/bin/alpha").at("/actual/digest/hex").asText())
        .isEqualTo(DebBuilder.md5(Files.readString(copy.resolve("etc/shadow"))));
    JsonNode big = finding(report, "/etc/alpha/disk.img");
    assertThat(big.at("/actual/size").asLong()).isEqualTo(2L << 30);
    // sha256 of 2 GiB of zeros
    assertThat(big.at("/actual/digest/hex").asText())
        .isEqualTo("a7c744c13cc101ed66c29f672f92455547889cc586ce6d44fe76ae824958ea51");
  }

  @Test
  void aRootWithoutAPackageDatabaseExitsTwoAndSaysWhatItLookedFor() throws Exception {
    Path empty = Files.createDirectories(work.resolve("empty"));
    Cmd.Result r = Cmd.agent("scan", "--root", empty.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("no package database under " + empty, "var/lib/dpkg/status", "rpmdb.sqlite");
  }

  private static Path copyOfRoot(String name) throws Exception {
    return DpkgTestRoot.copy(root, work.resolve(name));
  }

  private static int lineOf(String text, String needle) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle + " not found");
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** alpha's conffiles this test adds: one for a chown, one root:adm 0640 as packaged. */
  private static DebBuilder ownerAndAdm(DebBuilder alpha) {
    return alpha
        .conffile("/etc/alpha/owner.conf", "owner = 1\n")
        .conffile("/etc/alpha/adm.conf", "adm = 1\n", 0640, 0, 4);
  }

  /** What dpkg --verify checks, and nothing more, of the root: see {@link #verifyScan(List)}. */
  private static Cmd.Result verifyScan() throws Exception {
    return verifyScan(List.of("--root", root.toString()));
  }

  /**
   * What dpkg --verify checks, and nothing more: every file, content and existence only, of the
   * root {@code where} names ({@code --root R}; none: this machine).
   */
  static Cmd.Result verifyScan(List<String> where) throws Exception {
    List<String> args = new ArrayList<>(List.of("scan"));
    args.addAll(where);
    args.addAll(
        List.of(
            "--all",
            "--rpm-format",
            "--no-unowned",
            "--no-deb-metadata",
            "--no-default-ignores",
            "--no-cache"));
    return Cmd.agent(args.toArray(String[]::new));
  }

  /** dpkg --verify and rpm -V lines as "marker attr path": marker 5, missing or the 9 columns. */
  static Set<String> verifyLines(List<String> lines) {
    Pattern p = Pattern.compile("^(missing|[.?SM5DLUGTP]{9}) +(c )?\\s*(/.*)$");
    Set<String> out = new TreeSet<>();
    for (String l : lines) {
      Matcher m = p.matcher(l);
      assertThat(m.matches()).as("not a verify line: '%s'", l).isTrue();
      String marker =
          m.group(1).equals("missing") ? "missing" : m.group(1).charAt(2) == '5' ? "5" : m.group(1);
      out.add(marker + " " + (m.group(2) != null ? "c" : "-") + " " + m.group(3));
    }
    return out;
  }

  /**
   * The arguments of {@code scan --all} of {@code r} with the .debs' metadata, then {@code more}.
   */
  static String[] scanAllWithDebs(Path r, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("scan", "--root", r.toString(), "--all", "--debs", debs.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** Asserts that one of the report's warnings starts with {@code prefix}. */
  static void assertWarningStartsWith(JsonNode report, String prefix) {
    assertThat(report.get("warnings"))
        .extracting(JsonNode::asText)
        .anySatisfy(w -> assertThat(w).startsWith(prefix));
  }

  static JsonNode json(String... args) throws Exception {
    Cmd.Result r = Cmd.agent(args);
    assertThat(r.exit()).as(r.err()).isIn(0, 1);
    return new ObjectMapper().readTree(r.out());
  }

  static JsonNode finding(JsonNode report, String path) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("path").asText().equals(path)) {
        return f;
      }
    }
    throw new AssertionError("no finding for " + path + " in " + paths(report));
  }

  static String status(JsonNode report, String path) {
    return finding(report, path).get("status").asText();
  }

  static List<String> problems(JsonNode report, String path) {
    List<String> out = new ArrayList<>();
    finding(report, path).get("problems").forEach(n -> out.add(n.asText()));
    return out;
  }

  static Set<String> paths(JsonNode report) {
    Set<String> out = new TreeSet<>();
    report.get("findings").forEach(f -> out.add(f.get("path").asText()));
    return out;
  }

  static String sha256(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
