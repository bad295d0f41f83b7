package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real clients (atftp, tftp-hpa, curl) download from our server on 127.0.0.1 and ::1: an empty
 * file, exactly one 512-byte block, and 512 * 65536 + 1 bytes (the block number rolls over).
 */
class TftpClientsIT {
  static final long ROLLOVER = 512L * 65536 + 1;

  @TempDir static Path dir;
  static Path root;
  static final Queue<String> log = new ConcurrentLinkedQueue<>();
  static TftpServer v4;
  static TftpServer v6;
  static InetSocketAddress at4;
  static InetSocketAddress at6;

  @BeforeAll
  static void start() throws Exception {
    Cmd.requireAll("atftp=atftp", "tftp=tftp-hpa", "curl=curl");
    root = Files.createDirectories(dir.resolve("root"));
    Files.write(root.resolve("empty"), new byte[0]);
    Files.write(root.resolve("one-block"), random(512));
    try (OutputStream out = Files.newOutputStream(root.resolve("rollover"))) {
      byte[] chunk = random(1 << 20);
      for (long left = ROLLOVER; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(left, chunk.length));
      }
    }
    TftpServer.Settings settings = TftpServer.Settings.defaults();
    v4 = new TftpServer(new RootSource(root), settings, log::add);
    at4 = v4.start(new InetSocketAddress("127.0.0.1", 0));
    v6 = new TftpServer(new RootSource(root), settings, log::add);
    at6 = v6.start(new InetSocketAddress("::1", 0));
  }

  @AfterAll
  static void stop() {
    if (v4 != null) {
      v4.close();
    }
    if (v6 != null) {
      v6.close();
    }
  }

  static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** A client and the options it asks for; the test adds the server, file and local path. */
  enum Client {
    ATFTP_WITH_WINDOWSIZE_BLKSIZE_AND_TSIZE(
        "atftp", "--option", "windowsize 16", "--option", "blksize 1428", "--option", "tsize 0"),
    ATFTP_WITH_BLKSIZE("atftp", "--option", "blksize 1428"),
    ATFTP_PLAIN_RFC1350("atftp"),
    TFTP_HPA("tftp", "-m", "binary"),
    CURL_WITH_BLKSIZE("curl", "-sS", "--tftp-blksize", "1428");

    final List<String> options;

    Client(String... options) {
      this.options = List.of(options);
    }

    List<String> command(String host, int port, String file, Path local) {
      List<String> command = new ArrayList<>(options);
      String at = Integer.toString(port);
      switch (options.get(0)) {
        case "atftp" -> command.addAll(List.of("-g", "-r", file, "-l", local.toString(), host, at));
        case "tftp" -> command.addAll(List.of(host, at, "-v", "-c", "get", file, local.toString()));
        default -> {
          String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + at;
          command.addAll(List.of("-o", local.toString(), "tftp://" + authority + "/" + file));
        }
      }
      return command;
    }
  }

  /** Runs a client that writes {@code file} to a fresh local path, then compares SHA-256. */
  static void download(Client client, String host, int port, String file) throws Exception {
    Path local = Files.createTempFile(dir, client + "-" + file, "");
    List<String> command = client.command(host, port, file, local);
    Cmd.Result r = Cmd.run(command);
    assertThat(r.exit()).as("%s:%n%s%s%nserver log: %s", command, r.out(), r.err(), log).isZero();
    assertThat(local).exists();
    assertThat(sha256(local)).as(String.join(" ", command)).isEqualTo(sha256(root.resolve(file)));
  }

  static Stream<Arguments> clientsAndFiles() {
    return Stream.of(Client.values())
        .filter(c -> c != Client.ATFTP_WITH_BLKSIZE)
        .flatMap(c -> Stream.of("empty", "one-block", "rollover").map(f -> Arguments.of(c, f)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("clientsAndFiles")
  void overIpv4(Client client, String file) throws Exception {
    download(client, "127.0.0.1", at4.getPort(), file);
  }

  @Test
  void overIpv6() throws Exception {
    download(Client.ATFTP_WITH_BLKSIZE, "::1", at6.getPort(), "one-block");
    download(Client.CURL_WITH_BLKSIZE, "::1", at6.getPort(), "rollover");
  }

  @Test
  void aRefusedPathFailsTheClientAndIsLogged() throws Exception {
    Path local = Files.createTempFile(dir, "curl-refused", "");
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-o", local.toString()));
    cmd.add("tftp://127.0.0.1:" + at4.getPort() + "/..%2f..%2fetc%2fpasswd");
    Cmd.Result r = Cmd.run(cmd);
    assertThat(r.exit()).isNotZero();
    assertThat(log).anyMatch(l -> l.contains("refused ../../etc/passwd: outside the served root"));
  }
}
