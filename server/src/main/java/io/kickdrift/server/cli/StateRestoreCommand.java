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
 * {@code kickdrift state restore --from FILE}: puts a backup back, refused while serve has the
 * state open. Help text in {@code StateRestoreCommand.properties}.
 */
@Command(name = "restore", mixinStandardHelpOptions = true)
final class StateRestoreCommand implements Callable<Integer> {
  @Mixin StateOption state = new StateOption();

  @Mixin DatabaseOption database = new DatabaseOption();

  @Option(names = "--from", required = true, paramLabel = "FILE")
  Path from;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    try {
      StateBackup.Contents c = StateBackup.restore(from, state.dir());
      stdout.println(
          state.dir().dir()
              + ": restored the backup of "
              + c.created()
              + " (kickdrift.db at schema version "
              + c.schema()
              + (c.files().isEmpty() ? "" : ", " + String.join(", ", c.files()))
              + ")");
      var shared = database.url();
      if (shared != null) {
        stdout.println(
            "the keys are in use; the database was restored to the SQLite file, which serve does"
                + " not read while the state is in PostgreSQL ("
                + shared
                + ")");
      }
      return 0;
    } catch (IOException | StateException e) {
      return Failed.report("state restore", e, stderr::println);
    }
  }
}
