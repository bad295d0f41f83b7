package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StateBackupCommandTest {
  @TempDir Path dir;

  @Test
  void withTheStateInPostgresqlABackupOfTheSqliteFileIsRefusedSayingWhatToBackUp() {
    StateBackupCommand c = new StateBackupCommand();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    c.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit =
        new CommandLine(c)
            .execute(
                "--state",
                dir.toString(),
                "--out",
                dir.resolve("backup.tar.gz").toString(),
                "--database",
                "postgresql://kd:hunter2@db.example.com/kickdrift");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the state is in PostgreSQL (postgresql://kd@db.example.com/kickdrift)")
        .contains("pg_dump", "callback.key")
        .doesNotContain("hunter2");
    assertThat(dir.resolve("backup.tar.gz")).doesNotExist();
  }
}
