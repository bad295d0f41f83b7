package io.kickdrift.server.serve;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * For tests: serve in this JVM on 127.0.0.1, free TFTP and HTTP ports, no DHCP, no DNS sync; an
 * inventory in which a client on loopback can be web01; what its database costs on disk; free ports
 * for a serve process.
 */
final class ServeOnLoopback {
  static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  static final String WEB01 = "web01.lab.example.com";

  /** web01's pxelinux menu, by its first MAC. */
  static final String MENU = "pxelinux.cfg/01-52-54-00-12-34-01";

  /** web01's address in {@link #exampleWithWeb01At127002}, from which its installer may ask. */
  static final String WEB01_IP = "127.0.0.2";

  private ServeOnLoopback() {}

  /** A TCP port free on this machine a moment ago. */
  static int freeTcp() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A UDP port free on this machine a moment ago. */
  static int freeUdp() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The example inventory, written to {@code file}, with web01 at {@link #WEB01_IP} in a subnet
   * 127.0.0.0/24: kickstarts and callbacks from that address pass the address rule, from 127.0.0.1
   * they do not.
   */
  static Path exampleWithWeb01At127002(Path file) throws IOException {
    String text = Files.readString(EXAMPLE);
    if (!text.contains("ip: 192.0.2.21\n") || !text.contains("subnets:\n")) {
      throw new IllegalStateException(EXAMPLE + ": web01's ip 192.0.2.21 or subnets: not found");
    }
    return Files.writeString(
        file,
        text.replace("ip: 192.0.2.21\n", "ip: " + WEB01_IP + "\n")
            .replace("subnets:\n", "subnets:\n  - network: 127.0.0.0/24\n"));
  }

  /**
   * {@code prefix... java -jar target/kickdrift.jar serve} with {@code inventory}, on 127.0.0.1 at
   * these ports, with {@code state}, then {@code more} options.
   */
  static List<String> serveCommand(
      List<String> prefix, Path inventory, int tftpPort, int httpPort, Path state, String... more) {
    return serveCommand(
        Path.of("target/kickdrift.jar"), prefix, inventory, tftpPort, httpPort, state, more);
  }

  /** The same with another copy of the jar (see {@code Cmd.readableCopy}). */
  static List<String> serveCommand(
      Path jar,
      List<String> prefix,
      Path inventory,
      int tftpPort,
      int httpPort,
      Path state,
      String... more) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("serve", "--inventory", inventory.toString(), "--bind", "127.0.0.1"));
    args.addAll(List.of("--tftp-port", Integer.toString(tftpPort)));
    args.addAll(List.of("--http-port", Integer.toString(httpPort), "--state", state.toString()));
    args.addAll(List.of(more));
    // SIGHUP as the JVM finds it by default, even when the tests run under nohup (which ignores
    // it, and an ignored SIGHUP stays ignored in every child): the reload tests send it
    List<String> first = new ArrayList<>(List.of("env", "--default-signal=HUP"));
    first.addAll(prefix);
    return Cmd.javaJar(first, jar.toString(), args.toArray(String[]::new));
  }

  /** The state database and its write-ahead log, in bytes. */
  static long databaseBytes(Path state) throws IOException {
    long total = 0;
    for (String name : List.of("kickdrift.db", "kickdrift.db-wal")) {
      Path f = state.resolve(name);
      total += Files.exists(f) ? Files.size(f) : 0;
    }
    return total;
  }

  static Serve start(Path inventory, Path state, Path root, Consumer<String> log) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Serve.Options options =
        new Serve.Options(
            inventory,
            state,
            Files.createDirectories(root),
            null,
            loopback,
            0,
            0,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            null);
    return Serve.start(options, log);
  }
}
