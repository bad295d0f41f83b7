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
public final class PostgresCluster implements AutoCloseable {
  private final List<String> as;
  private final Path bin;
  private final Path data;
  private final int port;
  private final String password;
  private final String host;
  private int databases;

  private PostgresCluster(
      List<String> as, Path bin, Path data, String host, int port, String password) {
    this.as = as;
    this.host = host;
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.password = password;
  }

  /** Starts a new cluster under {@code scratch} (which other users can traverse). */
  public static PostgresCluster start(Path scratch) throws Exception {
    return start(scratch, null, "127.0.0.1");
  }

  /**
   * Starts a new cluster under {@code scratch} inside network namespace {@code netns} (null: this
   * one), listening on {@code host}; there, {@link #newDatabase} and {@link #psql} go through
   * {@code psql} in that namespace.
   */
  public static PostgresCluster start(Path scratch, String netns, String host) throws Exception {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> as = new ArrayList<>();
    if (netns != null) {
      as.addAll(List.of("ip", "netns", "exec", netns));
    }
    if (root) {
      as.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
    }
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
    if (!host.equals("127.0.0.1")) {
      // initdb lets in loopback only; the test network is TEST-NET-1
      Files.writeString(
          data.resolve("pg_hba.conf"),
          "host all all 192.0.2.0/24 scram-sha-256\n",
          java.nio.file.StandardOpenOption.APPEND);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free here; a new namespace has every port free
    }
    PostgresCluster cluster = new PostgresCluster(as, bin, data, host, port, password);
    cluster.restart();
    return cluster;
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

  public String user() {
    return "kickdrift";
  }

  public String password() {
    return password;
  }

  /** A new, empty database of its own, as a JDBC URL. */
  public synchronized String newDatabase() throws Exception {
    String name = "kd" + (++databases);
    if (as.size() > 0 && as.get(0).equals("ip")) {
      psql("postgres", "CREATE DATABASE " + name);
      return url(name);
    }
    try (Connection c = DriverManager.getConnection(url("postgres"), user(), password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  /** What {@code psql -At} prints for {@code sql} in {@code database} (as this cluster's user). */
  public String psql(String database, String sql) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (as.size() > 0 && as.get(0).equals("ip")) {
      cmd.addAll(as.subList(0, 4));
    }
    cmd.addAll(
        List.of(
            "env",
            "PGPASSWORD=" + password,
            bin.resolve("psql").toString(),
            "-X",
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            host,
            "-p",
            Integer.toString(port),
            "-U",
            user(),
            "-d",
            database,
            "-c",
            sql));
    Cmd.Result r = Cmd.run(cmd);
    assertThat(r.exit()).as("psql " + sql + "\n" + r.err()).isZero();
    return r.out();
  }

  public String url(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** {@code postgresql://USER@HOST:PORT/DATABASE}, as {@code --database} takes it. */
  public String libpqUrl(String database) {
    return "postgresql://" + user() + "@" + host + ":" + port + "/" + database;
  }

  /**
   * Stops the server at once, as a crash would ({@code -m immediate}); start it again with {@link
   * #restart}.
   */
  public void crash() throws Exception {
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

  /** Starts the server (again, after {@link #crash}) on its port. */
  public void restart() throws Exception {
    Path dir = data.getParent();
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
        "-h " + host + " -p " + port + " -k " + dir,
        "start");
  }

  /** Stops the server at once when it runs ({@code -m immediate}). */
  @Override
  public void close() throws Exception {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      crash();
    }
  }
}
