package io.kickdrift.agent.repo;

import io.kickdrift.agent.scan.Finding;
import java.util.List;
import java.util.Map;

/** Where the packaged content of modified files comes from (a host's .deb or .rpm files). */
@FunctionalInterface
public interface Originals {
  /**
   * The packaged content of those of {@code modified} that can be had, verified against the package
   * database's digest, keyed by absolute path.
   *
   * @param warnings where to say why an original could not be had, naming the file
   */
  Map<String, byte[]> of(List<Finding> modified, List<String> warnings);

  static Originals none() {
    return (modified, warnings) -> Map.of();
  }
}
