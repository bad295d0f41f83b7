package io.kickdrift.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --inventory FILE}, for every command that works from the inventory and needs one. */
final class InventoryOption {
  @Option(
      names = "--inventory",
      required = true,
      paramLabel = "FILE",
      description = "The inventory (YAML, or JSON when named *.json); docs/inventory.md.")
  Path file;

  Path file() {
    return file;
  }
}
