package io.kickdrift.agent.pkgdb.rpm;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Installs built .rpm files into a scratch root with the real rpm, as the RPM tests need. */
public final class RpmRoots {
  private RpmRoots() {}

  /**
   * Installs every .rpm in {@code rpms} into {@code root} ({@code rpm --root R --dbpath
   * /var/lib/rpm -i --nodeps --noscripts}). This machine's passwd and group are copied in first:
   * rpm resolves owners through this machine's accounts, the agent through the root's.
   */
  public static Path install(Path root, Path rpms) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.copy(Path.of("/etc/passwd"), root.resolve("etc/passwd"));
    Files.copy(Path.of("/etc/group"), root.resolve("etc/group"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "rpm",
                "--root",
                root.toString(),
                "--dbpath",
                "/var/lib/rpm",
                "-i",
                "--nodeps",
                "--noscripts",
                "--ignoreos",
                "--ignorearch"));
    try (Stream<Path> s = Files.list(rpms)) {
      s.map(Path::toString).filter(p -> p.endsWith(".rpm")).sorted().forEach(cmd::add);
    }
    Cmd.ok(cmd.toArray(String[]::new));
    return root;
  }
}
