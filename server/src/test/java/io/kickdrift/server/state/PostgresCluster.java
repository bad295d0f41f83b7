package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for one test class: Debian's server binaries ({@code postgresql}),
 * {@code initdb} in a scratch directory with a password for user {@code kickdrift} (SCRAM), the
 * server on 127.0.0.1 at a free port with its socket in the scratch directory, and {@code pg_ctl
 * stop -m immediate} on close. PostgreSQL refuses to run as root: as root, its commands run as the
 * {@code postgres} user the package made. A missing package fails the test.
 */
final class PostgresCluster implements AutoCloseable {
  private final List<String> as;
  private final Path bin;
  private final Path data;
  private final int port;
  private final String password;
  private int databases;

  private PostgresCluster(List<String> as, Path bin, Path data, int port, String password) {
    this.as = as;
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.password = password;
  }

  /** Starts a new cluster under {@code scratch} (which other users can traverse). */
  static PostgresCluster start(Path scratch) throws Exception {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> as =
        root
            ? List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups")
            : List.of();
    Path dir = Files.createDirectories(scratch.resolve("postgresql"));
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    Path pwfile = Files.writeString(dir.resolve("pwfile"), password + "\n");
    if (root) {
      Cmd.ok("chown", "-R", "postgres:postgres", dir.toString());
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path data = dir.resolve("data");
    run(
        as,
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        "kickdrift",
        "--auth=scram-sha-256",
        "--pwfile=" + pwfile,
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-instructions");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    run(
        as,
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-h 127.0.0.1 -p " + port + " -k " + dir,
        "start");
    return new PostgresCluster(as, bin, data, port, password);
  }

  /** The newest server version Debian's packages installed. */
  private static Path binaries() throws IOException {
    Path lib = Path.of("/usr/lib/postgresql");
    List<Path> versions = new ArrayList<>();
    if (Files.isDirectory(lib)) {
      try (Stream<Path> s = Files.list(lib)) {
        s.filter(p -> Files.isExecutable(p.resolve("bin/initdb"))).forEach(versions::add);
      }
    }
    if (versions.isEmpty()) {
      throw new AssertionError(
          "PostgreSQL's server is not installed: apt-get install -y postgresql (see .ci/run)");
    }
    versions.sort(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString())));
    return versions.get(versions.size() - 1).resolve("bin");
  }

  private static void run(List<String> as, String... command) throws Exception {
    List<String> all = new ArrayList<>(as);
    all.addAll(List.of(command));
    Cmd.Result r = Cmd.run(all);
    assertThat(r.exit()).as(String.join(" ", all) + "\n" + r.out() + r.err()).isZero();
  }

  String user() {
    return "kickdrift";
  }

  String password() {
    return password;
  }

  /** A new, empty database of its own, as a JDBC URL. */
  synchronized String newDatabase() throws Exception {
    String name = "kd" + (++databases);
    try (Connection c = DriverManager.getConnection(url("postgres"), user(), password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Stops the server at once, as a crash would ({@code -m immediate}). */
  @Override
  public void close() throws Exception {
    run(
        as,
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-m",
        "immediate",
        "-w",
        "stop");
  }
}
