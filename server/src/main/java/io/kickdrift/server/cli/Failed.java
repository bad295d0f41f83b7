package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.server.inventory.InventoryException;
import java.util.function.Consumer;

/**
 * How a kickdrift command says why it failed: an inventory's problems one a line, each already
 * {@code file:line: …}; anything else as {@code kickdrift COMMAND: what went wrong}, in words.
 *
 * <pre>{@code
 * } catch (InventoryException | IOException e) {
 *   return Failed.report("render", e, stderr::println);
 * }
 * }</pre>
 */
final class Failed {
  private Failed() {}

  /** Prints why {@code command} failed with {@code e}, a line at a time; returns exit status 2. */
  static int report(String command, Exception e, Consumer<String> err) {
    if (e instanceof InventoryException inventory) {
      inventory.problems().forEach(err);
    } else {
      err.accept("kickdrift " + command + ": " + ErrorText.of(e));
    }
    return 2;
  }
}
