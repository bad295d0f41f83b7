package io.kickdrift.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log: rows kept across opens, newest first, paged by id. */
class AuditLogTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path state;

  @Test
  void rowsAreKeptAndPagedNewestFirst() {
    try (AuditLog log = AuditLog.open(state)) {
      for (int i = 0; i < 5; i++) {
        log.add(
            T0.plusSeconds(i), "alice", "session", "netboot enable", "web0" + i, "192.0.2.9", null);
      }
    }
    try (AuditLog log = AuditLog.open(state)) {
      List<AuditLog.Entry> first = log.page(2, null);
      assertThat(first).extracting(AuditLog.Entry::target).containsExactly("web04", "web03");
      assertThat(first.get(0).detail()).isEmpty();
      assertThat(first.get(0).at()).isEqualTo(T0.plusSeconds(4));
      List<AuditLog.Entry> next = log.page(2, first.get(1).id());
      assertThat(next).extracting(AuditLog.Entry::target).containsExactly("web02", "web01");
      assertThat(log.page(1000, next.get(1).id()))
          .extracting(AuditLog.Entry::target)
          .containsExactly("web00");
      assertThat(first.get(0).json())
          .containsEntry("actor", "alice")
          .containsEntry("via", "session")
          .containsEntry("origin", "192.0.2.9");
    }
  }

  @Test
  void aPageOutsideItsBoundsIsRefused() {
    try (AuditLog log = AuditLog.open(state)) {
      assertThatThrownBy(() -> log.page(0, null)).hasMessage("limit 0; expected 1 to 1000");
      assertThatThrownBy(() -> log.page(1001, null)).hasMessage("limit 1001; expected 1 to 1000");
    }
  }
}
