package io.kickdrift.server.drift;

import static io.kickdrift.testkit.GitCli.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.drift.DriftRepo.Against;
import io.kickdrift.server.drift.FileDiff.Kind;
import io.kickdrift.server.drift.FileDiff.Row;
import io.kickdrift.testkit.GitCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DriftRepo} on repositories the agent's own {@code ConfigRepo} wrote over two scans,
 * checked against the {@code git} command line reading the same repository.
 */
class DriftRepoTest {
  static final Instant T1 = Instant.parse("2031-03-01T10:00:00Z");
  static final Instant T2 = Instant.parse("2031-03-02T10:00:00Z");
  static final String ALPHA = "/etc/alpha/alpha.conf";
  static final String APP = "/etc/local/app.conf";
  static final String GONE = "/etc/alpha/gone.conf";

  @TempDir Path dir;
  Path repo;
  RepoWriter writer;

  @BeforeEach
  void paths() {
    repo = dir.resolve("drift.git");
    writer = new RepoWriter(repo, dir.resolve("roots"));
  }

  static String packaged() {
    return IntStream.rangeClosed(1, 30)
        .mapToObj(i -> "option_" + i + " = " + i + "\n")
        .collect(Collectors.joining());
  }

  /** web01 scanned twice: alpha.conf edited at line 5, then again at 5, 20 and at the end. */
  void twoScans() throws IOException {
    String once = packaged().replace("option_5 = 5", "option_5 = edited-once");
    writer
        .host("web01")
        .modified(ALPHA, packaged(), once)
        .modified(GONE, "gone = packaged\n", "gone = edited\n")
        .unowned(APP, "a\nb\n")
        .commit(T1);
    String twice =
        packaged()
                .replace("option_5 = 5", "option_5 = edited-twice")
                .replace("option_20 = 20\n", "")
            + "added = yes\n";
    writer
        .host("web01")
        .modified(ALPHA, packaged(), twice)
        .missing(GONE, "gone = packaged\n")
        .unowned(APP, "a\nb\nc\n")
        .commit(T2);
  }

  String head() throws Exception {
    return git(repo, "rev-parse", "main").out().strip();
  }

  @Test
  void hostsSummariseEachManifestAndTheLastScan() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      assertThat(r.hosts()).containsExactly(new HostSummary("web01", 1, 1, 1, 0, T2, head(), null));
    }
  }

  @Test
  void aHostListsItsFilesUnownedFilesAndScansNewestFirstAsGitLogDoes() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      HostDrift h = r.host("web01").orElseThrow();
      assertThat(h.commit()).isEqualTo(head());
      assertThat(h.files()).extracting(DriftFile::path).containsExactly(ALPHA, GONE);
      DriftFile alpha = h.files().get(0);
      assertThat(alpha)
          .extracting(DriftFile::status, DriftFile::pkg, DriftFile::version, DriftFile::mode)
          .containsExactly("modified", "alpha", "1.0-1", "0644");
      assertThat(h.files().get(1).status()).isEqualTo("missing");
      assertThat(h.unowned()).extracting(DriftFile::path).containsExactly(APP);

      String log = git(repo, "log", "--format=%H %ct %s", "--", "hosts/web01").out();
      assertThat(h.scans())
          .extracting(s -> s.commit() + " " + s.time().getEpochSecond() + " " + s.subject())
          .containsExactlyElementsOf(log.lines().toList());
      assertThat(h.scans().get(0).subject()).isEqualTo("web01: 2 modified, 0 new, 1 missing");
      assertThat(h.scans().get(0).changed()).containsExactly(ALPHA, GONE, APP);
      assertThat(h.scans().get(2).subject()).isEqualTo("web01: packaged originals of 2 files");
      assertThat(h.scans().get(2).author()).isEqualTo("kickdrift <kickdrift@web01>");
      assertThat(h.moreScans()).isFalse();

      HostDrift bounded = r.host("web01", 1).orElseThrow();
      assertThat(bounded.scans()).hasSize(1);
      assertThat(bounded.moreScans()).isTrue();
    }
  }

  @Test
  void packagedIsTheOriginalsCommitAndPreviousTheScanBefore() throws Exception {
    twoScans();
    String originals = git(repo, "rev-parse", "main~2").out().strip();
    String first = git(repo, "rev-parse", "main~1").out().strip();
    try (DriftRepo r = DriftRepo.open(repo)) {
      FileDiff p = r.fileDiff("web01", ALPHA, Against.PACKAGED).orElseThrow();
      assertThat(p.packagedOriginal()).isTrue();
      assertThat(p.left().commit()).isEqualTo(originals);
      assertThat(p.left().text()).isEqualTo(packaged());
      assertThat(p.right().commit()).isEqualTo(head());
      assertThat(p.right().text()).contains("option_5 = edited-twice", "added = yes");
      assertAgreesWithGitDiff(p, originals);

      FileDiff v = r.fileDiff("web01", ALPHA, Against.PREVIOUS).orElseThrow();
      assertThat(v.left().commit()).isEqualTo(first);
      assertThat(v.left().text()).contains("option_5 = edited-once");
      assertAgreesWithGitDiff(v, first);
      assertThat(v.rows()).isNotEqualTo(p.rows());
    }
  }

  /** The rows' removed and added lines are those {@code git diff LEFT HEAD -- path} prints. */
  void assertAgreesWithGitDiff(FileDiff d, String left) throws Exception {
    String diff =
        git(
                repo,
                "diff",
                "--histogram",
                left,
                head(),
                "--",
                "hosts/" + d.host() + "/files" + d.path())
            .out();
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (Row row : d.rows()) {
      if (row.kind() == Kind.CHANGED || row.kind() == Kind.REMOVED) {
        removed.add("-" + row.left());
      }
      if (row.kind() == Kind.CHANGED || row.kind() == Kind.ADDED) {
        added.add("+" + row.right());
      }
    }
    List<String> git = GitCli.changedLines(diff);
    assertThat(removed.size() + added.size()).isPositive();
    assertThat(removed)
        .containsExactlyElementsOf(git.stream().filter(l -> l.startsWith("-")).toList());
    assertThat(added)
        .containsExactlyElementsOf(git.stream().filter(l -> l.startsWith("+")).toList());
  }

  @Test
  void unchangedRunsCollapseToThreeLinesOfContextAndASkippedRow() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      List<Row> rows = r.fileDiff("web01", ALPHA, Against.PACKAGED).orElseThrow().rows();
      assertThat(rows)
          .extracting(Row::kind)
          .containsExactly(
              Kind.SKIPPED, // 1
              Kind.SAME,
              Kind.SAME,
              Kind.SAME, // 2-4
              Kind.CHANGED, // 5
              Kind.SAME,
              Kind.SAME,
              Kind.SAME, // 6-8
              Kind.SKIPPED, // 9-16
              Kind.SAME,
              Kind.SAME,
              Kind.SAME, // 17-19
              Kind.REMOVED, // 20
              Kind.SAME,
              Kind.SAME,
              Kind.SAME, // 21-23
              Kind.SKIPPED, // 24-27
              Kind.SAME,
              Kind.SAME,
              Kind.SAME, // 28-30
              Kind.ADDED);
      assertThat(rows.get(0)).isEqualTo(new Row(Kind.SKIPPED, 1, null, 1, null, 1));
      assertThat(rows.get(8)).isEqualTo(new Row(Kind.SKIPPED, 9, null, 9, null, 8));
      assertThat(rows.get(4))
          .isEqualTo(new Row(Kind.CHANGED, 5, "option_5 = 5", 5, "option_5 = edited-twice", 0));
      assertThat(rows.get(12)).isEqualTo(new Row(Kind.REMOVED, 20, "option_20 = 20", 0, null, 0));
      assertThat(rows.get(rows.size() - 1))
          .isEqualTo(new Row(Kind.ADDED, 0, null, 30, "added = yes", 0));
      assertThat(rows.get(4).json())
          .containsEntry("kind", "changed")
          .containsEntry("left-no", 5)
          .containsEntry("right", "option_5 = edited-twice");
    }
  }

  @Test
  void anUnownedFileHasNoPackagedOriginalAndIsComparedWithItsFirstVersion() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      FileDiff d = r.fileDiff("web01", APP, Against.PACKAGED).orElseThrow();
      assertThat(d.packagedOriginal()).isFalse();
      assertThat(d.left().commit()).isEqualTo(git(repo, "rev-parse", "main~1").out().strip());
      assertThat(d.left().text()).isEqualTo("a\nb\n");
      assertThat(d.rows()).extracting(Row::kind).containsExactly(Kind.SAME, Kind.SAME, Kind.ADDED);
      assertAgreesWithGitDiff(d, "main~1");
    }
  }

  @Test
  void aMissingFileShowsWhatItWasAndNothingNow() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      FileDiff d = r.fileDiff("web01", GONE, Against.PREVIOUS).orElseThrow();
      assertThat(d.left().present()).isTrue();
      assertThat(d.left().text()).isEqualTo("gone = edited\n");
      assertThat(d.right().present()).isFalse();
      assertThat(d.rows()).containsExactly(new Row(Kind.REMOVED, 1, "gone = edited", 0, null, 0));
      FileDiff p = r.fileDiff("web01", GONE, Against.PACKAGED).orElseThrow();
      assertThat(p.packagedOriginal()).isTrue();
      assertThat(p.left().text()).isEqualTo("gone = packaged\n");
    }
  }

  @Test
  void unknownHostsAndPathsAreEmptyAndBadPathsRefusedNamingThem() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      assertThat(r.host("web99")).isEmpty();
      assertThat(r.host("../web01")).isEmpty();
      assertThat(r.host(null)).isEmpty();
      assertThat(r.fileDiff(null, ALPHA, Against.PREVIOUS)).isEmpty();
      assertThat(r.fileDiff("web99", ALPHA, Against.PACKAGED)).isEmpty();
      assertThat(r.fileDiff("web01", "/etc/never", Against.PREVIOUS)).isEmpty();
      for (String bad :
          List.of("etc/alpha", "/etc/../etc/alpha", "/etc//x", "/etc/./x", "/", "", "/etc/a\0b")) {
        assertThatThrownBy(() -> r.fileDiff("web01", bad, Against.PACKAGED))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("path '")
            .hasMessageContaining("expected an absolute path");
      }
      assertThatThrownBy(() -> r.fileDiff("web01", null, Against.PACKAGED))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void binaryFilesHaveNoRowsAndAFlag() throws Exception {
    byte[] packagedBytes = {1, 2, 0, 3, '\n'};
    byte[] now = {1, 2, 0, 4, '\n'};
    writer.host("web01").modified("/etc/alpha/bin.db", packagedBytes, now).commit(T1);
    try (DriftRepo r = DriftRepo.open(repo)) {
      FileDiff d = r.fileDiff("web01", "/etc/alpha/bin.db", Against.PACKAGED).orElseThrow();
      assertThat(d.binary()).isTrue();
      assertThat(d.rows()).isEmpty();
      assertThat(d.left().text()).isNull();
      assertThat(d.right().size()).isEqualTo(5);
      assertThat(d.identical()).isFalse();
    }
  }

  @Test
  void aTenMegabyteLineIsReadToOneMebibyteAndCutQuickly() throws Exception {
    byte[] big = new byte[10 << 20];
    java.util.Arrays.fill(big, (byte) 'a');
    writer.host("web01").modified("/etc/alpha/huge.conf", "small\n".getBytes(), big).commit(T1);
    try (DriftRepo r = DriftRepo.open(repo)) {
      r.hosts();
      long start = System.nanoTime();
      FileDiff d = r.fileDiff("web01", "/etc/alpha/huge.conf", Against.PACKAGED).orElseThrow();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(d.right().truncated()).isTrue();
      assertThat(d.right().size()).isEqualTo(10 << 20);
      assertThat(d.left().truncated()).isFalse();
      assertThat(d.linesCut()).isTrue();
      assertThat(d.rows()).hasSize(1);
      Row row = d.rows().get(0);
      assertThat(row.kind()).isEqualTo(Kind.CHANGED);
      assertThat(row.right()).hasSize(SideBySide.MAX_LINE + 1).endsWith("…");
      assertThat(row.right()).startsWith("aaaa");
      assertThat(d.right().text()).hasSize(SideBySide.MAX_LINE + 1);
      // Bounded work: one MiB inflated and compared, not ten.
      assertThat(millis).as("fileDiff took %d ms", millis).isLessThan(2_000);
    }
  }

  @Test
  void theOddHostOutOfThreeIsTheOutlier() throws Exception {
    writer.host("web01").modified(ALPHA, packaged(), "shared = 1\n").commit(T1);
    writer.host("web02").modified(ALPHA, packaged(), "shared = 1\n").unowned(APP, "x\n").commit(T1);
    writer.host("web03").modified(ALPHA, packaged(), "odd = 1\n").commit(T1);
    try (DriftRepo r = DriftRepo.open(repo)) {
      List<PathDrift> fleet = r.fleet();
      assertThat(fleet).extracting(PathDrift::path).containsExactly(ALPHA, APP);
      PathDrift alpha = fleet.get(0);
      assertThat(alpha.hosts()).isEqualTo(3);
      assertThat(alpha.modified()).isEqualTo(3);
      assertThat(alpha.variants()).extracting(PathDrift.Variant::hosts).containsExactly(2, 1);
      assertThat(alpha.variants().get(1).value()).startsWith("md5:");
      assertThat(alpha.outliers()).containsExactly("web03");
      assertThat(alpha.json()).containsEntry("hosts-differing", 3);
      PathDrift app = fleet.get(1);
      assertThat(app.unowned()).isEqualTo(1);
      assertThat(app.outliers()).isEmpty();
    }
  }

  @Test
  void outliersAreAtMostATenthOrASingleHostAndNeverOneSideOfATie() {
    assertThat(Fleet.outlying(1, 2, 3)).isTrue();
    assertThat(Fleet.outlying(1, 1, 2)).isFalse();
    assertThat(Fleet.outlying(2, 18, 20)).isTrue();
    assertThat(Fleet.outlying(3, 17, 20)).isFalse();
    assertThat(Fleet.outlying(5, 5, 10)).isFalse();
  }

  @Test
  void theViewsAreComputedOncePerHeadAndFollowTheBranch() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      List<HostSummary> first = r.hosts();
      assertThat(r.hosts()).isSameAs(first);
      assertThat(r.fleet()).isSameAs(r.fleet());
      assertThat(r.host("web01").orElseThrow()).isSameAs(r.host("web01").orElseThrow());

      Instant t3 = Instant.parse("2031-03-03T10:00:00Z");
      writer.host("web02").unowned(APP, "z\n").commit(t3);
      List<HostSummary> after = r.hosts();
      assertThat(after).isNotSameAs(first);
      assertThat(after).extracting(HostSummary::host).containsExactly("web01", "web02");
      // web01's manifest did not change: its last scan is still the one before.
      assertThat(after.get(0)).isEqualTo(first.get(0));
      assertThat(after.get(1).lastScan()).isEqualTo(t3);
      assertThat(after.get(1).lastCommit()).isEqualTo(head());
      assertThat(r.host("web01").orElseThrow().scans()).hasSize(3);
    }
  }

  @Test
  void aRewrittenHistoryWhoseOldHeadWasPrunedIsReadAfresh() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      assertThat(r.host("web01").orElseThrow().scans()).hasSize(3);
      String root =
          Cmd.ok(
                  "git",
                  "--git-dir=" + repo,
                  "-c",
                  "user.name=ops",
                  "-c",
                  "user.email=o@p",
                  "commit-tree",
                  "main^{tree}",
                  "-m",
                  "squashed")
              .out()
              .strip();
      git(repo, "update-ref", "refs/heads/main", root);
      git(repo, "reflog", "expire", "--expire=now", "--all");
      git(repo, "gc", "-q", "--prune=now");
      assertThat(git(repo, "cat-file", "-e", head() + "~1").exit()).isNotZero();

      HostSummary web01 = r.hosts().get(0);
      assertThat(web01.lastCommit()).isEqualTo(root);
      assertThat(web01.modified()).isEqualTo(1);
      assertThat(r.host("web01").orElseThrow().scans())
          .extracting(HostDrift.Scan::subject)
          .containsExactly("squashed");
    }
  }

  @Test
  void aWorkTreeCloneReadsTheSameAndCommitsWithoutTrailersAndBrokenManifestsAreHandled()
      throws Exception {
    twoScans();
    Path work = dir.resolve("work");
    Cmd.ok("git", "clone", "-q", repo.toString(), work.toString());
    // Someone commits a note, and breaks web02's manifest by hand; no Host: trailer.
    Files.createDirectories(work.resolve("hosts/web02"));
    Files.writeString(work.resolve("hosts/web02/manifest.json"), "{ not json");
    Files.writeString(work.resolve("hosts/web01/NOTES"), "checked by ops\n");
    Cmd.ok("git", "-C", work.toString(), "add", ".");
    Cmd.ok(
        "git",
        "-C",
        work.toString(),
        "-c",
        "user.name=ops",
        "-c",
        "user.email=o@p",
        "commit",
        "-qm",
        "notes");
    try (DriftRepo r = DriftRepo.open(work)) {
      List<HostSummary> hosts = r.hosts();
      assertThat(hosts).extracting(HostSummary::host).containsExactly("web01", "web02");
      assertThat(hosts.get(0).problem()).isNull();
      assertThat(hosts.get(0).modified()).isEqualTo(1);
      assertThat(hosts.get(1).problem())
          .startsWith(work + "@")
          .contains(":hosts/web02/manifest.json: not a kickdrift manifest: ");
      String notes = Cmd.ok("git", "-C", work.toString(), "rev-parse", "HEAD").out().strip();
      assertThat(hosts.get(0).lastCommit()).isEqualTo(notes);
      assertThat(hosts.get(1).lastCommit()).isEqualTo(notes);
      assertThat(r.host("web01").orElseThrow().scans().get(0).subject()).isEqualTo("notes");
      assertThat(r.host("web02").orElseThrow().problem()).isEqualTo(hosts.get(1).problem());
    }
  }

  @Test
  void anEmptyRepositoryHasNoHostsAndADirectoryThatIsNoneIsNamed() throws Exception {
    GitCli.bare(repo);
    try (DriftRepo r = DriftRepo.open(repo)) {
      assertThat(r.hosts()).isEmpty();
      assertThat(r.fleet()).isEmpty();
      assertThat(r.host("web01")).isEmpty();
    }
    Path none = dir.resolve("none");
    assertThatThrownBy(() -> DriftRepo.open(none)).hasMessage(none + ": no such directory");
    Files.createDirectories(none);
    assertThatThrownBy(() -> DriftRepo.open(none)).hasMessage(none + ": not a git repository");
  }

  @Test
  void readingWritesNothingToTheRepository() throws Exception {
    twoScans();
    String before = listing(repo);
    try (DriftRepo r = DriftRepo.open(repo)) {
      r.hosts();
      r.host("web01");
      r.fileDiff("web01", ALPHA, Against.PACKAGED);
      r.fileDiff("web01", ALPHA, Against.PREVIOUS);
      r.fleet();
    }
    assertThat(listing(repo)).isEqualTo(before);
  }

  static String listing(Path repo) throws Exception {
    return Cmd.ok("sh", "-c", "cd \"$0\" && find . -printf '%p %s %T@\\n' | sort", repo.toString())
        .out();
  }

  @Test
  void jsonKeysAreKebabCase() throws Exception {
    twoScans();
    try (DriftRepo r = DriftRepo.open(repo)) {
      assertThat(r.hosts().get(0).json())
          .containsEntry("last-scan", T2.toString())
          .containsKeys("host", "modified", "unowned", "missing", "last-commit", "problem");
      assertThat(r.host("web01").orElseThrow().json())
          .containsKeys("files", "unowned", "scans", "more-scans");
      assertThat(r.fileDiff("web01", ALPHA, Against.PACKAGED).orElseThrow().json())
          .containsEntry("against", "packaged")
          .containsEntry("packaged-original", true)
          .containsKeys("left", "right", "rows", "binary", "lines-cut", "identical");
      assertThat(Against.of("previous")).contains(Against.PREVIOUS);
      assertThat(Against.of("PREVIOUS")).isEmpty();
    }
    Set<String> keys = new HashSet<>();
    keys.addAll(
        new DriftFile(
                "/a", "unowned", null, null, null, null, null, null, null, null, null, null, true,
                null)
            .json()
            .keySet());
    assertThat(keys).allMatch(k -> k.equals(k.toLowerCase(java.util.Locale.ROOT)));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
