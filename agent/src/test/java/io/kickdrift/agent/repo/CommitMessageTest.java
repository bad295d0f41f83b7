package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

class CommitMessageTest {
  static final CommitMessage.Trailers T = new CommitMessage.Trailers("web01", "scan-1", "0.1.0");
  static final ObjectId A = ObjectId.fromString("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  static final ObjectId B = ObjectId.fromString("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

  @Test
  void scanSummaryThenTrailers() {
    assertThat(CommitMessage.scan("web01", new CommitMessage.Changes(3, 1, 1, 0), T, ""))
        .isEqualTo(
            "web01: 3 modified, 1 new, 1 missing\n\n"
                + "Host: web01\nScan-Id: scan-1\nAgent-Version: 0.1.0\n");
    assertThat(CommitMessage.scan("web01", new CommitMessage.Changes(0, 0, 0, 2), T, ""))
        .startsWith("web01: 0 modified, 0 new, 0 missing, 2 resolved\n\n");
  }

  @Test
  void originalsSummary() {
    assertThat(CommitMessage.originals("web01", 2, T))
        .startsWith("web01: packaged originals of 2 files\n\nHost: web01\n");
    assertThat(CommitMessage.originals("web01", 1, T))
        .startsWith("web01: packaged original of 1 file\n");
  }

  static ManifestEntry entry(String status, String digest) {
    return new ManifestEntry(
        status,
        null,
        null,
        null,
        digest,
        "regular",
        "0644",
        "root",
        "root",
        null,
        "none",
        null,
        null,
        null,
        !status.equals("missing"),
        null,
        null,
        null);
  }

  /** Puts the entry {@code "STATUS [DIGEST]"} at {@code path}; none when null. */
  static void putEntry(Map<String, ManifestEntry> files, String path, String entry) {
    if (entry != null) {
      String[] f = entry.split(" ");
      files.put(path, entry(f[0], f.length > 1 ? f[1] : null));
    }
  }

  static Manifest manifest(Map<String, ManifestEntry> files) {
    return new Manifest(1, "web01", new TreeMap<>(files));
  }

  @Test
  void changesCountNewModifiedMissingAndResolved() {
    // Each file's entry before and after: status and digest, or null where there is none.
    String[][] table = {
      {"/etc/same", "unowned d1", "unowned d1"},
      {"/etc/edited", "unowned d1", "unowned d2"},
      {"/etc/retouched", "unowned d1", "unowned d1"},
      {"/etc/gone", "unowned d1", "missing"},
      {"/etc/still-gone", "missing", "missing"},
      {"/etc/back", "missing", "unowned d1"},
      {"/etc/clean-again", "modified d1", null},
      {"/etc/new", null, "unowned d1"},
    };
    Map<String, ManifestEntry> before = new TreeMap<>();
    Map<String, ManifestEntry> after = new TreeMap<>();
    for (String[] row : table) {
      putEntry(before, row[0], row[1]);
      putEntry(after, row[0], row[2]);
    }
    // Same manifest entry, other blob (e.g. a link retargeted): modified too.
    Map<String, ObjectId> blobsBefore =
        Map.of("/etc/same", A, "/etc/edited", A, "/etc/retouched", A);
    Map<String, ObjectId> blobsAfter =
        Map.of("/etc/same", A, "/etc/edited", B, "/etc/retouched", B);
    assertThat(CommitMessage.changes(manifest(before), blobsBefore, manifest(after), blobsAfter))
        .isEqualTo(new CommitMessage.Changes(2, 2, 1, 1));
  }

  @Test
  void nothingChangedIsEmpty() {
    Manifest m = manifest(Map.of("/etc/x", entry("unowned", "d1")));
    CommitMessage.Changes c = CommitMessage.changes(m, Map.of("/etc/x", A), m, Map.of("/etc/x", A));
    assertThat(c.isEmpty()).isTrue();
  }
}
