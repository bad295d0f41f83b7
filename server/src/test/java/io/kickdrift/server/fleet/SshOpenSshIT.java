package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.testkit.OpenSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH layer against a real OpenSSH sshd on loopback, as root with key authentication and the
 * host key taken from its .pub file (the way PushIT in the agent starts sshd).
 */
class SshOpenSshIT {
  static final Duration T = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static OpenSshd sshd;
  static int port;

  @BeforeAll
  static void startSshd() throws Exception {
    OpenSshd.keygen(dir.resolve("other_host_ed25519"));
    OpenSshd.keygen(dir.resolve("id_ed25519"));
    OpenSshd.prepare(
        dir, dir.resolve("id_ed25519"), "root", "Subsystem sftp internal-sftp", "LogLevel DEBUG1");
    sshd = OpenSshd.start(dir.resolve("sshd_config"), dir.resolve("sshd.log"));
    port = sshd.port();
  }

  @AfterAll
  static void stopSshd() throws InterruptedException {
    if (sshd != null) {
      sshd.close();
      sshd = null;
    }
  }

  @Test
  void asRootCommandsRunAndFilesGoUpAndComeBack() throws Exception {
    Path known = knownHosts("known_hosts.right", "host_ed25519.pub");
    byte[] data = new byte[200_000];
    new Random(7).nextBytes(data);
    Path local = Files.write(dir.resolve("payload.bin"), data);
    Path remote = dir.resolve("remote").resolve("payload.bin");
    Files.createDirectories(remote.getParent());
    try (Ssh ssh = new Ssh(settings(known));
        Session s = ssh.open(target())) {
      assertThat(s.run("id -un", T)).isEqualTo(new Session.Result(0, "root\n", ""));
      assertThat(s.runAsRoot("id -un", T).stdout()).isEqualTo("root\n");
      Session.Result fail = s.run("echo out; echo err >&2; exit 3", T);
      assertThat(fail).isEqualTo(new Session.Result(3, "out\n", "err\n"));

      s.upload(local, remote.toString());
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      assertThat(s.run("sha256sum " + remote, T).stdout()).isEqualTo(sha + "  " + remote + "\n");
      assertThat(s.download(remote.toString())).isEqualTo(data);
      // streamed: the bytes reach the sink as they come, none kept in the output
      java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
      RemoteShell.Output streamed = s.asRoot(T).run("cat " + remote + "; echo e >&2", sink);
      assertThat(streamed)
          .extracting(RemoteShell.Output::exit, o -> o.stdout().length)
          .containsExactly(0, 0);
      assertThat(streamed.stderr()).isEqualTo("e\n");
      assertThat(sink.toByteArray()).isEqualTo(data);
      // and while the command still runs, not once it has ended
      long[] firstByte = {0};
      java.io.OutputStream timed =
          new java.io.OutputStream() {
            @Override
            public void write(int b) {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              if (firstByte[0] == 0 && len > 0) {
                firstByte[0] = System.nanoTime();
              }
            }
          };
      s.asRoot(T).run("head -c 100000 /dev/zero; sleep 2", timed);
      long ended = System.nanoTime();
      assertThat(firstByte[0]).isPositive();
      assertThat(Duration.ofNanos(ended - firstByte[0])).isGreaterThan(Duration.ofSeconds(1));

      // A command that neither reads nor writes: the layer asks sshd to KILL it. OpenSSH refuses
      // signals in root sessions ("session signalling requires privilege separation"), so as
      // root the sleep runs out on its own; the request must have been sent all the same.
      assertThatThrownBy(() -> s.run("sleep 5", Duration.ofSeconds(1)))
          .isInstanceOf(SshException.class)
          .hasMessage("web01 (127.0.0.1:%d): command timed out after 1 s: sleep 5", port);
      assertThat(s.run("echo still here", T).stdout()).isEqualTo("still here\n");
    }
    assertThat(sshdLog()).contains("Accepted publickey for root", "req signal");
  }

  /** A scan's commands through one shell on one channel of real OpenSSH. */
  @Test
  void oneRootShellRunsCommandAfterCommand() throws Exception {
    Path known = knownHosts("known_hosts.right", "host_ed25519.pub");
    byte[] data = new byte[300_000];
    new Random(11).nextBytes(data);
    Path file = Files.write(dir.resolve("shell.bin"), data);
    try (Ssh ssh = new Ssh(settings(known));
        Session s = ssh.open(target());
        ShellChannel sh = s.rootShell(T)) {
      RemoteShell.Output first = sh.run("echo $$; id -un; echo warn >&2; exit 4");
      assertThat(first.exit()).isEqualTo(4);
      assertThat(first.stderr()).isEqualTo("warn");
      String[] lines = first.text().split("\n");
      assertThat(lines[1]).isEqualTo("root");
      java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
      RemoteShell.Output streamed = sh.run("cat " + RemoteShell.quote(file.toString()), sink);
      assertThat(streamed.exit()).isZero();
      assertThat(sink.toByteArray()).isEqualTo(data);
      assertThat(sh.run("echo $$").text()).as("the same shell").isEqualTo(lines[0] + "\n");
      for (int i = 0; i < 50; i++) {
        assertThat(sh.run("echo " + i).text()).isEqualTo(i + "\n");
      }
    }
  }

  @Test
  void aWrongKeyInKnownHostsIsRefusedAsChanged() throws Exception {
    Path wrong = knownHosts("known_hosts.wrong", "other_host_ed25519.pub");
    String before = Files.readString(wrong);
    try (Ssh ssh = new Ssh(settings(wrong))) {
      assertThatThrownBy(() -> ssh.open(target()))
          .isInstanceOf(SshException.class)
          .hasMessageStartingWith("web01 (127.0.0.1:" + port + "): host key CHANGED: " + wrong)
          .hasMessageContaining("the host now offers ssh-ed25519 key SHA256:")
          .hasMessageContaining("not accepted");
    }
    assertThat(Files.readString(wrong)).isEqualTo(before);
  }

  @Test
  void anotherAgentJarReplacesTheOldOneAndLeavesTheUsersFiles() throws Exception {
    Path known = knownHosts("known_hosts.cache", "host_ed25519.pub");
    Path cache = dir.resolve("agent-cache");
    Files.createDirectories(cache);
    Files.writeString(cache.resolve("agent-notes.txt"), "mine");
    Files.writeString(cache.resolve("agent-1.0.jar"), "mine too");
    AgentWay.Jar first = AgentWay.Jar.of(Files.writeString(dir.resolve("first.jar"), "one"));
    AgentWay.Jar second = AgentWay.Jar.of(Files.writeString(dir.resolve("second.jar"), "two!"));
    try (Ssh ssh = new Ssh(settings(known));
        Session s = ssh.open(target());
        ShellChannel root = s.rootShell(T)) {
      RemoteShell login = s.asLoginUser(root, T);
      String one = AgentWay.install(s, login, first, cache.toString());
      assertThat(one).isEqualTo(cache.resolve(AgentWay.remoteName(first)).toString());
      String two = AgentWay.install(s, login, second, cache.toString() + "/");
      assertThat(Path.of(two)).hasContent("two!");
      // the same jar again: nothing copied, nothing removed
      assertThat(AgentWay.install(s, login, second, cache.toString())).isEqualTo(two);
    }
    try (var left = Files.list(cache)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              AgentWay.remoteName(second), "agent-notes.txt", "agent-1.0.jar");
    }
  }

  static String sshdLog() throws IOException {
    return Files.readString(dir.resolve("sshd.log"));
  }

  static SshSettings settings(Path known) {
    return new SshSettings(
        List.of(dir.resolve("id_ed25519")),
        known,
        false,
        Duration.ofSeconds(10),
        Duration.ofSeconds(20),
        T);
  }

  static SshTarget target() {
    return new SshTarget("web01", "127.0.0.1", port, "root");
  }

  static Path knownHosts(String name, String pubKey) throws IOException {
    return Files.writeString(dir.resolve(name), sshd.knownHostsLine(dir.resolve(pubKey)));
  }
}
