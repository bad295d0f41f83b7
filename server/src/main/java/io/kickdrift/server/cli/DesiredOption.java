package io.kickdrift.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --desired DIR}: the desired-state tree, by default {@code desired/} beside the inventory.
 */
final class DesiredOption {
  @Option(names = "--desired", paramLabel = "DIR")
  Path dir;

  /** The tree given, else {@code desired/} beside {@code inventory}. */
  Path dir(Path inventory) {
    return dir != null ? dir : inventory.toAbsolutePath().getParent().resolve("desired");
  }
}
