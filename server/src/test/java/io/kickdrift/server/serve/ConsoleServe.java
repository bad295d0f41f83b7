package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.OpenSshd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * serve as a process from {@code target/kickdrift.jar} for the console's browser tests: on
 * 127.0.0.1 at ports the kernel chose (read back from its log), with its own state, a users file
 * written by the real {@code kickdrift user add}, and optionally a config repository ({@code
 * --scan-repo}). The CLI ({@link #cli}) reaches the same state and users through a configuration
 * file, as an operator's shell would through /etc/kickdrift/kickdrift.yaml.
 *
 * <p>Example: {@code try (ConsoleServe s = ConsoleServe.start(dir, inventory, repo,
 * List.of(OPERATOR))) { driver.get(s.url("/ui/")); }}
 */
final class ConsoleServe implements AutoCloseable {
  /** A console user the harness adds before serve starts. */
  record User(String name, String role, String password) {}

  private static final Pattern HTTP_AT =
      Pattern.compile("http listening on http://127.0.0.1:(\\d+)/");
  private static final Pattern TFTP_AT = Pattern.compile("tftp listening on udp 127.0.0.1:(\\d+)");
  private static final Duration START = Duration.ofSeconds(90);

  private final Path dir;
  private final Path config;
  private final Path log;
  private final Process process;
  private int httpPort;
  private int tftpPort;

  private ConsoleServe(Path dir, Path config, Path log, Process process) {
    this.dir = dir;
    this.config = config;
    this.log = log;
    this.process = process;
  }

  /**
   * Adds {@code users} with {@code kickdrift user add}, then starts serve with {@code inventory},
   * the users file, {@code scanRepo} (may be null) and {@code more} options, and waits until {@code
   * /readyz} answers 200. Everything lives under {@code dir}.
   */
  static ConsoleServe start(
      Path dir, Path inventory, Path scanRepo, List<User> users, String... more) throws Exception {
    Files.createDirectories(dir);
    Path state = dir.resolve("state");
    Path usersFile = dir.resolve("users.yaml");
    StringBuilder yaml =
        new StringBuilder("state:\n  dir: " + state + "\ninventory: " + inventory + "\n");
    if (!users.isEmpty()) {
      yaml.append("users: ").append(usersFile).append('\n');
    }
    Path config = Files.writeString(dir.resolve("kickdrift.yaml"), yaml.toString());
    Cmd.Result init = run(Cmd.javaJar(List.of(), "target/kickdrift.jar", "init"), config, "");
    assertThat(init.exit()).as("kickdrift init: %s%s", init.out(), init.err()).isZero();
    for (User u : users) {
      Cmd.Result r =
          run(
              Cmd.javaJar(
                  List.of(),
                  "target/kickdrift.jar",
                  "user",
                  "add",
                  u.name(),
                  "--role",
                  u.role(),
                  "--password-stdin"),
              config,
              u.password() + "\n");
      assertThat(r.exit())
          .as("kickdrift user add %s --role %s: %s%s", u.name(), u.role(), r.out(), r.err())
          .isZero();
    }
    List<String> options = new ArrayList<>();
    if (!users.isEmpty()) {
      options.addAll(List.of("--users", usersFile.toString()));
    }
    if (scanRepo != null) {
      // serve will not start its baseline scans without a key to log in with; none runs during a
      // test all the same (the hosts are not there to be scanned over SSH)
      Path key = dir.resolve("id_ed25519");
      OpenSshd.keygen(key);
      options.addAll(
          List.of(
              "--scan-repo",
              scanRepo.toString(),
              "--scan-identity",
              key.toString(),
              "--scan-delay",
              "1h"));
    }
    options.addAll(List.of(more));
    Path log = dir.resolve("serve.log");
    Process p =
        new ProcessBuilder(
                ServeOnLoopback.serveCommand(
                    List.of(), inventory, 0, 0, state, options.toArray(String[]::new)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    ConsoleServe serve = new ConsoleServe(dir, config, log, p);
    try {
      serve.awaitReady();
      return serve;
    } catch (Throwable t) {
      serve.close();
      throw t;
    }
  }

  private void awaitReady() {
    waiting("serve to listen")
        .until(
            s -> {
              assertThat(process.isAlive()).as("serve exited:%n%s", logText()).isTrue();
              return HTTP_AT.matcher(logText()).find() && TFTP_AT.matcher(logText()).find();
            });
    Matcher h = HTTP_AT.matcher(logText());
    Matcher t = TFTP_AT.matcher(logText());
    assertThat(h.find() && t.find()).isTrue();
    httpPort = Integer.parseInt(h.group(1));
    tftpPort = Integer.parseInt(t.group(1));
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest readyz =
        HttpRequest.newBuilder(URI.create(url("/readyz"))).timeout(Duration.ofSeconds(10)).build();
    waiting("/readyz to answer 200")
        .until(
            s -> {
              assertThat(process.isAlive()).as("serve exited:%n%s", logText()).isTrue();
              try {
                return client.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
  }

  private FluentWait<ConsoleServe> waiting(String what) {
    return new FluentWait<>(this)
        .withTimeout(START)
        .pollingEvery(Duration.ofMillis(100))
        .withMessage(() -> what + "; serve's log " + log + ":\n" + logText());
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
  String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** A file fetched over TFTP by tftp-hpa, the client of most Linux machines. */
  String tftp(String name) throws Exception {
    Path out = dir.resolve("tftp-" + System.nanoTime());
    Cmd.Result r = TftpHpa.get(new InetSocketAddress("127.0.0.1", tftpPort), name, out);
    assertThat(r.exit()).as("tftp get %s: %s%s", name, r.out(), r.err()).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** {@code kickdrift ARGS} with this serve's configuration file (state, inventory, users). */
  Cmd.Result cli(String... args) throws Exception {
    return run(Cmd.javaJar(List.of(), "target/kickdrift.jar", args), config, "");
  }

  /**
   * A personal API token made by {@code kickdrift token create --user USER --scope SCOPE}; the
   * token is the {@code kd_ID_SECRET} word of its output.
   */
  String apiToken(String user, String scope) throws Exception {
    Cmd.Result r = cli("token", "create", "--user", user, "--scope", scope);
    assertThat(r.exit()).as("kickdrift token create: %s%s", r.out(), r.err()).isZero();
    Matcher m = Pattern.compile("\\bkd_[A-Za-z0-9_-]+").matcher(r.out());
    assertThat(m.find()).as("a kd_ID_SECRET token in:%n%s", r.out()).isTrue();
    return m.group();
  }

  /**
   * The install callback URL path of {@code host} ({@code /callback/HOST/TOKEN}), taken from the
   * kickstart {@code kickdrift render} writes with serve's signing key.
   */
  String callbackPath(String host) throws Exception {
    Path out = dir.resolve("render-" + System.nanoTime());
    Cmd.Result r = cli("render", "--out", out.toString());
    assertThat(r.exit()).as("kickdrift render: %s%s", r.out(), r.err()).isZero();
    String ks = Files.readString(out.resolve("kickstarts/" + host + ".ks"));
    Matcher m = Pattern.compile("/callback/" + Pattern.quote(host) + "/([0-9a-f]{32})").matcher(ks);
    assertThat(m.find()).as("a callback URL in %s's kickstart", host).isTrue();
    return m.group();
  }

  /** What serve has logged so far. */
  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(" + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops serve with SIGTERM (its shutdown hook runs), forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code command} with {@code KICKDRIFT_CONFIG=config} and {@code stdin} as its input. */
  private static Cmd.Result run(List<String> command, Path config, String stdin)
      throws IOException, InterruptedException {
    Path in = Files.createTempFile("console-stdin", ".txt");
    Path out = Files.createTempFile("console-cmd", ".out");
    Path err = Files.createTempFile("console-cmd", ".err");
    try {
      Files.writeString(in, stdin);
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment()
          .putAll(
              Map.of(
                  "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "LANG", "C.UTF-8",
                  "KICKDRIFT_CONFIG", config.toString()));
      pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + command);
      }
      return new Cmd.Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
