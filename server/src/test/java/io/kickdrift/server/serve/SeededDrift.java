package io.kickdrift.server.serve;

import static io.kickdrift.testkit.DebBuilder.deb;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A config repository as a host's own {@code kickdrift scan --repo} writes it: a dpkg root with the
 * package alpha (conffile {@link #CONF}, its .deb in the apt cache so that the scan commits the
 * packaged original), the files of {@code changes} written over it, then scanned. What serve's
 * {@code --scan-repo} reads for the drift pages.
 */
final class SeededDrift {
  /** alpha's conffile. */
  static final String CONF = "/etc/alpha/alpha.conf";

  /** {@link #CONF} as packaged. */
  static final String PACKAGED = "# alpha\nlisten = 80\nlog = info\n";

  private SeededDrift() {}

  /**
   * Scans a fresh root of {@code host} under {@code work}, with {@code changes} (absolute path to
   * content) written over the installed package, into {@code repo}.
   */
  static void scan(Path work, Path repo, String host, Map<String, String> changes)
      throws Exception {
    Path deb =
        deb("alpha", "1.0-1", "all")
            .conffile(CONF, PACKAGED)
            .conffile("/etc/alpha/untouched.conf", "same = 1\n")
            .build(work.resolve("build-" + host), work.resolve("debs-" + host));
    Path root = DpkgTestRoot.create(work.resolve("root-" + host)).path();
    Path cache = Files.createDirectories(root.resolve("var/cache/apt/archives"));
    Files.copy(deb, cache.resolve(deb.getFileName()));
    DebBuilder.install(root, List.of(deb));
    for (Map.Entry<String, String> c : changes.entrySet()) {
      Path file = root.resolve(c.getKey().substring(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, c.getValue());
    }
    Cmd.Result r =
        Cmd.kickdrift(
            "scan",
            "--root",
            root.toString(),
            "--host",
            host,
            "--repo",
            repo.toString(),
            "--no-cache");
    // 1: the scan found drift, which is the point
    assertThat(r.exit()).as("kickdrift scan of %s: %s%s", host, r.out(), r.err()).isEqualTo(1);
  }
}
