package io.kickdrift.agent.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --all} and {@code --paths}: what a scan looks at, on this host or over SSH. */
public final class ScanScope {
  @Option(names = "--all", description = "Every file of every package, not only config files.")
  boolean all;

  @Option(
      names = "--paths",
      split = ",",
      paramLabel = "PATH",
      description = "Where to look for unowned files (default: /etc).")
  List<String> paths = new ArrayList<>(List.of("/etc"));

  /** Every packaged file, not only config files. */
  public boolean all() {
    return all;
  }

  /** The absolute directories searched for files no package owns. */
  public List<String> paths() {
    return List.copyOf(paths);
  }
}
