package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.agent.report.JsonReport;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import io.kickdrift.testkit.ScratchDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dpkg root built from real .debs with seeded drift, scanned agentless through a local {@code sh
 * -c} and by the agent jar; the two reports must agree finding by finding.
 */
class AgentlessDpkgIT {
  static final String KEY =
      "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBg\n-----END PRIVATE KEY-----\n";
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-agentless-it");
  static Path work;
  static Path root;

  @BeforeAll
  static void buildRoot() throws Exception {
    assertThat(System.getProperty("user.name")).as("agentless scans run as root").isEqualTo("root");
    work = scratch.path();
    DpkgTestRoot dpkg =
        DpkgTestRoot.alphaFamily(work, AgentlessDpkgIT::keys)
            .alternative("/etc/alpha-editor", "alpha-editor", "/usr/bin/alpha", 10);
    root = dpkg.path();
    Files.writeString(root.resolve("usr/bin/gamma"), "#!/bin/sh\nexec gamma.distrib \"$@\"\n");
    Files.writeString(root.resolve("usr/bin/gamma.distrib"), "patched\n");
    // A stat override dpkg --verify does not check, but the agent does (mode and owner).
    Files.writeString(
        root.resolve("var/lib/dpkg/statoverride"),
        "root adm 0640 /etc/alpha/mode.conf\nroot root 0600 /etc/alpha/snakeoil.conf\n",
        StandardCharsets.UTF_8);
    dpkg.ucf("/etc/alpha/ucf-managed.conf", "maintainer version\n", "alpha", "locally changed\n");

    // Seeded drift.
    Files.writeString(root.resolve("etc/alpha/alpha.conf"), "setting = 2\n");
    Files.setLastModifiedTime(
        root.resolve("etc/alpha/alpha.conf"), FileTime.fromMillis(978307200123L));
    Files.delete(root.resolve("etc/alpha/with space.conf"));
    Files.writeString(root.resolve("etc/alpha/key.conf"), KEY);
    // A conffile replaced by a link to another file: both follow it and hash the target.
    Files.delete(root.resolve("etc/alpha/linked.conf"));
    Files.createSymbolicLink(root.resolve("etc/alpha/linked.conf"), Path.of("local.conf"));
    Files.delete(root.resolve("etc/alpha/current.conf"));
    Files.createSymbolicLink(root.resolve("etc/alpha/current.conf"), Path.of("mode.conf"));
    Files.writeString(root.resolve("etc/beta.conf"), "beta = changed\n");
    Files.writeString(root.resolve("usr/share/alpha/data.txt"), "edited data\n");
    Files.writeString(root.resolve("usr/lib/i386-linux-gnu/libbeta.so.1"), "patched\n");
    Files.writeString(root.resolve("etc/delta.conf"), "delta, kept after removal and edited\n");
    Files.writeString(root.resolve("etc/alpha/local.conf"), "mine = 1\n");
    Files.writeString(root.resolve("etc/alpha/name\nwith newline.conf"), "odd = 1\n");
    Files.writeString(root.resolve("etc/alpha/alpha.conf.dpkg-dist"), "setting = 1\n");
    Files.writeString(root.resolve("etc/alpha/tls.pem"), KEY);
    // Both sides of the 16 KiB a private key is looked for in, and a name the hashing tool escapes.
    Files.writeString(root.resolve("etc/alpha/big-first.pem"), KEY + "x".repeat(20_000));
    Files.writeString(root.resolve("etc/alpha/big-late.conf"), "x".repeat(16_384) + KEY);
    Files.writeString(root.resolve("etc/alpha/back\\slash\rreturn.conf"), "odd = 2\n");
    Files.writeString(root.resolve("etc/shadow"), "root:$6$salt$hash:19000:0:99999:7:::\n");
    Cmd.ok("chown", "1:4", root.resolve("etc/shadow").toString());
    Files.createSymbolicLink(root.resolve("etc/alpha/dangling"), Path.of("nowhere"));
    Cmd.ok("mkfifo", root.resolve("etc/alpha/pipe").toString());
    Files.createDirectories(root.resolve("etc/ssl/certs"));
    Files.writeString(root.resolve("etc/ssl/certs/ignored.pem"), KEY);
    Files.writeString(root.resolve("etc/machine-id"), "0123\n");
    // A leftover in an ignored directory: the walk never goes there, so it is not listed.
    Files.writeString(root.resolve("etc/ssl/certs/old.pem.dpkg-old"), "old\n");
  }

  @Test
  void configScopeMatchesTheAgent() throws Exception {
    ScanReport ours = agentless(false);
    ScanReport agent = agent(false);
    // Kept for reading when the comparison fails.
    var json = new java.io.ByteArrayOutputStream();
    JsonReport.write(ours, json);
    Files.write(Path.of("target/agentless-it-config.json"), json.toByteArray());
    // config files only: no dpkg --verify, the database read named as the agent names it
    assertSameFindings(ours, "dpkg", agent, "dpkg");
  }

  @Test
  void allFilesMatchTheAgent() throws Exception {
    ScanReport ours = agentless(true);
    ScanReport agent = agent(true);
    assertSameFindings(ours, agent);
    Map<String, Finding> byPath = byPath(ours);
    assertThat(byPath.get("/usr/share/alpha/data.txt").status()).isEqualTo(Status.MODIFIED);
    assertThat(byPath.get("/usr/lib/i386-linux-gnu/libbeta.so.1").pkg()).isEqualTo("libbeta:i386");
    assertThat(byPath.get("/usr/bin/gamma.distrib").note())
        .isEqualTo("the package's /usr/bin/gamma, diverted here");
  }

  @Test
  void seededDriftIsReported() throws Exception {
    List<String> commands = new ArrayList<>();
    RemoteShell recording =
        through(
            c -> {
              commands.add(c);
              return null;
            });
    ScanReport ours = agentless(recording, root, false);
    // config files are hashed remotely; nothing hashes every packaged file as dpkg --verify does
    assertThat(commands).isNotEmpty().noneMatch(c -> c.startsWith("dpkg"));
    assertThat(ours.backend().label()).isEqualTo("dpkg");
    assertThat(ours.scope()).isEqualTo("config");
    Map<String, Finding> byPath = byPath(ours);
    Finding modified = byPath.get("/etc/alpha/alpha.conf");
    assertThat(modified.status()).isEqualTo(Status.MODIFIED);
    assertThat(modified.rpmLine()).isEqualTo("??5??????  c /etc/alpha/alpha.conf");
    assertThat(modified.pkg()).isEqualTo("alpha");
    assertThat(modified.expected().digest().hex()).isEqualTo(md5("setting = 1\n"));
    assertThat(modified.actual().digest().hex()).isEqualTo(md5("setting = 2\n"));
    assertThat(modified.actual().mtime()).isEqualTo(978307200L);
    assertThat(byPath.get("/etc/alpha/with space.conf").status()).isEqualTo(Status.MISSING);
    assertThat(byPath.get("/etc/alpha/key.conf").secret()).isEqualTo("content: private key");
    assertThat(byPath.get("/etc/alpha/mode.conf").rpmLine())
        .isEqualTo("?M.??.G??  c /etc/alpha/mode.conf");
    // Unchanged content, but the stat override's mode differs: a packaged key is still a secret.
    Finding snakeoil = byPath.get("/etc/alpha/snakeoil.conf");
    assertThat(snakeoil.problems()).containsExactly(io.kickdrift.agent.scan.Problem.MODE);
    assertThat(snakeoil.secret()).isEqualTo("content: private key");
    assertThat(byPath.get("/etc/alpha/linked.conf").actual().linkTarget()).isEqualTo("local.conf");
    assertThat(byPath.get("/etc/alpha/ucf-managed.conf").status()).isEqualTo(Status.MODIFIED);
    assertThat(byPath.get("/etc/delta.conf").status()).isEqualTo(Status.MODIFIED);
    assertThat(ours.findings().stream().filter(f -> f.path().equals("/etc/beta.conf")))
        .extracting(Finding::pkg)
        .containsExactly("libbeta:amd64", "libbeta:i386");
    Finding key = byPath.get("/etc/alpha/tls.pem");
    assertThat(key.status()).isEqualTo(Status.UNOWNED);
    assertThat(key.secret()).isEqualTo("content: private key");
    assertThat(key.actual().digest().toString()).startsWith("sha256:");
    assertThat(byPath.get("/etc/shadow").actual().user()).isEqualTo("daemon");
    assertThat(byPath.get("/etc/shadow").actual().group()).isEqualTo("adm");
    assertThat(byPath.get("/etc/shadow").secret()).isNotNull();
    assertThat(byPath.get("/etc/alpha/dangling").actual().linkTarget()).isEqualTo("nowhere");
    assertThat(byPath.get("/etc/alpha/pipe").actual().type()).isEqualTo("fifo");
    assertThat(byPath).containsKey("/etc/alpha/name\nwith newline.conf");
    assertThat(byPath.get("/etc/alpha/big-first.pem").secret()).isEqualTo("content: private key");
    assertThat(byPath.get("/etc/alpha/big-late.conf").secret()).isNull();
    assertThat(byPath.get("/etc/alpha/back\\slash\rreturn.conf").actual().digest().hex())
        .isEqualTo(org.apache.commons.codec.digest.DigestUtils.sha256Hex("odd = 2\n"));
    assertThat(byPath)
        .doesNotContainKeys(
            "/etc/ssl/certs/ignored.pem",
            "/etc/machine-id",
            "/etc/alpha-editor",
            "/etc/alpha/current.conf",
            "/usr/share/alpha/data.txt",
            "/etc/alpha/alpha.conf.dpkg-dist");
    assertThat(ours.leftovers()).containsExactly("/etc/alpha/alpha.conf.dpkg-dist");
  }

  @Test
  void aChangeIsSeenByTheNextScan() throws Exception {
    Path f = root.resolve("etc/alpha/local.conf");
    String before = Files.readString(f);
    try {
      Files.writeString(f, "mine = 2\n");
      Finding changed = byPath(agentless(false)).get("/etc/alpha/local.conf");
      assertThat(changed.actual().digest().hex())
          .isEqualTo(org.apache.commons.codec.digest.DigestUtils.sha256Hex("mine = 2\n"));
    } finally {
      Files.writeString(f, before);
    }
  }

  @Test
  void aMissingPathIsAWarningAndACommandFailureNamesTheHost() throws Exception {
    ScanReport r =
        Agentless.scan(
            new LocalShell(),
            new Agentless.Request(
                "it", root.toString(), List.of("/nothere"), false, rules(), secrets()));
    assertThat(r.warnings())
        .contains("/nothere: does not exist under " + root + "; nothing to look for there");

    RemoteShell broken =
        through(
            c ->
                c.startsWith("dpkg")
                    ? new RemoteShell.Output(2, new byte[0], "dpkg: error: database is locked\n")
                    : null);
    assertThatThrownBy(
            () ->
                Agentless.scan(
                    broken,
                    new Agentless.Request(
                        "it", root.toString(), List.of("/etc"), true, rules(), secrets())))
        .hasMessage(
            "web01 (10.0.0.5:22): dpkg --verify failed (exit 2): dpkg: error: database is locked");
  }

  // ---- helpers -----------------------------------------------------------------------------

  /**
   * This machine's shell under a remote host's name, where {@code first} may answer a command
   * instead (null: the command runs).
   */
  static RemoteShell through(Function<String, RemoteShell.Output> first) {
    LocalShell local = new LocalShell();
    return new RemoteShell() {
      @Override
      public Output run(String command) throws java.io.IOException {
        Output instead = first.apply(command);
        return instead != null ? instead : local.run(command);
      }

      @Override
      public String name() {
        return "web01 (10.0.0.5:22)";
      }
    };
  }

  /** alpha's conffiles this test adds: a key to be, one to become a link, a packaged key. */
  static DebBuilder keys(DebBuilder alpha) {
    return alpha
        .conffile("/etc/alpha/key.conf", "key = none\n")
        .conffile("/etc/alpha/linked.conf", "linked = 1\n")
        .conffile("/etc/alpha/snakeoil.conf", KEY);
  }

  static ScanReport agentless(boolean all) throws Exception {
    return agentless(root, all);
  }

  static ScanReport agentless(Path root, boolean all) throws Exception {
    return agentless(new LocalShell(), root, all);
  }

  /** The agentless scan of {@code root} (its /etc) through {@code sh}. */
  static ScanReport agentless(RemoteShell sh, Path root, boolean all) throws Exception {
    return Agentless.scan(
        sh, new Agentless.Request("it", root.toString(), List.of("/etc"), all, rules(), secrets()));
  }

  static ScanReport agent(boolean all) throws Exception {
    return agent(root, all);
  }

  /** The agent jar's scan of {@code root}, as JSON; without .deb metadata, as agentless scans. */
  static ScanReport agent(Path root, boolean all) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--root",
                root.toString(),
                "--no-deb-metadata",
                "--no-cache",
                "--json",
                "--host",
                "it"));
    if (all) {
      args.add("--all");
    }
    Cmd.Result r =
        Cmd.run(
            Cmd.javaJar(
                List.of(), "../agent/target/kickdrift-agent.jar", args.toArray(String[]::new)));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    return JsonReport.read("agent scan", r.out().getBytes(StandardCharsets.UTF_8));
  }

  static GlobRules rules() throws Exception {
    return GlobRules.builtIn("default-ignore.txt");
  }

  static GlobRules secrets() throws Exception {
    return GlobRules.builtIn("default-secrets.txt");
  }

  /**
   * Field by field: everything but the backend's name, the timing and hashing statistics and the
   * secret values found inside files, which docs/fleet.md lists as differing (the agentless scan
   * reads no content; the commit redacts them either way).
   */
  static void assertSameFindings(ScanReport ours, ScanReport agent) {
    assertSameFindings(ours, "dpkg --verify", agent, "dpkg");
  }

  static void assertSameFindings(
      ScanReport ours, String ourBackend, ScanReport agent, String agentBackend) {
    assertThat(agent.backend().label()).isEqualTo(agentBackend);
    assertThat(ours.backend().label()).isEqualTo(ourBackend);
    assertThat(ours.host()).isEqualTo(agent.host());
    assertThat(ours.root()).isEqualTo(agent.root());
    assertThat(ours.scope()).isEqualTo(agent.scope());
    assertThat(ours.metadataChecked()).isEqualTo(agent.metadataChecked());
    assertThat(ours.findings())
        .extracting(Finding::path)
        .containsExactlyElementsOf(
            agent.findings().stream().map(Finding::path).collect(Collectors.toList()));
    for (int i = 0; i < agent.findings().size(); i++) {
      Finding a = agent.findings().get(i);
      Finding o = ours.findings().get(i);
      assertThat(o)
          .as(a.path())
          .usingRecursiveComparison()
          .ignoringFields("inlineSecrets")
          .isEqualTo(a);
      assertThat(o.inlineSecrets()).as(a.path()).isEmpty();
    }
    assertThat(ours.leftovers()).isEqualTo(agent.leftovers());
    assertThat(ours.warnings()).isEqualTo(agent.warnings());
    assertThat(ours.stats().packageFiles()).isEqualTo(agent.stats().packageFiles());
    assertThat(ours.stats().unownedCandidates()).isEqualTo(agent.stats().unownedCandidates());
    assertThat(ours.findings()).isNotEmpty();
  }

  static Map<String, Finding> byPath(ScanReport r) {
    return r.findings().stream()
        .collect(Collectors.toMap(Finding::path, Function.identity(), (a, b) -> a));
  }

  static String md5(String s) {
    return org.apache.commons.codec.digest.DigestUtils.md5Hex(s);
  }
}
