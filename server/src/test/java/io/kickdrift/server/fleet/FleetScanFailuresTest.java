package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.testkit.OpenedInTest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fleet scan over a good host and one host for each way SSH can fail, all in-process on
 * 127.0.0.1: every failing host fails alone with its own error line and leaves nothing in the
 * repository, the good host is scanned by the real agent and committed, and no host waits on
 * another.
 */
class FleetScanFailuresTest {
  static final Path AGENT_JAR =
      Path.of("../agent/target/kickdrift-agent.jar").toAbsolutePath().normalize();

  @TempDir Path dir;
  Path knownHosts;
  Path identity;
  Path repo;
  Path scanRoot;
  KeyPair clientKey;
  @RegisterExtension final OpenedInTest open = new OpenedInTest();

  @BeforeEach
  void setUp() throws Exception {
    knownHosts = dir.resolve("known_hosts");
    repo = dir.resolve("config.git");
    clientKey = SshFailuresTest.ed25519();
    identity = dir.resolve("id_ed25519");
    try (OutputStream o = Files.newOutputStream(identity)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "test", null, o);
    }
    // A host's tree with an empty dpkg database: every file under /etc is unowned.
    scanRoot = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(scanRoot.resolve("etc/app"));
    Files.writeString(scanRoot.resolve("etc/motd"), "welcome\n");
    Files.writeString(scanRoot.resolve("etc/app/app.conf"), "port = 8080\n");
    Files.createDirectories(scanRoot.resolve("var/lib/dpkg/info"));
    Files.createFile(scanRoot.resolve("var/lib/dpkg/status"));
  }

  @Test
  void eachFailingHostFailsAloneWithItsOwnErrorAndTheGoodHostIsCommitted() throws Exception {
    assertThat(AGENT_JAR).as("built by mvn install").isRegularFile();
    StringBuilder known = new StringBuilder();

    KeyPair goodKey = SshFailuresTest.ed25519();
    SshServer good = sshd(goodKey, clientKey, shell(dir.resolve("home-good")), null);
    known.append(trusted(good.getPort(), goodKey));

    SshServer unknown = sshd(SshFailuresTest.ed25519(), clientKey, Sudo.PASSWORD, null);

    SshServer changed = sshd(SshFailuresTest.ed25519(), clientKey, Sudo.PASSWORD, null);
    known.append(trusted(changed.getPort(), SshFailuresTest.ed25519()));

    KeyPair authKey = SshFailuresTest.ed25519();
    SshServer noAuth = sshd(authKey, null, Sudo.PASSWORD, null);
    known.append(trusted(noAuth.getPort(), authKey));

    int silent = TestSshServer.silentListener(open);

    KeyPair hangKey = SshFailuresTest.ed25519();
    Hanging hanging = new Hanging();
    SshServer hang = sshd(hangKey, clientKey, hanging, null);
    known.append(trusted(hang.getPort(), hangKey));

    KeyPair dropKey = SshFailuresTest.ed25519();
    Map<String, Boolean> dropped = new ConcurrentHashMap<>();
    SftpEventListener dropOnWrite =
        SshFailuresTest.onWriting(
            (session, file) -> {
              dropped.put(file.getFile().toString(), true);
              session.close(true);
            });
    SshServer drop = sshd(dropKey, clientKey, shell(dir.resolve("home-drop")), dropOnWrite);
    known.append(trusted(drop.getPort(), dropKey));

    KeyPair sudoKey = SshFailuresTest.ed25519();
    SshServer sudo = sshd(sudoKey, clientKey, Sudo.PASSWORD, null);
    known.append(trusted(sudo.getPort(), sudoKey));

    Files.writeString(knownHosts, known);
    List<SshTarget> targets =
        List.of(
            target("good", good.getPort(), "root"),
            target("unknownkey", unknown.getPort(), "root"),
            target("changedkey", changed.getPort(), "root"),
            target("noauth", noAuth.getPort(), "root"),
            target("silent", silent, "root"),
            target("hang", hang.getPort(), "root"),
            target("drop", drop.getPort(), "root"),
            target("sudo", sudo.getPort(), "scan"));
    Duration commandTimeout = Duration.ofSeconds(20);
    // Generous: the machine is shared and slow; the silent host costs exactly this much.
    Duration authTimeout = Duration.ofSeconds(30);

    long start = System.nanoTime();
    List<FleetScan.HostResult> results =
        scan(options(commandTimeout, Duration.ofMinutes(3)), authTimeout, targets);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(results).extracting(FleetScan.HostResult::host).containsExactly(names(targets));
    FleetScan.HostResult ok = results.get(0);
    assertThat(ok.error()).isNull();
    assertThat(ok.way()).isEqualTo("agent");
    assertThat(ok.findings()).isGreaterThanOrEqualTo(2);
    assertThat(ok.commit()).isNotNull();

    assertError(results.get(1), targets.get(1), "host key refused: unknown ssh-ed25519 key");
    assertError(results.get(2), targets.get(2), "host key CHANGED: ");
    assertError(
        results.get(3), targets.get(3), "authentication failed for user root (tried keys: ");
    assertError(
        results.get(4),
        targets.get(4),
        "no answer within 30 s after connecting (the SSH banner never came)");
    assertError(
        results.get(5),
        targets.get(5),
        "command timed out after 20 s: command -v java >/dev/null 2>&1 && java -version 2>&1");
    assertError(results.get(6), targets.get(6), "connection lost during upload of " + AGENT_JAR);
    assertError(results.get(7), targets.get(7), "sudo needs a password for scan");
    assertThat(results.stream().skip(1).map(FleetScan.HostResult::error).distinct())
        .as("every failing host has its own error")
        .hasSize(7);
    assertThat(results.get(5).way()).isNull();
    assertThat(results.get(6).way()).isEqualTo("agent");
    assertThat(dropped).as("the drop came from the agent upload").isNotEmpty();
    assertThat(hanging.destroyed.await(10, TimeUnit.SECONDS))
        .as("the hung command's channel was closed on the server")
        .isTrue();

    List<String> tree = tree(repo);
    assertThat(tree).contains("hosts/good/manifest.json");
    assertThat(tree)
        .as("every path is the good host's")
        .allSatisfy(p -> assertThat(p).startsWith("hosts/good/"));
    String manifest = read(repo, "hosts/good/manifest.json");
    assertThat(manifest).contains("/etc/motd", "/etc/app/app.conf").containsIgnoringCase("unowned");

    // Each slow host costs one timeout at most, and they ran side by side.
    assertThat(took).isLessThan(commandTimeout.plus(authTimeout).multipliedBy(targets.size()));
    assertThat(took).isLessThan(Duration.ofSeconds(120));
  }

  @Test
  void aHostOverItsTimeLimitFailsNamingTheStepItWasIn() throws Exception {
    KeyPair key = SshFailuresTest.ed25519();
    Hanging hanging = new Hanging();
    SshServer hang = sshd(key, clientKey, hanging, null);
    Files.writeString(knownHosts, trusted(hang.getPort(), key));
    SshTarget t = target("web01", hang.getPort(), "root");

    long start = System.nanoTime();
    List<FleetScan.HostResult> results =
        scan(
            options(Duration.ofSeconds(120), Duration.ofSeconds(8)),
            Duration.ofSeconds(10),
            List.of(t));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(results).hasSize(1);
    assertThat(results.get(0).error())
        .isEqualTo(
            "web01 (127.0.0.1:%d): host time limit of 8 s reached while checking java",
            hang.getPort());
    assertThat(results.get(0).commit()).isNull();
    assertThat(took).isLessThan(Duration.ofSeconds(60));
    assertThat(hanging.destroyed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(tree(repo)).isEmpty();
  }

  // ---- helpers ------------------------------------------------------------------------------

  void assertError(FleetScan.HostResult r, SshTarget t, String phrase) {
    assertThat(r.error())
        .as(t.name())
        .startsWith(t.name() + " (127.0.0.1:" + t.port() + "): " + phrase)
        .doesNotContain("\n");
    assertThat(r.failed()).isTrue();
    assertThat(r.commit()).as(t.name()).isNull();
    assertThat(r.findings()).as(t.name()).isEqualTo(-1);
  }

  FleetScan.Options options(Duration commandTimeout, Duration hostTimeout) {
    return new FleetScan.Options(
        repo,
        FleetScan.Way.AGENT,
        AGENT_JAR,
        scanRoot.toString(),
        List.of("/etc"),
        false,
        GlobRules.empty(),
        GlobRules.empty(),
        null,
        "kickdrift test",
        "test",
        commandTimeout,
        hostTimeout,
        8);
  }

  List<FleetScan.HostResult> scan(
      FleetScan.Options options, Duration authTimeout, List<SshTarget> targets) throws Exception {
    SshSettings settings =
        new SshSettings(
            List.of(identity),
            knownHosts,
            false,
            Duration.ofSeconds(5),
            authTimeout,
            options.commandTimeout());
    try (Ssh ssh = new Ssh(settings);
        FleetScan fleet = new FleetScan(ssh, options)) {
      return fleet.run(targets, r -> {});
    }
  }

  static String[] names(List<SshTarget> targets) {
    return targets.stream().map(SshTarget::name).toArray(String[]::new);
  }

  static SshTarget target(String name, int port, String user) {
    return new SshTarget(name, "127.0.0.1", port, user);
  }

  static String trusted(int port, KeyPair host) {
    return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(host.getPublic()) + "\n";
  }

  /** A server on 127.0.0.1:0 with native SFTP and the given commands. */
  SshServer sshd(KeyPair hostKey, KeyPair client, CommandFactory commands, SftpEventListener sftp)
      throws IOException {
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, s) -> KeyUtils.compareKeys(key, client.getPublic()));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setCommandFactory(commands);
    SftpSubsystemFactory sub = new SftpSubsystemFactory();
    if (sftp != null) {
      sub.addSftpEventListener(sftp);
    }
    server.setSubsystemFactories(List.of(sub));
    server.setFileSystemFactory(NativeFileSystemFactory.INSTANCE);
    open.add(() -> server.stop(true));
    server.start();
    return server;
  }

  /**
   * Commands run for real by {@code /bin/sh -c}, as this test's user, with HOME at {@code home}.
   */
  static CommandFactory shell(Path home) throws IOException {
    Files.createDirectories(home);
    return (channel, command) -> new ShellCommand(command, home);
  }

  private static final class ShellCommand extends TestCommand {
    private final String command;
    private final Path home;
    private volatile Process process;

    ShellCommand(String command, Path home) {
      this.command = command;
      this.home = home;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
      pb.environment().put("HOME", home.toString());
      String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
      pb.environment().merge("PATH", javaBin, (old, bin) -> bin + File.pathSeparator + old);
      process = pb.start();
      pump(in, process.getOutputStream(), true); // a shell reads its commands there
      Thread errPump = pump(process.getErrorStream(), err, false);
      Thread worker =
          new Thread(
              () -> {
                try {
                  byte[] b = new byte[8192];
                  InputStream stdout = process.getInputStream();
                  for (int n; (n = stdout.read(b)) >= 0; ) {
                    out.write(b, 0, n);
                    out.flush(); // a shell's answers come before it ends
                  }
                  errPump.join();
                  exit.onExit(process.waitFor());
                } catch (IOException e) {
                  exit.onExit(255, e.toString());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "test-sh-out");
      worker.setDaemon(true);
      worker.start();
    }

    /** Copies {@code in} to {@code o} on a thread; closes {@code o} at the end when asked. */
    private static Thread pump(InputStream in, OutputStream o, boolean close) {
      Thread t =
          new Thread(
              () -> {
                try {
                  byte[] b = new byte[8192];
                  for (int n; (n = in.read(b)) >= 0; ) {
                    o.write(b, 0, n);
                    o.flush(); // a shell waits for its command's whole line
                  }
                  if (close) {
                    o.close();
                  }
                } catch (IOException e) {
                  // the channel went away; the process is destroyed with it
                }
              },
              "test-sh-err");
      t.setDaemon(true);
      t.start();
      return t;
    }

    @Override
    public void destroy(ChannelSession channel) {
      Process p = process;
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  /** Every command is {@code sudo -n}, which wants a password: exit 1, as sudo says so. */
  private enum Sudo implements CommandFactory {
    PASSWORD;

    @Override
    public Command createCommand(ChannelSession channel, String command) {
      return new TestCommand() {
        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
          print(err, "sudo: a password is required\n");
          exit.onExit(1);
        }
      };
    }
  }

  /** Every command starts and never answers nor ends; counts down when one is destroyed. */
  private static final class Hanging implements CommandFactory {
    final CountDownLatch destroyed = new CountDownLatch(1);

    @Override
    public Command createCommand(ChannelSession channel, String command) {
      return new TestCommand() {
        @Override
        public void start(ChannelSession channel, Environment env) {}

        @Override
        public void destroy(ChannelSession channel) {
          destroyed.countDown();
        }
      };
    }
  }

  /** Every path in HEAD of the bare repository, or none when it has no commit. */
  static List<String> tree(Path repo) throws IOException {
    List<String> paths = new ArrayList<>();
    try (Repository r = new FileRepositoryBuilder().setGitDir(repo.toFile()).build();
        RevWalk rw = new RevWalk(r)) {
      var head = r.resolve("HEAD");
      if (head == null) {
        return paths;
      }
      try (TreeWalk tw = new TreeWalk(r)) {
        tw.addTree(rw.parseCommit(head).getTree());
        tw.setRecursive(true);
        while (tw.next()) {
          paths.add(tw.getPathString());
        }
      }
    }
    return paths;
  }

  static String read(Path repo, String path) throws IOException {
    try (Repository r = new FileRepositoryBuilder().setGitDir(repo.toFile()).build();
        RevWalk rw = new RevWalk(r)) {
      try (TreeWalk tw = TreeWalk.forPath(r, path, rw.parseCommit(r.resolve("HEAD")).getTree())) {
        assertThat(tw).as(path).isNotNull();
        return new String(r.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
