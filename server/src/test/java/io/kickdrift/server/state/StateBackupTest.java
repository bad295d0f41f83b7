package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.state.StateDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateBackupTest {
  private static final Instant T1 = Instant.parse("2026-11-24T10:00:00Z");

  @TempDir Path dir;

  @Test
  void aBackupTakenWhileEventsAreWrittenIsIntactAndHoldsAPrefixOfThem() throws Exception {
    StateDir state = new StateDir(dir.resolve("state"));
    AtomicInteger written = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    int before;
    int after;
    Path out = dir.resolve("backup.tar.gz");
    try (StateStore store = SqliteStateStore.open(state.dir())) {
      Thread writer =
          new Thread(
              () -> {
                while (!stop.get()) {
                  store.event("web01", "boot-menu", "e" + written.get(), T1);
                  written.incrementAndGet();
                }
              });
      writer.start();
      try {
        while (written.get() < 500) {
          Thread.onSpinWait();
        }
        before = written.get();
        StateBackup.write(state, out);
        after = written.get();
      } finally {
        stop.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(10));
      }
      assertThat(written.get()).as("the writer went on after the backup").isGreaterThan(after);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
    Process tar =
        new ProcessBuilder("tar", "-xzf", out.toString(), "-C", unpacked.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
    assertThat(Files.readString(unpacked.resolve("kickdrift-backup.json")))
        .contains("\"format\" : \"kickdrift-state-backup\"")
        .contains("\"schema-version\" : " + StateSchema.LATEST);
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + unpacked.resolve("kickdrift.db"));
        Statement s = db.createStatement()) {
      try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("ok");
      }
      List<String> details = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT detail FROM events ORDER BY id")) {
        while (r.next()) {
          details.add(r.getString(1));
        }
      }
      assertThat(details.size()).isBetween(before, after);
      assertThat(details)
          .containsExactlyElementsOf(
              IntStream.range(0, details.size()).mapToObj(i -> "e" + i).toList());
    }
  }

  @Test
  void aRestorePutsBackTheDatabaseAndTheKeys() throws Exception {
    StateDir state = new StateDir(dir.resolve("state"));
    try (StateStore store = SqliteStateStore.open(state.dir())) {
      store.installed("web01", true, T1, "callback");
    }
    Files.writeString(state.callbackKey(), "key-of-the-backup\n");
    Files.writeString(state.adminToken(), "token-of-the-backup\n");
    Path out = dir.resolve("b.tar.gz");
    StateBackup.Contents made = StateBackup.write(state, out);
    assertThat(made.files()).containsExactly("callback.key", "admin.token");

    try (StateStore store = SqliteStateStore.open(state.dir())) {
      store.disable("web01", true, T1.plusSeconds(60), "later");
      store.event(null, "later", "", T1.plusSeconds(60));
    }
    Files.writeString(state.callbackKey(), "a later key\n");

    StateBackup.Contents restored = StateBackup.restore(out, state);
    assertThat(restored.schema()).isEqualTo(StateSchema.LATEST);
    assertThat(Files.readString(state.callbackKey())).isEqualTo("key-of-the-backup\n");
    try (StateStore store = SqliteStateStore.open(state.dir())) {
      assertThat(store.host("web01").orElseThrow().installed()).isEqualTo(T1);
      assertThat(store.events(null, 10)).extracting(Event::kind).containsExactly("installed");
    }

    // into a state that does not exist yet: a new machine
    StateDir fresh = new StateDir(dir.resolve("new-machine/state"));
    StateBackup.restore(out, fresh);
    assertThat(Files.readString(fresh.adminToken())).isEqualTo("token-of-the-backup\n");
    try (StateStore store = SqliteStateStore.open(fresh.dir())) {
      assertThat(store.hosts()).containsOnlyKeys("web01");
    }
  }

  @Test
  void aRestoreIsRefusedWhileTheDatabaseIsOpenAndChangesNothing() throws Exception {
    StateDir state = new StateDir(dir.resolve("state"));
    try (StateStore store = SqliteStateStore.open(state.dir())) {
      store.event(null, "in-the-backup", "", T1);
    }
    Path out = dir.resolve("b.tar.gz");
    StateBackup.write(state, out);
    try (StateStore serve = SqliteStateStore.open(state.dir())) {
      serve.event(null, "after-the-backup", "", T1);
      assertThatThrownBy(() -> StateBackup.restore(out, state))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("kickdrift.db is in use")
          .hasMessageContaining("stop it first");
      assertThat(serve.events(null, 10))
          .extracting(Event::kind)
          .first()
          .isEqualTo("after-the-backup");
    }
  }

  @Test
  void filesThatAreNoBackupAreRefusedSayingWhy() throws Exception {
    StateDir state = new StateDir(dir.resolve("state"));
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a backup\n");
    assertThatThrownBy(() -> StateBackup.restore(text, state))
        .hasMessage(text + ": not a kickdrift state backup: not gzip-compressed");

    Path other = dir.resolve("other.tar.gz");
    tarGz(other, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    assertThatThrownBy(() -> StateBackup.restore(other, state))
        .hasMessage(
            other
                + ": not a kickdrift state backup: its first entry is 'etc/passwd', not"
                + " kickdrift-backup.json");

    Path sneaky = dir.resolve("sneaky.tar.gz");
    tarGz(
        sneaky,
        "kickdrift-backup.json",
        "{\"format\": \"kickdrift-state-backup\", \"format-version\": 1}",
        "../outside",
        "x");
    assertThatThrownBy(() -> StateBackup.restore(sneaky, state))
        .hasMessage(sneaky + ": not a kickdrift state backup: unexpected entry '../outside'");
    assertThat(dir.resolve("outside")).doesNotExist();

    Path truncated = dir.resolve("truncated.tar.gz");
    try (StateStore store = SqliteStateStore.open(state.dir())) {
      store.event(null, "x", "", T1);
    }
    Path good = dir.resolve("good.tar.gz");
    StateBackup.write(state, good);
    byte[] all = Files.readAllBytes(good);
    Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> StateBackup.restore(truncated, state))
        .hasMessageStartingWith(
            truncated + ": not a kickdrift state backup: not a readable tar.gz");
    assertThat(state.dir().resolve("kickdrift.db")).exists();
  }

  @Test
  void aBackupOfANewerSchemaIsRefused() throws Exception {
    StateDir newer = new StateDir(dir.resolve("newer"));
    StateDatabase.migrate(newer.dir());
    Path out = dir.resolve("b.tar.gz");
    StateBackup.write(newer, out);
    // the same backup, as a later release would write it
    Path unpacked = Files.createDirectory(dir.resolve("u"));
    new ProcessBuilder("tar", "-xzf", out.toString(), "-C", unpacked.toString())
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + unpacked.resolve("kickdrift.db"));
        Statement s = db.createStatement()) {
      s.execute(
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type,"
              + " script, checksum, installed_by, execution_time, success) VALUES (9, '9',"
              + " 'later', 'SQL', 'V9__later.sql', 0, 'test', 1, 1)");
    }
    Path later = dir.resolve("later.tar.gz");
    new ProcessBuilder(
            "tar",
            "-czf",
            later.toString(),
            "-C",
            unpacked.toString(),
            "kickdrift-backup.json",
            "kickdrift.db")
        .start()
        .waitFor(30, TimeUnit.SECONDS);
    StateDir state = new StateDir(dir.resolve("state"));
    assertThatThrownBy(() -> StateBackup.restore(later, state))
        .hasMessageContaining(later + ": its database is at schema version 9, newer than")
        .hasMessageContaining("(up to " + StateSchema.LATEST + ")");
  }

  private static void tarGz(Path file, String... namesAndTexts) throws IOException {
    try (OutputStream o = Files.newOutputStream(file);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(o))) {
      for (int i = 0; i < namesAndTexts.length; i += 2) {
        byte[] b = namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(namesAndTexts[i]);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
      }
    }
  }
}
