package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConfigRepo.Guard}: what a scan shared by several servers asks under the repository lock
 * (docs/scale.md, "Shared scans"). A guard that refuses leaves the repository as it was; a retaken
 * scan finds the commit an earlier attempt of the same scan made, and does not commit again.
 */
class ScanGuardTest {
  static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path work;

  Path root(String app) throws IOException {
    Path root = work.resolve("root");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/app.conf"), app);
    return root;
  }

  ConfigRepo.Result record(Path repo, String host, String scanId, ConfigRepo.Guard guard)
      throws IOException {
    Path root = work.resolve("root");
    try (ConfigRepo cr = ConfigRepo.openOrCreate(repo)) {
      return cr.record(
          RedactionTest.appReport(host, root),
          HostFiles.under(root),
          Originals.none(),
          new ConfigRepo.Settings("t", "t@t", "0", scanId, Clock.fixed(T0, ZoneOffset.UTC)),
          guard);
    }
  }

  static String head(Path repo) throws IOException {
    try (Repository r = new FileRepositoryBuilder().setGitDir(repo.toFile()).build()) {
      var id = r.resolve("HEAD");
      return id == null ? null : id.name();
    }
  }

  static ConfigRepo.Guard once(Instant since) {
    return new ConfigRepo.Guard() {
      @Override
      public void check() {}

      @Override
      public Instant onceSince() {
        return since;
      }
    };
  }

  @Test
  void aGuardThatRefusesLeavesTheRepositoryAsItWas() throws Exception {
    Path repo = work.resolve("r.git");
    root("port = 1\n");
    String first = record(repo, "web01", "s1", ConfigRepo.Guard.NONE).commits().get(0);
    root("port = 2\n");
    assertThatThrownBy(
            () ->
                record(
                    repo,
                    "web01",
                    "s2",
                    () -> {
                      throw new IOException("web01: the lease ran out");
                    }))
        .hasMessage("web01: the lease ran out");
    assertThat(head(repo)).isEqualTo(first);
  }

  @Test
  void aRetakenScanReturnsTheCommitAnEarlierAttemptMade() throws Exception {
    Path repo = work.resolve("r.git");
    root("port = 1\n");
    String earlier = record(repo, "web01", "nightly", ConfigRepo.Guard.NONE).commits().get(0);
    record(repo, "web02", "nightly", ConfigRepo.Guard.NONE);
    String head = head(repo);
    root("port = 2\n"); // the host changed between the attempts: still one commit for the scan

    ConfigRepo.Result again = record(repo, "web01", "nightly", once(T0.minusSeconds(60)));
    assertThat(again.commits()).isEmpty();
    assertThat(again.summary()).contains("committed earlier as " + earlier);
    assertThat(head(repo)).isEqualTo(head);

    // Another scan's commit, or one older than the scan, is not this scan's.
    assertThat(record(repo, "web01", "weekly", once(T0.minusSeconds(60))).commits()).hasSize(1);
    root("port = 3\n");
    assertThat(record(repo, "web01", "nightly", once(T0.plusSeconds(60))).commits()).hasSize(1);
  }
}
