package io.kickdrift.server.fleet;

import static io.kickdrift.testkit.DebBuilder.deb;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import io.kickdrift.testkit.OpenSshd;
import io.kickdrift.testkit.ScratchDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kickdrift fleet scan} against real OpenSSH: one sshd per host, each in a mount namespace
 * of its own where the same path ({@code MNT}) is that host's dpkg root, built from real .debs and
 * seeded with drift. The fleet's commits must equal what {@code kickdrift scan --repo} commits for
 * the same roots locally.
 */
class FleetScanIT {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-fleet-it").traversable();
  static final List<String> HOSTS = List.of("web01", "web02", "db01");

  static Path work;
  static Path mnt;
  static Path key;
  static final List<Path> roots = new ArrayList<>();
  static final List<OpenSshd> sshds = new ArrayList<>();
  static Path inventory;

  @BeforeAll
  static void hosts() throws Exception {
    Cmd.require("unshare", "util-linux");
    Cmd.require("tar", "tar");
    work = scratch.path();
    mnt = Files.createDirectories(work.resolve("mnt"));
    key = work.resolve("id_ed25519");
    OpenSshd.keygen(key);
    Path build = work.resolve("build");
    Path debs = work.resolve("debs");
    List<Path> packages =
        List.of(
            deb("alpha", "1.0-1", "all")
                .conffile("/etc/alpha/alpha.conf", "setting = 1\n")
                .conffile("/etc/alpha/gone.conf", "gone = 1\n")
                .symlink("/etc/alpha/current.conf", "alpha.conf")
                .file("/usr/bin/alpha", "#!/bin/sh\necho alpha\n", 0755, 0, 0)
                .build(build, debs),
            deb("base", "1", "all")
                .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
                .file("/etc/group", "root:x:0:\nadm:x:4:\n")
                .build(build, debs),
            deb("gamma", "1:3.0-1", "all")
                .conffile("/etc/gamma.conf", "gamma = 3\n")
                .build(build, debs));
    StringBuilder inv = new StringBuilder(INVENTORY_HEAD);
    for (int i = 0; i < HOSTS.size(); i++) {
      Path root = work.resolve("root-" + HOSTS.get(i));
      dpkgRoot(root, packages);
      roots.add(root);
      Path sdir = Files.createDirectories(work.resolve("sshd-" + HOSTS.get(i)));
      String ip = "127.0.0." + (i + 1);
      // db01 forwards to nowhere useful: as a jump host it must make the scan fail.
      OpenSshd.prepare(
          sdir,
          key,
          "root",
          "Subsystem sftp internal-sftp",
          "ListenAddress " + ip,
          i == 2 ? "PermitOpen 127.0.0.1:1" : "PermitOpen any");
      // sshd in a mount namespace of its own, where MNT is this host's root.
      OpenSshd sshd =
          OpenSshd.start(
              sdir.resolve("sshd_config"),
              sdir.resolve("sshd.log"),
              OpenSshd.withRootAt(root, mnt));
      sshds.add(sshd);
      inv.append(
          hostEntry(HOSTS.get(i), String.format("52:54:00:00:00:%02x", i + 1), ip, sshd.port()));
    }
    // web01: a modified conffile, an unowned file, an unowned secret (by name and by content).
    Path r0 = roots.get(0);
    Files.writeString(r0.resolve("etc/alpha/alpha.conf"), "setting = 2\n");
    Files.writeString(r0.resolve("etc/app.conf"), "port = 8080\n");
    Files.createDirectories(r0.resolve("etc/ssl/private"));
    Files.writeString(r0.resolve("etc/ssl/private/site.key"), "TOP-SECRET-KEY-MATERIAL\n");
    Files.writeString(
        r0.resolve("etc/app.pem"),
        "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-BY-CONTENT\n-----END OPENSSH PRIVATE KEY-----\n");
    // web02: a missing conffile, a modified one, an unowned symlink.
    Path r1 = roots.get(1);
    Files.delete(r1.resolve("etc/alpha/gone.conf"));
    Files.writeString(r1.resolve("etc/gamma.conf"), "gamma = 4\n");
    Files.createSymbolicLink(r1.resolve("etc/link.conf"), Path.of("gamma.conf"));
    // db01: clean.
    inventory = Files.writeString(work.resolve("inventory.yaml"), inv.toString());
  }

  /** An inventory's distro, loopback subnet and profile {@code p}, up to {@code hosts:}. */
  static final String INVENTORY_HEAD =
      "distros:\n  - {name: d, family: rocky, version: \"9\", kernel: k, initrd: i,"
          + " install-tree: http://192.0.2.1/t}\n"
          + "subnets:\n  - {network: 127.0.0.0/8}\n"
          + "profiles:\n  - {name: p, distro: d}\nhosts:\n";

  /** A host of profile {@code p} whose sshd listens on {@code ip}:{@code port}, for root. */
  static String hostEntry(String name, String mac, String ip, int port) {
    return String.format(
        "  - name: %s%n    profile: p%n    interfaces: [{name: eth0, mac: \"%s\", ip: %s}]%n"
            + "    ssh: {user: root, port: %d}%n",
        name, mac, ip, port);
  }

  /**
   * serve's baseline options: a scan of {@code root} by {@code way} into {@code repo}, one second
   * after the callback, retried every second for two minutes.
   */
  static BaselineScans.Settings baseline(
      Path repo, FleetScan.Way way, Path agentJar, Path root, Path key, Path knownHosts) {
    java.time.Duration cmd = java.time.Duration.ofMinutes(2);
    return new BaselineScans.Settings(
        new FleetScan.Options(
            repo,
            way,
            agentJar,
            root.toString(),
            List.of("/etc"),
            false,
            io.kickdrift.agent.scan.GlobRules.empty(),
            io.kickdrift.agent.scan.GlobRules.empty(),
            null,
            "kickdrift",
            "test",
            cmd,
            java.time.Duration.ofMinutes(3),
            1),
        new SshSettings(
            List.of(key),
            knownHosts,
            true,
            java.time.Duration.ofSeconds(10),
            java.time.Duration.ofSeconds(10),
            cmd),
        java.time.Duration.ofSeconds(1),
        java.time.Duration.ofSeconds(1),
        java.time.Duration.ofMinutes(2));
  }

  static void dpkgRoot(Path root, List<Path> packages) throws Exception {
    DpkgTestRoot.create(root);
    // The apt cache the host's packaged originals come from.
    Path cache = Files.createDirectories(root.resolve("var/cache/apt/archives"));
    for (Path p : packages) {
      Files.copy(p, cache.resolve(p.getFileName()));
    }
    DebBuilder.install(root, packages);
  }

  @AfterAll
  static void stop() throws Exception {
    for (OpenSshd s : sshds) {
      s.close();
    }
  }

  /**
   * {@code kickdrift fleet scan} of {@code inv} into {@code repo} with the test's key, {@code
   * known} as known_hosts, MNT as the root and no ssh_config; then {@code more}.
   */
  static Cmd.Result fleetScan(Path inv, Path repo, Path known, String... more) throws Exception {
    return Cmd.kickdrift(fleetScanArgs(inv, repo, key, known, mnt, more));
  }

  /**
   * The arguments of {@code fleet scan} of {@code inv} into {@code repo} with {@code key}, {@code
   * known} as known_hosts, {@code root} as the root and no ssh_config; then {@code more}.
   */
  static String[] fleetScanArgs(
      Path inv, Path repo, Path key, Path known, Path root, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "fleet",
                "scan",
                "--inventory",
                inv.toString(),
                "--repo",
                repo.toString(),
                "--identity",
                key.toString(),
                "--known-hosts",
                known.toString(),
                "--root",
                root.toString(),
                "--ssh-config",
                "none"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** {@link #fleetScan} of every host of the inventory, three at a time. */
  static Cmd.Result fleet(Path repo, Path known, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--parallel", "3"));
    args.addAll(List.of(more));
    return fleetScan(inventory, repo, known, args.toArray(String[]::new));
  }

  /** {@code kickdrift scan --repo local} of each host's root, as the host itself would. */
  static void localScans(Path local, String... more) throws Exception {
    for (int i = 0; i < HOSTS.size(); i++) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "scan",
                  "--root",
                  roots.get(i).toString(),
                  "--host",
                  HOSTS.get(i),
                  "--repo",
                  local.toString(),
                  "--no-cache"));
      args.addAll(List.of(more));
      Cmd.Result r = Cmd.kickdrift(args.toArray(String[]::new));
      assertThat(r.exit()).as(r.err()).isIn(0, 1);
    }
  }

  static String tree(Path repo, String host) throws Exception {
    return Cmd.ok("git", "-C", repo.toString(), "ls-tree", "-r", "HEAD", "hosts/" + host).out();
  }

  static List<String> subjects(Path repo) throws Exception {
    return Cmd.ok("git", "-C", repo.toString(), "log", "--format=%s").lines().stream()
        .sorted()
        .toList();
  }

  @Test
  void agentScansCommitWhatLocalScansCommit() throws Exception {
    Path local = work.resolve("local.git");
    localScans(local);
    Path repo = work.resolve("fleet.git");
    Path known = work.resolve("known_hosts");
    Cmd.Result r = fleet(repo, known, "--accept-new", "--way", "agent");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("web01: 0 modified, 4 new, 0 missing")
        .contains("3 hosts: 1 clean, 2 with drift, 0 failed")
        .containsPattern("web01 +agent +4 ")
        .containsPattern("db01 +agent +0 ");
    assertThat(r.err()).contains("web01: agent, 4 findings");
    assertThat(Files.readAllLines(known)).hasSize(3);
    for (String h : HOSTS) {
      assertThat(tree(repo, h)).as(h).isEqualTo(tree(local, h));
    }
    // The same commits, packaged originals first (hosts ran in another order).
    assertThat(subjects(repo))
        .as(r.err())
        .isEqualTo(subjects(local))
        .anyMatch(s -> s.contains("original"));
    assertThat(tree(repo, "web01"))
        .contains("hosts/web01/files/etc/alpha/alpha.conf", "hosts/web01/files/etc/app.conf");
    assertThat(tree(repo, "web02")).contains("120000 blob").contains("files/etc/link.conf");
    // Secrets: placeholders, never the content.
    Cmd.Result grep =
        Cmd.run(List.of("git", "-C", repo.toString(), "grep", "-e", "SECRET", "HEAD", "--"));
    assertThat(grep.out()).isEmpty();
    String before = Cmd.ok("git", "-C", repo.toString(), "rev-parse", "HEAD").out();

    // A second run finds the same drift and commits nothing.
    Cmd.Result again = fleet(repo, known, "--way", "agent");
    assertThat(again.exit()).as(again.out() + again.err()).isEqualTo(1);
    assertThat(again.out()).contains("nothing new");
    assertThat(Cmd.ok("git", "-C", repo.toString(), "rev-parse", "HEAD").out()).isEqualTo(before);

    // A clean host alone: exit 0.
    Cmd.Result clean = fleet(repo, known, "--hosts", "db*");
    assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).contains("1 hosts: 1 clean, 0 with drift, 0 failed");
  }

  @Test
  void aHostThatFailsLeavesNoCommitAndTheOthersFinish() throws Exception {
    Path badInv = work.resolve("inventory-bad.yaml");
    // A fourth host on a port nobody listens on.
    Files.writeString(
        badInv,
        Files.readString(inventory)
            + "  - name: dead01\n    profile: p\n    interfaces: [{name: eth0, mac:"
            + " \"52:54:00:00:00:09\", ip: 127.0.0.9}]\n    ssh: {user: root, port: 9}\n");
    Path repo = work.resolve("fleet-bad.git");
    Cmd.Result r =
        fleetScan(
            badInv,
            repo,
            work.resolve("known_hosts_bad"),
            "--accept-new",
            "--hosts",
            "web01,dead*",
            "--json");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.out()).contains("\"host\" : \"dead01\"").contains("connection refused");
    assertThat(r.err()).contains("FAILED dead01 (127.0.0.9:9): connection refused");
    assertThat(tree(repo, "web01")).contains("hosts/web01/manifest.json");
    assertThat(tree(repo, "dead01")).isEmpty();
    assertThat(r.out()).doesNotContain("web02");
  }

  @Test
  void serveScansAHostAfterItsInstallCallback() throws Exception {
    Path state = Files.createDirectories(work.resolve("serve-state"));
    Path repo = work.resolve("baseline.git");
    BaselineScans.Settings baseline =
        baseline(
            repo,
            FleetScan.Way.AGENT,
            Path.of("target/kickdrift.jar").toAbsolutePath(),
            mnt,
            key,
            state.resolve("known_hosts"));
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    try (io.kickdrift.server.serve.Serve serve =
        io.kickdrift.server.serve.Serve.start(
            new io.kickdrift.server.serve.Serve.Options(
                inventory,
                state,
                Files.createDirectories(work.resolve("serve-root")),
                null,
                java.net.InetAddress.getLoopbackAddress(),
                0,
                0,
                null,
                null,
                baseline,
                true,
                null,
                null,
                null,
                null),
            log::add)) {
      String base = "http://127.0.0.1:" + serve.httpAddress().getPort();
      String token =
          io.kickdrift.server.serve.MenuToken.enable(base, state, "web02", "52:54:00:00:00:02");
      String url = base + "/callback/web02/" + token;
      // from web02's own address, as its installer would call back
      Cmd.Result post =
          Cmd.run(List.of("curl", "-sS", "-f", "--interface", "127.0.0.2", "-X", "POST", url));
      assertThat(post.exit()).as(post.err()).isZero();
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (System.nanoTime() < deadline
          && log.stream().noneMatch(l -> l.startsWith("baseline scan of web02"))) {
        Thread.sleep(200);
      }
      assertThat(log).anyMatch(l -> l.startsWith("baseline scan of web02: committed "));
      // The baseline is the host's first commit; no other host was scanned.
      assertThat(tree(repo, "web02")).contains("hosts/web02/files/etc/link.conf");
      assertThat(tree(repo, "web01")).isEmpty();
      assertThat(Files.readString(state.resolve("known_hosts"))).contains("[127.0.0.2]:");
    }
    try (var store = io.kickdrift.server.state.SqliteStateStore.open(state)) {
      assertThat(store.events("web02", 10))
          .extracting(e -> e.kind())
          .contains("installed", "baseline-scheduled", "baseline-scan");
    }
  }

  @Test
  void aHostIsReachedThroughItsJumpHost() throws Exception {
    String direct = "ssh: {user: root, port: " + sshds.get(0).port() + "}";
    String inv = Files.readString(inventory);
    assertThat(inv).contains(direct);
    Path viaWeb02 =
        withJump("inventory-jump.yaml", inv, direct, "root@127.0.0.2:" + sshds.get(1).port());
    Path viaDb01 =
        withJump("inventory-badjump.yaml", inv, direct, "127.0.0.3:" + sshds.get(2).port());
    Path known = work.resolve("known_hosts_jump");
    Path repo = work.resolve("jump.git");
    Cmd.Result ok = fleetScan(viaWeb02, repo, known, "--accept-new", "--hosts", "web01");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isEqualTo(1);
    assertThat(tree(repo, "web01")).contains("hosts/web01/files/etc/app.conf");
    // Both keys recorded, each under its own name.
    assertThat(Files.readString(known))
        .contains("[127.0.0.2]:" + sshds.get(1).port() + " ")
        .contains("[127.0.0.1]:" + sshds.get(0).port() + " ");

    // The same host through a jump host that may not forward there: it fails, naming the way.
    Cmd.Result bad = fleetScan(viaDb01, repo, known, "--accept-new", "--hosts", "web01");
    assertThat(bad.exit()).as(bad.out() + bad.err()).isEqualTo(2);
    assertThat(bad.err())
        .contains(
            "FAILED web01 (127.0.0.1:"
                + sshds.get(0).port()
                + " via 127.0.0.3:"
                + sshds.get(2).port()
                + "): ");
  }

  /** The inventory with web01's {@code direct} ssh settings given {@code jump}, as {@code name}. */
  private static Path withJump(String name, String inventory, String direct, String jump)
      throws IOException {
    String viaJump = direct.replace("}", ", jump: \"" + jump + "\"}");
    return Files.writeString(work.resolve(name), inventory.replace(direct, viaJump));
  }

  @Test
  void theKeyCanComeFromTheUsersSshAgent() throws Exception {
    Cmd.require("ssh-agent", "openssh-client");
    Path home = Files.createDirectories(work.resolve("agent-home"));
    Path sock = work.resolve("agent.sock");
    Process agent =
        new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      for (int i = 0; i < 100 && !Files.exists(sock); i++) {
        Thread.sleep(50);
      }
      // The JVM takes its home from the password database, not HOME: set it, so no key of this
      // machine's user can be found.
      java.util.Map<String, String> env =
          java.util.Map.of(
              "SSH_AUTH_SOCK",
              sock.toString(),
              "HOME",
              home.toString(),
              "JAVA_TOOL_OPTIONS",
              "-Duser.home=" + home);
      Cmd.Result add = Cmd.run(List.of("ssh-add", key.toString()), env);
      assertThat(add.exit()).as(add.err()).isZero();
      String[] args = {
        "fleet",
        "scan",
        "--inventory",
        inventory.toString(),
        "--repo",
        work.resolve("agent.git").toString(),
        "--known-hosts",
        work.resolve("known_hosts_agent").toString(),
        "--accept-new",
        "--root",
        mnt.toString(),
        "--ssh-config",
        "none",
        "--hosts",
        "db01"
      };
      // No --identity, no ~/.ssh: the agent's key logs in (and signs; the key never leaves it).
      Cmd.Result r = Cmd.run(Cmd.javaJar(List.of(), "target/kickdrift.jar", args), env);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("1 hosts: 1 clean, 0 with drift, 0 failed");

      // The agent emptied: the host refuses us, naming where keys were looked for.
      assertThat(Cmd.run(List.of("ssh-add", "-D"), env).exit()).isZero();
      Cmd.Result refused = Cmd.run(Cmd.javaJar(List.of(), "target/kickdrift.jar", args), env);
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(refused.err())
          .contains("authentication failed for user root (tried keys: ssh-agent");
      // Without the agent and without keys there is nothing to log in with.
      String[] noAgent = java.util.Arrays.copyOf(args, args.length + 1);
      noAgent[args.length] = "--no-ssh-agent";
      Cmd.Result none = Cmd.run(Cmd.javaJar(List.of(), "target/kickdrift.jar", noAgent), env);
      assertThat(none.exit()).isEqualTo(2);
      assertThat(none.err()).contains("no --identity given");
    } finally {
      agent.destroy();
      agent.waitFor();
    }
  }

  @Test
  void agentlessScansCommitWhatLocalScansWithoutDebMetadataCommit() throws Exception {
    Path local = work.resolve("local-nometa.git");
    localScans(local, "--no-deb-metadata");
    Path repo = work.resolve("agentless.git");
    Cmd.Result r =
        fleet(repo, work.resolve("known_hosts_agentless"), "--accept-new", "--way", "agentless");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .containsPattern("web01 +agentless +4 ")
        .contains("3 hosts: 1 clean, 2 with drift, 0 failed");
    for (String h : HOSTS) {
      assertThat(tree(repo, h)).as(h).isEqualTo(tree(local, h));
    }
    assertThat(subjects(repo)).as(r.err()).isEqualTo(subjects(local));
    assertThat(
            Cmd.run(List.of("git", "-C", repo.toString(), "grep", "-e", "SECRET", "HEAD", "--"))
                .out())
        .isEmpty();
  }

  @Test
  void portAndUserCanComeFromAnSshConfigFile() throws Exception {
    String own = "\n    ssh: {user: root, port: " + sshds.get(1).port() + "}";
    String inv = Files.readString(inventory);
    assertThat(inv).contains(own);
    Path bare = Files.writeString(work.resolve("inventory-nossh.yaml"), inv.replace(own, ""));
    Path config =
        Files.writeString(
            work.resolve("ssh_config"),
            "Host web02\n  Port " + sshds.get(1).port() + "\n  User root\nHost *\n  Port 1\n");
    String[] args = {
      "fleet",
      "scan",
      "--inventory",
      bare.toString(),
      "--repo",
      work.resolve("sshconfig.git").toString(),
      "--identity",
      key.toString(),
      "--known-hosts",
      work.resolve("known_hosts_sshconfig").toString(),
      "--accept-new",
      "--root",
      mnt.toString(),
      "--hosts",
      "web02",
      "--ssh-config"
    };
    String[] withConfig = java.util.Arrays.copyOf(args, args.length + 1);
    withConfig[args.length] = config.toString();
    Cmd.Result r = Cmd.kickdrift(withConfig);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("1 hosts: 0 clean, 1 with drift, 0 failed");
    // Without the file, web02 is at port 22 of 127.0.0.2, where this test's sshd is not.
    String[] without = java.util.Arrays.copyOf(args, args.length + 1);
    without[args.length] = "none";
    Cmd.Result off = Cmd.kickdrift(without);
    assertThat(off.exit()).as(off.out() + off.err()).isEqualTo(2);
    assertThat(off.err()).contains("FAILED web02 (127.0.0.2:22): ");
  }
}
