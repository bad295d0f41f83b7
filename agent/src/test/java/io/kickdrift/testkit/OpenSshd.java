package io.kickdrift.testkit;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1 for integration tests: key-only login, its own config,
 * host key and authorized keys in a test directory, logging to a file. Stop it with {@link #close},
 * even when the test fails.
 */
public final class OpenSshd implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private OpenSshd(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Writes {@code dir/sshd_config}: host key {@code dir/HOSTKEY}, authorized keys {@code
   * dir/authorized_keys}, only {@code user} allowed, no passwords, no PAM, plus {@code extra}
   * lines.
   */
  public static Path config(Path dir, String hostKey, String user, String... extra)
      throws IOException {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "HostKey " + dir.resolve(hostKey),
                "ListenAddress 127.0.0.1",
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "PidFile " + dir.resolve("sshd.pid"),
                "AllowUsers " + user));
    lines.addAll(List.of(extra));
    lines.add("");
    return Files.writeString(dir.resolve("sshd_config"), String.join("\n", lines));
  }

  /**
   * Prepares {@code dir} for an sshd that lets {@code user} in with {@code clientKey} (made by
   * {@link #keygen}; its .pub is the only authorized key): a new host key {@code host_ed25519} and
   * {@link #config} with {@code extra} lines. Returns the config file.
   */
  public static Path prepare(Path dir, Path clientKey, String user, String... extra)
      throws Exception {
    keygen(dir.resolve("host_ed25519"));
    Files.copy(Path.of(clientKey + ".pub"), dir.resolve("authorized_keys"));
    return config(dir, "host_ed25519", user, extra);
  }

  /**
   * Starts {@code sshd -D -E LOG -f CONFIG}. sshd cannot listen on port 0, so the kernel picks a
   * free port for a socket of ours, which sshd then takes; its "Server listening" line confirms it.
   * If another process took the port in between, sshd fails to bind and another is tried.
   */
  public static OpenSshd start(Path config, Path log) throws Exception {
    return start(config, log, List.of());
  }

  /**
   * The prefix that runs sshd in a mount namespace of its own, after {@code script} ({@code sh -c},
   * its arguments {@code $0}, {@code $1}, …, then {@code shift N && exec "$@"} at its end).
   */
  public static List<String> inMountNamespace(String script, String... args) {
    List<String> prefix =
        new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script));
    prefix.addAll(List.of(args));
    return prefix;
  }

  /** {@link #inMountNamespace}: {@code root} bind-mounted at {@code at}, where scans look. */
  public static List<String> withRootAt(Path root, Path at) {
    return inMountNamespace(
        "mount --bind \"$0\" \"$1\" && shift && exec \"$@\"", root.toString(), at.toString());
  }

  /**
   * As {@link #start(Path, Path)}, with sshd run through {@code prefix} (for example {@code unshare
   * -m … sh -c 'mount … && exec "$@"' sh}, to give it a mount namespace of its own).
   */
  public static OpenSshd start(Path config, Path log, List<String> prefix) throws Exception {
    Cmd.require("sshd", "openssh-server");
    // sshd's compiled-in privilege separation directory; Debian creates it only at boot.
    Files.createDirectories(Path.of("/run/sshd"));
    for (int attempt = 0; attempt < 3; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      List<String> command = new ArrayList<>(prefix);
      command.addAll(
          List.of(
              "/usr/sbin/sshd",
              "-D",
              "-E",
              log.toString(),
              "-f",
              config.toString(),
              "-p",
              Integer.toString(port)));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      OpenSshd sshd = new OpenSshd(p, port, log);
      String listening = "Server listening on 127.0.0.1 port " + port;
      for (int i = 0; i < 100 && p.isAlive(); i++) {
        if (Files.exists(log) && Files.readString(log).contains(listening)) {
          return sshd;
        }
        Thread.sleep(50);
      }
      sshd.close();
    }
    throw new AssertionError("sshd did not start: " + Files.readString(log));
  }

  /** An unencrypted ed25519 key pair at {@code file} and {@code file.pub}, by ssh-keygen. */
  public static void keygen(Path file) throws Exception {
    Cmd.require("ssh-keygen", "openssh-client");
    Cmd.ok(
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "kickdrift-test",
        "-f",
        file.toString());
  }

  public int port() {
    return port;
  }

  /** A known_hosts line for this sshd on 127.0.0.1 with the public key in {@code pubKey}. */
  public String knownHostsLine(Path pubKey) throws IOException {
    return "[127.0.0.1]:" + port + " " + Files.readString(pubKey).strip() + "\n";
  }

  /** What sshd logged so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
