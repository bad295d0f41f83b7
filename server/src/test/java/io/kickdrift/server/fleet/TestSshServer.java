package io.kickdrift.server.fleet;

import io.kickdrift.testkit.OpenedInTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process MINA SSHD server on 127.0.0.1 for one client key, with scripted commands and an
 * SFTP subsystem rooted in a directory. Commands: {@code echo WORDS}, {@code hang} (never ends),
 * anything starting {@code sudo -n} (asks for a password and exits 1); others exit 127. Every
 * command received is kept in {@link #commands}.
 */
final class TestSshServer implements AutoCloseable {
  final List<String> commands = new CopyOnWriteArrayList<>();

  /** Counted down when the server side of a {@code hang} is destroyed (its channel closed). */
  final CountDownLatch hangDestroyed = new CountDownLatch(1);

  private final SshServer server = SshServer.setUpDefaultServer();
  private final ExecutorService exec = Executors.newCachedThreadPool();

  /**
   * @param port 0 for any; a port to take again when restarting with another host key
   * @param clientKey the one key let in, or {@code null} to let no key in
   * @param sftp listens to SFTP events (e.g. to drop the session mid-transfer), may be null
   */
  TestSshServer(KeyPair hostKey, int port, KeyPair clientKey, Path root, SftpEventListener sftp)
      throws IOException {
    server.setHost("127.0.0.1");
    server.setPort(port);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, s) -> clientKey != null && KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setCommandFactory((channel, command) -> new Scripted(command));
    SftpSubsystemFactory sub = new SftpSubsystemFactory();
    if (sftp != null) {
      sub.addSftpEventListener(sftp);
    }
    server.setSubsystemFactories(List.of(sub));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    server.start();
  }

  int port() {
    return server.getPort();
  }

  /** A plain listener on 127.0.0.1 that accepts connections and never sends a byte. */
  static int silentListener(OpenedInTest open) throws IOException {
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> accepted = new ArrayList<>();
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(silent.accept());
                }
              } catch (IOException e) {
                // closed by the test
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    open.add(
        () -> {
          silent.close();
          acceptor.join(5000);
          for (Socket s : accepted) {
            s.close();
          }
        });
    return silent.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    try {
      server.stop(true);
    } finally {
      exec.shutdownNow();
    }
  }

  private final class Scripted extends TestCommand {
    private final String command;

    Scripted(String command) {
      this.command = command;
      commands.add(command);
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      if (command.equals("hang")) {
        return; // never answers, never exits
      }
      exec.execute(
          () -> {
            try {
              if (command.startsWith("echo ")) {
                print(out, command.substring(5) + "\n");
                exit.onExit(0);
              } else if (command.startsWith("sudo -n")) {
                print(err, "sudo: a password is required\n");
                exit.onExit(1);
              } else {
                print(err, "sh: 1: " + command + ": not found\n");
                exit.onExit(127);
              }
            } catch (IOException e) {
              exit.onExit(255, e.toString());
            }
          });
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (command.equals("hang")) {
        hangDestroyed.countDown();
      }
    }
  }
}
