package io.kickdrift.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --templates DIR}: the user's templates, for every command that renders. */
final class TemplatesOption {
  @Option(
      names = "--templates",
      paramLabel = "DIR",
      description =
          "Templates here replace built-in ones of the same relative name (e.g. rhel9.ks.ftl,"
              + " snippets/rootpw.ftl, boot/grub.ftl, dns/forward.ftl); docs/rendering.md.")
  Path dir;

  /** The directory, or {@code null}: the built-in templates only. */
  Path dir() {
    return dir;
  }
}
