package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.testkit.OpenedInTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each way an SSH connection to a fleet host fails, against an in-process MINA server. */
class SshFailuresTest {
  @TempDir Path dir;
  Path root;
  Path knownHosts;
  Path identity;
  KeyPair clientKey;
  KeyPair hostKey;
  @RegisterExtension final OpenedInTest open = new OpenedInTest();

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    knownHosts = dir.resolve("known_hosts");
    clientKey = ed25519();
    hostKey = ed25519();
    identity = dir.resolve("id_ed25519");
    try (OutputStream o = Files.newOutputStream(identity)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "test", null, o);
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedAndWithAcceptNewRecordedThenTrusted() throws Exception {
    TestSshServer server = server(hostKey, 0, clientKey, null);
    SshTarget t = target(server.port(), "root");
    String fp = KeyUtils.getFingerPrint(hostKey.getPublic());

    assertThatThrownBy(() -> ssh(false).open(t))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): host key refused: unknown ssh-ed25519 key %s; add it to %s"
                + " or run with --accept-new",
            server.port(), fp, knownHosts);
    assertThat(knownHosts).doesNotExist();
    assertThat(server.commands).isEmpty();

    try (Session s = ssh(true).open(t)) {
      assertThat(s.run("echo hello", Duration.ofSeconds(5)))
          .isEqualTo(new Session.Result(0, "hello\n", ""));
    }
    assertThat(Files.readString(knownHosts))
        .isEqualTo(
            "[127.0.0.1]:"
                + server.port()
                + " "
                + PublicKeyEntry.toString(hostKey.getPublic())
                + "\n");

    // Recorded: now trusted without --accept-new.
    try (Session s = ssh(false).open(t)) {
      assertThat(s.run("echo again", Duration.ofSeconds(5)).stdout()).isEqualTo("again\n");
    }
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWithAcceptNewAndKnownHostsIsLeftAlone() throws Exception {
    TestSshServer first = server(hostKey, 0, clientKey, null);
    int port = first.port();
    SshTarget t = target(port, "root");
    ssh(true).open(t).close();
    String before = Files.readString(knownHosts);
    first.close();

    KeyPair reinstalled = ed25519();
    server(reinstalled, port, clientKey, null);
    assertThatThrownBy(() -> ssh(true).open(t))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): host key CHANGED: %s has ssh-ed25519 %s, the host now offers"
                + " ssh-ed25519 key %s; not accepted (the host may have been reinstalled, or"
                + " someone is in between: check, then fix %s)",
            port,
            knownHosts,
            KeyUtils.getFingerPrint(hostKey.getPublic()),
            KeyUtils.getFingerPrint(reinstalled.getPublic()),
            knownHosts);
    assertThat(Files.readString(knownHosts)).isEqualTo(before);
  }

  @Test
  void aRevokedKeyIsRefusedEvenWithAcceptNewAndAKeyForAnotherPortDoesNotCount() throws Exception {
    TestSshServer server = server(hostKey, 0, clientKey, null);
    String key = PublicKeyEntry.toString(hostKey.getPublic());
    String lines =
        "[127.0.0.1]:1 " + key + "\n@revoked [127.0.0.1]:" + server.port() + " " + key + "\n";
    Files.writeString(knownHosts, lines);
    assertThatThrownBy(() -> ssh(true).open(target(server.port(), "root")))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): host key refused: ssh-ed25519 key %s is marked @revoked in %s",
            server.port(), KeyUtils.getFingerPrint(hostKey.getPublic()), knownHosts);
    assertThat(Files.readString(knownHosts)).isEqualTo(lines);

    Files.writeString(knownHosts, "[127.0.0.1]:1 " + key + "\n");
    assertThatThrownBy(() -> ssh(false).open(target(server.port(), "root")))
        .isInstanceOf(SshException.class)
        .hasMessageContaining("host key refused: unknown ssh-ed25519 key");
  }

  @Test
  void aKeyTheServerDoesNotTakeIsAnAuthenticationFailureNamingUserAndKeys() throws Exception {
    TestSshServer server = server(hostKey, 0, null, null);
    trust(server.port(), hostKey);
    assertThatThrownBy(() -> ssh(false).open(target(server.port(), "root")))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): authentication failed for user root (tried keys: id_ed25519)",
            server.port());
  }

  @Test
  void aListenerThatNeverSpeaksSshTimesOutWaitingForTheBanner() throws Exception {
    int silent = TestSshServer.silentListener(open);
    long start = System.nanoTime();
    Ssh ssh = ssh(false, Duration.ofSeconds(1));
    assertThatThrownBy(() -> ssh.open(target(silent, "root")))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): no answer within 1 s after connecting (the SSH banner never"
                + " came)",
            silent);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aListenerThatHangsUpAtOnceIsNotAnSshServer() throws Exception {
    ServerSocket rude = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  rude.accept().close();
                }
              } catch (IOException e) {
                // closed by the test
              }
            });
    acceptor.start();
    open.add(
        () -> {
          rude.close();
          acceptor.join(5000);
        });
    assertThatThrownBy(() -> ssh(false).open(target(rude.getLocalPort(), "root")))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): connection closed before the SSH banner came (is it an SSH"
                + " server?)",
            rude.getLocalPort());
  }

  @Test
  void aListenerWhoseQueueIsFullLetsTheConnectTimeOut() throws Exception {
    // A listener that never accepts: once its backlog is full the kernel drops further SYNs, so a
    // connect neither succeeds nor fails until the client gives up.
    ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    List<Socket> queued = new ArrayList<>();
    open.add(
        () -> {
          for (Socket q : queued) {
            q.close();
          }
          full.close();
        });
    for (int i = 0; i < 16; i++) {
      Socket q = new Socket();
      try {
        q.connect(full.getLocalSocketAddress(), 300);
        queued.add(q);
      } catch (java.net.SocketTimeoutException e) {
        q.close();
        break;
      }
    }
    Ssh ssh =
        new Ssh(
            new SshSettings(
                List.of(identity),
                knownHosts,
                false,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5)));
    open.add(ssh);
    assertThatThrownBy(() -> ssh.open(target(full.getLocalPort(), "root")))
        .isInstanceOf(SshException.class)
        .hasMessage("web01 (127.0.0.1:%d): connect timed out after 1 s", full.getLocalPort());
  }

  @Test
  void nothingListeningIsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> ssh(false).open(target(port, "root")))
        .isInstanceOf(SshException.class)
        .hasMessage("web01 (127.0.0.1:%d): connection refused", port);
  }

  @Test
  void aCommandThatHangsIsKilledAtItsTimeoutAndTheSessionStaysUsable() throws Exception {
    TestSshServer server = server(hostKey, 0, clientKey, null);
    trust(server.port(), hostKey);
    try (Session s = ssh(false).open(target(server.port(), "root"))) {
      assertThatThrownBy(() -> s.run("hang", Duration.ofMillis(500)))
          .isInstanceOf(SshException.class)
          .hasMessage("web01 (127.0.0.1:%d): command timed out after 0.5 s: hang", server.port());
      assertThat(server.hangDestroyed.await(5, TimeUnit.SECONDS))
          .as("the server side of the hung command was closed")
          .isTrue();
      assertThat(s.run("echo still here", Duration.ofSeconds(5)).stdout())
          .isEqualTo("still here\n");
    }
  }

  @Test
  void sudoThatWantsAPasswordIsAnErrorAndRootNeedsNoSudo() throws Exception {
    TestSshServer server = server(hostKey, 0, clientKey, null);
    trust(server.port(), hostKey);
    Ssh ssh = ssh(false);
    try (Session s = ssh.open(target(server.port(), "deploy"))) {
      assertThatThrownBy(() -> s.runAsRoot("cat /etc/shadow", Duration.ofSeconds(5)))
          .isInstanceOf(SshException.class)
          .hasMessage(
              "web01 (127.0.0.1:%d): sudo needs a password for deploy (kickdrift runs sudo -n;"
                  + " allow NOPASSWD for the scan command)",
              server.port());
    }
    try (Session s = ssh.open(target(server.port(), "root"))) {
      assertThat(s.runAsRoot("echo as root", Duration.ofSeconds(5)).stdout())
          .isEqualTo("as root\n");
    }
    assertThat(server.commands)
        .containsExactly("sudo -n -- sh -c 'cat /etc/shadow'", "echo as root");
  }

  /**
   * The login user's shell for another user than root: each command on a channel of its own, as
   * that user, never through sudo (the agent's cache in that user's home, AgentWay.install).
   */
  @Test
  void aLoginUsersShellRunsEachCommandAsThatUserWithoutSudo() throws Exception {
    TestSshServer server = server(hostKey, 0, clientKey, null);
    trust(server.port(), hostKey);
    try (Session s = ssh(false).open(target(server.port(), "deploy"))) {
      RemoteShell login = s.asLoginUser(null, Duration.ofSeconds(5));
      assertThat(login.run("echo one").text()).isEqualTo("one\n");
      RemoteShell.Output missing = login.run("nosuch");
      assertThat(missing.exit()).isEqualTo(127);
      assertThat(missing.stderr()).contains("nosuch: not found");
      assertThat(login.run("echo two").text()).isEqualTo("two\n");
      assertThat(login.name()).isEqualTo("web01 (127.0.0.1:" + server.port() + ")");
    }
    assertThat(server.commands).containsExactly("echo one", "nosuch", "echo two");
  }

  @Test
  void filesGoUpAndComeBackOverSftp() throws Exception {
    TestSshServer server = server(hostKey, 0, clientKey, null);
    trust(server.port(), hostKey);
    byte[] data = bytes(300_000);
    Path local = Files.write(dir.resolve("local.bin"), data);
    try (Session s = ssh(false).open(target(server.port(), "root"))) {
      s.upload(local, "/up.bin");
      assertThat(root.resolve("up.bin")).hasBinaryContent(data);
      assertThat(s.download("/up.bin")).isEqualTo(data);
      assertThatThrownBy(() -> s.download("/no/such/file"))
          .isInstanceOf(SshException.class)
          .hasMessageStartingWith(
              "web01 (127.0.0.1:" + server.port() + "): download of /no/such/file failed: ");
    }
  }

  @Test
  void aConnectionDroppedDuringAnUploadNamesHostAndPath() throws Exception {
    SftpEventListener dropOnWrite = onWriting((session, file) -> session.close(true));
    TestSshServer server = server(hostKey, 0, clientKey, dropOnWrite);
    trust(server.port(), hostKey);
    Path local = Files.write(dir.resolve("big.bin"), bytes(1 << 20));
    Session s = ssh(false).open(target(server.port(), "root"));
    open.add(s);
    assertThatThrownBy(() -> s.upload(local, "/big.bin"))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): connection lost during upload of %s to /big.bin",
            server.port(), local);
  }

  /** A listener that runs {@code hook} as a client is about to write a block of a file. */
  static SftpEventListener onWriting(BiConsumer<ServerSession, FileHandle> hook) {
    return new SftpEventListener() {
      @Override
      public void writing(
          ServerSession session,
          String remoteHandle,
          FileHandle localHandle,
          long offset,
          byte[] data,
          int dataOffset,
          int dataLen) {
        hook.accept(session, localHandle);
      }
    };
  }

  @Test
  void aConnectionDroppedDuringADownloadNamesHostAndPath() throws Exception {
    SftpEventListener dropOnRead =
        new SftpEventListener() {
          @Override
          public void reading(
              ServerSession session,
              String remoteHandle,
              FileHandle localHandle,
              long offset,
              byte[] data,
              int dataOffset,
              int dataLen) {
            if (offset > 0) {
              session.close(true); // after the first block went out
            }
          }
        };
    Files.write(root.resolve("big.bin"), bytes(1 << 20));
    TestSshServer server = server(hostKey, 0, clientKey, dropOnRead);
    trust(server.port(), hostKey);
    Session s = ssh(false).open(target(server.port(), "root"));
    open.add(s);
    assertThatThrownBy(() -> s.download("/big.bin"))
        .isInstanceOf(SshException.class)
        .hasMessage(
            "web01 (127.0.0.1:%d): connection lost during download of /big.bin", server.port());
  }

  @Test
  void aMissingOrPassphraseProtectedIdentityFailsWhenSshIsBuilt() throws Exception {
    Path missing = dir.resolve("no_such_key");
    assertThatThrownBy(() -> new Ssh(settings(missing)))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "identity %s cannot be read: no such file (give the private key, e.g."
                + " ~/.ssh/id_ed25519, with --identity)",
            missing);

    Path locked = dir.resolve("id_locked");
    OpenSSHKeyEncryptionContext enc = new OpenSSHKeyEncryptionContext();
    enc.setPassword("secret");
    enc.setCipherName("AES");
    enc.setCipherMode("CTR");
    enc.setCipherType("256");
    try (OutputStream o = Files.newOutputStream(locked)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "locked", enc, o);
    }
    assertThatThrownBy(() -> new Ssh(settings(locked)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "identity "
                + locked
                + " cannot be loaded (passphrase-protected keys are not supported)");
  }

  // ---- helpers ------------------------------------------------------------------------------

  static KeyPair ed25519() throws Exception {
    return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  TestSshServer server(KeyPair host, int port, KeyPair client, SftpEventListener sftp)
      throws IOException {
    TestSshServer s = new TestSshServer(host, port, client, root, sftp);
    open.add(s);
    return s;
  }

  Ssh ssh(boolean acceptNew) throws IOException {
    return ssh(acceptNew, Duration.ofSeconds(10));
  }

  Ssh ssh(boolean acceptNew, Duration authTimeout) throws IOException {
    Ssh ssh =
        new Ssh(
            new SshSettings(
                List.of(identity),
                knownHosts,
                acceptNew,
                Duration.ofSeconds(5),
                authTimeout,
                Duration.ofSeconds(5)));
    open.add(ssh);
    return ssh;
  }

  SshSettings settings(Path id) {
    return new SshSettings(
        List.of(id),
        knownHosts,
        false,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5));
  }

  void trust(int port, KeyPair host) throws IOException {
    Files.writeString(
        knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(host.getPublic()) + "\n");
  }

  static SshTarget target(int port, String user) {
    return new SshTarget("web01", "127.0.0.1", port, user);
  }
}
