package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.server.desired.Adopt;
import io.kickdrift.server.drift.DriftRepo;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code adopt}: a path's variant into the desired tree, as a commit (docs/desired-state.md). Its
 * help text is in {@code AdoptCommand.properties}.
 */
@Command(name = "adopt", mixinStandardHelpOptions = true)
final class AdoptCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH", descriptionKey = "path")
  String path;

  @Option(names = "--repo", paramLabel = "DIR", required = true)
  Path repo;

  @Mixin InventoryOption inventory = new InventoryOption();

  @Mixin DesiredOption desired = new DesiredOption();

  @Option(names = "--profile", paramLabel = "NAME")
  String profile;

  @Option(names = "--variant", paramLabel = "N")
  Integer variant;

  @Option(names = "--host", paramLabel = "NAME")
  String host;

  @Mixin JsonOption json = new JsonOption();

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    Adopt.Done done;
    Path tree = desired.dir(inventory.file());
    try (DriftRepo r = DriftRepo.open(repo)) {
      Inventory inv = InventoryLoader.load(inventory.file());
      done =
          Adopt.run(
              r,
              inv,
              tree,
              new Adopt.Request(path, profile, variant, host),
              Adopt.author(System.getProperty("user.name", "kickdrift"), Instant.now()));
    } catch (InventoryException | IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("kickdrift adopt: " + ErrorText.of(e));
      return 2;
    }
    if (json.on()) {
      out.println(JsonOption.text(done));
    } else {
      out.println(done.message().lines().findFirst().orElse(""));
      out.println(
          "commit "
              + done.commit().substring(0, 12)
              + " in "
              + tree
              + ": "
              + String.join(" ", done.written()));
    }
    out.flush();
    return 0;
  }
}
