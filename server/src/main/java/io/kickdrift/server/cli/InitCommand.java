package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.agent.state.SecretFile;
import io.kickdrift.agent.state.StateDir;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.state.Database;
import io.kickdrift.server.state.StateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kickdrift init}: makes a state explicitly (directory 0700, database, callback key, admin
 * token), what every command but {@code serve} needs before it runs; idempotent. Help text in
 * {@code InitCommand.properties}.
 */
@Command(name = "init", mixinStandardHelpOptions = true)
final class InitCommand implements Callable<Integer> {
  @Mixin StateOption state = new StateOption();

  @Mixin JsonOption json = new JsonOption();

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  /** What {@code --json} prints: the directory, what was made and what was there already. */
  record Made(String state, String from, List<String> made, List<String> kept) {}

  @Override
  public Integer call() {
    StateDir dir = state.dir();
    List<String> made = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    try {
      sort(dir.dir(), made, kept);
      if (!Files.isDirectory(dir.dir())) {
        Files.createDirectories(
            dir.dir(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      sort(dir.database(), made, kept);
      // the stores make their tables; what is inside the database is theirs
      try (var db = Database.sqlite(dir.dir())) {
        sort(dir.callbackKey(), made, kept);
        CallbackTokens.load(dir.callbackKey());
        sort(dir.adminToken(), made, kept);
        SecretFile.readOrCreate(dir.adminToken(), 16);
      }
    } catch (IOException | StateException e) {
      return Failed.report("init", e, stderr::println);
    }
    if (json.on()) {
      stdout.println(JsonOption.text(new Made(dir.dir().toString(), state.origin(), made, kept)));
      return 0;
    }
    made.forEach(p -> stdout.println("made " + p));
    kept.forEach(p -> stdout.println("kept " + p));
    stdout.println(
        (made.isEmpty() ? "state already there: " : "state ready: ")
            + dir.dir()
            + " (from "
            + state.origin()
            + ")");
    return 0;
  }

  private static void sort(Path p, List<String> made, List<String> kept) {
    (Files.exists(p) ? kept : made).add(p.toString());
  }
}
