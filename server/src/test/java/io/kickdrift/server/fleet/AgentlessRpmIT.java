package io.kickdrift.server.fleet;

import static io.kickdrift.server.fleet.AgentlessDpkgIT.KEY;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.agent;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.agentless;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.assertSameFindings;
import static io.kickdrift.server.fleet.AgentlessDpkgIT.byPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import io.kickdrift.testkit.RpmTestRoot;
import io.kickdrift.testkit.ScratchDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A root with real RPMs (rpmbuild, rpm --root -i, an sqlite rpmdb) and seeded drift, scanned
 * agentless through a local {@code sh -c} and by the agent jar; the reports must agree finding by
 * finding.
 */
class AgentlessRpmIT {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-agentless-rpm-it");
  static Path work;
  static Path root;

  @BeforeAll
  static void installPackages() throws Exception {
    assertThat(System.getProperty("user.name")).as("agentless scans run as root").isEqualTo("root");
    work = scratch.path();
    // The agent's RpmRootIT packages: an MD5 one with every kind of file attribute, a SHA-256 one.
    root =
        RpmTestRoot.install(
            work.resolve("root"),
            RpmTestRoot.build(work, RpmTestRoot.KDIT_MD5_SPEC, RpmTestRoot.KDIT_SHA256_SPEC));
    assertThat(root.resolve("var/lib/rpm/rpmdb.sqlite")).exists();

    // Seeded drift, as in the agent's RpmRootIT, and more in /etc.
    RpmTestRoot.seedKditDrift(root);
    Path etc = root.resolve("etc/kdit");
    Files.writeString(etc.resolve("key.conf"), KEY);
    Files.writeString(etc.resolve("local.conf"), "mine\n");
    Files.writeString(etc.resolve("edited.conf.rpmnew"), "edited setting\n");
    Files.writeString(etc.resolve("tls.pem"), KEY);
    Files.createSymbolicLink(etc.resolve("mine-link"), Path.of("local.conf"));
  }

  @Test
  void configScopeMatchesTheAgent() throws Exception {
    // config files only: no rpm -Va, the database read named as the agent names it
    assertSameFindings(agentless(root, false), "rpm-sqlite", agent(root, false), "rpm-sqlite");
  }

  @Test
  void allFilesMatchTheAgent() throws Exception {
    ScanReport ours = agentless(root, true);
    assertSameFindings(ours, "rpm -Va", agent(root, true), "rpm-sqlite");
    Map<String, Finding> byPath = byPath(ours);
    assertThat(byPath.get("/usr/share/kdit-sha/gone").status()).isEqualTo(Status.MISSING);
    assertThat(byPath.get("/var/lib/kdit").rpmLine()).isEqualTo(".M.......    /var/lib/kdit");
  }

  @Test
  void seededDriftIsReported() throws Exception {
    java.util.List<String> commands = new java.util.ArrayList<>();
    ScanReport ours =
        agentless(
            AgentlessDpkgIT.through(
                c -> {
                  commands.add(c);
                  return null;
                }),
            root,
            false);
    // config files are hashed remotely; nothing verifies every packaged file as rpm -Va does
    assertThat(commands).isNotEmpty().noneMatch(c -> c.contains(" -Va"));
    assertThat(ours.backend().label()).isEqualTo("rpm-sqlite");
    Map<String, Finding> byPath = byPath(ours);
    assertThat(byPath.get("/etc/kdit-sha/app.conf").rpmLine())
        .isEqualTo("S.5....T.  c /etc/kdit-sha/app.conf");
    assertThat(byPath.get("/etc/kdit-sha/app.conf").actual().digest().toString())
        .startsWith("sha256:");
    assertThat(byPath.get("/etc/kdit/edited.conf").actual().digest().toString()).startsWith("md5:");
    assertThat(byPath.get("/etc/kdit/deleted.conf").status()).isEqualTo(Status.MISSING);
    assertThat(byPath.get("/etc/kdit/chmod.conf").rpmLine())
        .isEqualTo(".M.......  c /etc/kdit/chmod.conf");
    assertThat(byPath.get("/etc/kdit/key.conf").secret()).isEqualTo("content: private key");
    assertThat(byPath.get("/etc/kdit/tls.pem").secret()).isEqualTo("content: private key");
    assertThat(byPath.get("/etc/kdit/local.conf").status()).isEqualTo(Status.UNOWNED);
    assertThat(byPath.get("/etc/kdit/mine-link").actual().linkTarget()).isEqualTo("local.conf");
    assertThat(byPath).doesNotContainKeys("/etc/kdit/optional.conf", "/etc/kdit/same.conf");
    assertThat(ours.leftovers()).containsExactly("/etc/kdit/edited.conf.rpmnew");
  }
}
