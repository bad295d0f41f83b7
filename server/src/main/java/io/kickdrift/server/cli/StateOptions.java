package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.serve.Provisioner;
import io.kickdrift.server.state.JdbcStateStore;
import io.kickdrift.server.state.StateException;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;

/** The options the lifecycle commands share: the inventory and the state directory. */
final class StateOptions {
  @Mixin InventoryOption inventory = new InventoryOption();

  @Mixin StateOption state = new StateOption();

  @Mixin DatabaseOption database = new DatabaseOption();

  /** What a lifecycle command does with the provisioner; returns the exit status. */
  interface Task {
    int apply(Provisioner p) throws IOException;
  }

  /**
   * Runs {@code task} on a provisioner over the inventory and the state database, then closes the
   * state; exit 2 after printing why to {@code err} as {@code kickdrift COMMAND: …} when the
   * provisioner cannot be opened or the task fails.
   */
  int run(String command, PrintStream err, Task task) {
    Optional<Provisioner> opened = openOrReport(command, err);
    if (opened.isEmpty()) {
      return 2;
    }
    Provisioner p = opened.get();
    try (var state = p.state()) {
      return task.apply(p);
    } catch (IOException | StateException e) {
      return Failed.report(command, e, err::println);
    }
  }

  /**
   * A provisioner over the inventory and the state database (close its state when done), or empty
   * after printing why not to {@code err} as {@code kickdrift COMMAND: …}.
   */
  Optional<Provisioner> openOrReport(String command, PrintStream err) {
    try {
      return Optional.of(open(new Templates(null), err::println));
    } catch (InventoryException | RenderException | IOException | StateException e) {
      Failed.report(command, e, err::println);
    }
    return Optional.empty();
  }

  /** A provisioner over the inventory and the state database; close its state when done. */
  Provisioner open(Templates templates, Consumer<String> log)
      throws InventoryException, RenderException, IOException {
    var dir = state.existing();
    StateStore store = new JdbcStateStore(database.open(dir.dir()));
    try {
      return new Provisioner(
          inventory.file(),
          inv -> inv,
          CallbackTokens.load(dir.callbackKey()),
          new TreeRenderer(templates),
          store,
          Clock.systemUTC(),
          log);
    } catch (InventoryException | RenderException | IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }
}
