package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.server.state.StateBackup;
import io.kickdrift.server.state.StateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift state backup --out FILE}: the state database (a consistent snapshot, also while
 * serve writes) and the keys, in one tar.gz of mode 0600. Help text in {@code
 * StateBackupCommand.properties}.
 */
@Command(name = "backup", mixinStandardHelpOptions = true)
final class StateBackupCommand implements Callable<Integer> {
  @Mixin StateOption state = new StateOption();

  @Mixin DatabaseOption database = new DatabaseOption();

  @Option(names = "--out", required = true, paramLabel = "FILE")
  Path out;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    try {
      var shared = database.url();
      if (shared != null) {
        // the SQLite file in the directory is not the state serve uses: a backup of it misleads
        stderr.println(
            "kickdrift state backup: the state is in PostgreSQL ("
                + shared
                + "); back it up with pg_dump, and the key files of "
                + state.dir().dir()
                + " (callback.key, admin.token, secret-digest.key, users.yaml) with them;"
                + " this command backs up a SQLite state (docs/scale.md)");
        return 2;
      }
      StateBackup.Contents c = StateBackup.write(state.dir(), out);
      stdout.println(
          out
              + ": kickdrift.db at schema version "
              + c.schema()
              + (c.files().isEmpty() ? "" : ", " + String.join(", ", c.files())));
      return 0;
    } catch (IOException | StateException e) {
      return Failed.report("state backup", e, stderr::println);
    }
  }
}
