package io.kickdrift.server.cli;

import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.serve.Provisioner;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** The options the lifecycle commands share: the inventory and the state directory. */
final class StateOptions {
  @Option(
      names = "--inventory",
      required = true,
      paramLabel = "FILE",
      description = "The inventory (YAML, or JSON when named *.json).")
  Path inventory;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "The server's state directory: database, callback key, admin token"
              + " (default $KICKDRIFT_STATE, else ~/.local/state/kickdrift).")
  Path state;

  Path stateDir() {
    return StateDir.resolve(state);
  }

  /**
   * A provisioner over the inventory and the state database (close its state when done), or empty
   * after printing why not to {@code err} as {@code kickdrift COMMAND: …}.
   */
  java.util.Optional<Provisioner> openOrReport(String command, java.io.PrintStream err) {
    try {
      return java.util.Optional.of(open(new Templates(null), err::println));
    } catch (InventoryException e) {
      e.problems().forEach(err::println);
    } catch (RenderException | IOException | io.kickdrift.server.state.StateException e) {
      err.println("kickdrift " + command + ": " + io.kickdrift.agent.cli.ErrorText.of(e));
    }
    return java.util.Optional.empty();
  }

  /** A provisioner over the inventory and the state database; close its state when done. */
  Provisioner open(Templates templates, Consumer<String> log)
      throws InventoryException, RenderException, IOException {
    StateStore store = SqliteStateStore.open(stateDir());
    try {
      return new Provisioner(
          inventory,
          inv -> inv,
          CallbackTokens.load(stateDir().resolve("callback.key")),
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
