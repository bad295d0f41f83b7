package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.server.state.Database;
import io.kickdrift.server.state.DatabaseUrl;
import io.kickdrift.server.state.StateCopy;
import io.kickdrift.server.state.StateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift state migrate --to URL}: the SQLite state copied, row for row, into an empty
 * PostgreSQL database (docs/scale.md). Help text in {@code StateMigrateCommand.properties}.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true)
final class StateMigrateCommand implements Callable<Integer> {
  @Mixin StateOption state = new StateOption();

  @Option(names = "--to", required = true, paramLabel = "URL")
  String to;

  @Option(names = "--password-file", paramLabel = "FILE")
  Path passwordFile;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    try {
      DatabaseUrl url = DatabaseOption.parse(to, passwordFile, "--to");
      Path dir = state.existing().dir();
      try (Database from = Database.sqlite(dir);
          Database target = Database.postgres(url)) {
        Map<String, Integer> rows = StateCopy.copy(from, target);
        StringBuilder line = new StringBuilder(from.where() + " -> " + url + ":");
        rows.forEach((table, n) -> line.append(' ').append(table).append(' ').append(n));
        stdout.println(line);
        stdout.println(
            "serve with --database "
                + url
                + " (state.database) from now on; the SQLite file is left as it was");
        return 0;
      }
    } catch (IOException | StateException e) {
      return Failed.report("state migrate", e, stderr::println);
    }
  }
}
