package io.kickdrift.agent.repo;

import static io.kickdrift.agent.repo.ConfigRepoIT.HOST;
import static io.kickdrift.agent.repo.ConfigRepoIT.scan;
import static io.kickdrift.testkit.GitCli.assertFsckClean;
import static io.kickdrift.testkit.GitCli.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.ScratchDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code scan --repo --push http://…}: to bare repositories served by git's own {@code git
 * http-backend} behind a small Python HTTP server on 127.0.0.1 (test resource {@code
 * git-http-server.py}), one open and one that asks for a Basic login.
 */
class HttpPushIT {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-http-push-it");
  static final String BACKEND = "/usr/lib/git-core/git-http-backend";
  static final String PASSWORD = "s3cret-pw";
  static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1 port (\\d+)");

  /** A running server: its process, log, port and the directory it serves. */
  record Server(Process process, Path logFile, int port, Path projects) {
    String url(String repo) {
      return "http://127.0.0.1:" + port + "/" + repo;
    }

    String log() throws IOException {
      return Files.readString(logFile);
    }
  }

  static Path dir;
  static Server open;
  static Server login;

  @BeforeAll
  static void setUp() throws Exception {
    ConfigRepoIT.buildRoot(scratch.path());
    Cmd.require("git", "git");
    Cmd.require("python3", "python3");
    assertThat(Path.of(BACKEND))
        .as("git http-backend is not installed: apt-get install -y git (see .ci/run)")
        .isExecutable();
    dir = Files.createDirectories(ConfigRepoIT.work.resolve("http"));
    Path script = dir.resolve("git-http-server.py");
    try (InputStream in = HttpPushIT.class.getResourceAsStream("git-http-server.py")) {
      assertThat(in).as("test resource git-http-server.py").isNotNull();
      Files.copy(in, script);
    }
    Path users = Files.writeString(dir.resolve("users"), "drift:" + PASSWORD + "\n");
    open = start(script, "open", null);
    login = start(script, "login", users);
  }

  /** Starts the server on port 0 and reads back the port the kernel gave it. */
  static Server start(Path script, String name, Path users) throws Exception {
    Path projects = Files.createDirectories(dir.resolve(name));
    Path log = dir.resolve(name + ".log");
    List<String> cmd =
        new ArrayList<>(List.of("/usr/bin/python3", "-u", script.toString(), projects.toString()));
    if (users != null) {
      cmd.add(users.toString());
    }
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    for (int i = 0; i < 200 && p.isAlive(); i++) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return new Server(p, log, Integer.parseInt(m.group(1)), projects);
      }
      Thread.sleep(50);
    }
    stop(p);
    throw new AssertionError("the git HTTP server did not start: " + Files.readString(log));
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (open != null) {
        stop(open.process());
      }
    } finally {
      if (login != null) {
        stop(login.process());
      }
    }
  }

  static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void aScanPushesOverSmartHttpAndANoChangeScanIsUpToDate() throws Exception {
    Remote remote = bare(open, "drift.git");
    Path repo = ConfigRepoIT.work.resolve("http-push.git");
    Cmd.Result r = push(repo, remote.url());
    String head = PushIT.assertPushed(r, open.log(), repo, remote.url(), remote.path());
    assertThat(git(remote.path(), "log", "--format=%s", "drift/web01").lines())
        .containsExactlyElementsOf(PushIT.FIRST_SCAN);
    // It went through git http-backend's smart protocol, not some other way in.
    assertThat(open.log())
        .contains(
            "\"GET /drift.git/info/refs?service=git-receive-pack HTTP/1.1\" 200",
            "\"POST /drift.git/git-receive-pack HTTP/1.1\" 200");

    Cmd.Result again = push(repo, remote.url());
    assertThat(again.exit()).as(again.err()).isEqualTo(1);
    assertThat(again.err())
        .contains("nothing new", "push " + remote.url() + " drift/web01: up to date");
    assertThat(git(remote.path(), "rev-parse", "drift/web01").out().strip()).isEqualTo(head);
    assertFsckClean(remote.path());
  }

  @Test
  void aUrlTheServerAnswers404ForExitsTwoNamingItAndTheLocalRepositoryIsUnchanged()
      throws Exception {
    Path repo = ConfigRepoIT.work.resolve("http-404.git");
    assertThat(scan(ConfigRepoIT.root, repo, "--host", HOST).exit()).isEqualTo(1);
    String before = snapshot(repo);
    String url = open.url("no-such.git");
    Cmd.Result r = push(repo, url);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("nothing new", "cannot push to " + url + " (drift/web01): ", "not found");
    assertThat(open.log())
        .contains("\"GET /no-such.git/info/refs?service=git-receive-pack HTTP/1.1\" 404");
    assertThat(snapshot(repo)).isEqualTo(before);
    assertThat(Files.exists(open.projects().resolve("no-such.git"))).isFalse();
    assertFsckClean(repo);
  }

  @Test
  void aServerThatAsksForALoginGetsTheOneInPushCredentialsAndOnlyThatOne() throws Exception {
    Remote remote = bare(login, "drift.git");
    Path repo = ConfigRepoIT.work.resolve("http-login.git");

    Cmd.Result none = push(repo, remote.url());
    assertThat(none.exit()).as(none.err()).isEqualTo(2);
    assertThat(none.err())
        .contains(
            "cannot push to " + remote.url() + " (drift/web01): ",
            "Authentication is required",
            "--push-credentials FILE");

    Path wrong = Files.writeString(dir.resolve("wrong"), "drift:not-it\n");
    Cmd.Result denied = push(repo, remote.url(), wrong);
    assertThat(denied.exit()).as(denied.err()).isEqualTo(2);
    assertThat(denied.err())
        .contains("cannot push to " + remote.url() + " (drift/web01): ", "not authorized");
    assertThat(git(remote.path(), "for-each-ref").out()).isEmpty();

    Path malformed = Files.writeString(dir.resolve("malformed"), PASSWORD + "\n");
    Cmd.Result bad = push(repo, remote.url(), malformed);
    assertThat(bad.exit()).as(bad.err()).isEqualTo(2);
    assertThat(bad.err()).contains(malformed + ":1: expected user:password");
    Path missing = dir.resolve("no-such-file");
    Cmd.Result unreadable = push(repo, remote.url(), missing);
    assertThat(unreadable.exit()).as(unreadable.err()).isEqualTo(2);
    assertThat(unreadable.err()).contains("credentials " + missing + " cannot be read");
    assertThat(git(remote.path(), "for-each-ref").out()).isEmpty();

    Cmd.Result ok = push(repo, remote.url(), dir.resolve("users"));
    PushIT.assertPushed(ok, login.log(), repo, remote.url(), remote.path());
    assertThat(login.log()).contains("\"POST /drift.git/git-receive-pack HTTP/1.1\" 200");
    assertFsckClean(remote.path());
    // The wrong login was answered 401 by the server itself, not refused on our side.
    assertThat(login.log())
        .contains("\"GET /drift.git/info/refs?service=git-receive-pack HTTP/1.1\" 401");
    // The password is read from the file and said nowhere.
    for (Cmd.Result r : List.of(none, denied, bad, ok)) {
      assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A scan of ConfigRepoIT's root into {@code repo} that pushes to {@code url}. */
  static Cmd.Result push(Path repo, String url, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--host", HOST, "--push", url));
    args.addAll(List.of(more));
    return scan(ConfigRepoIT.root, repo, args.toArray(String[]::new));
  }

  static Cmd.Result push(Path repo, String url, Path credentials) throws Exception {
    return push(repo, url, "--push-credentials", credentials.toString());
  }

  /** A bare repository a server exports: where it is and the URL a push goes to. */
  record Remote(Path path, String url) {}

  /** A bare repository the server exports, with pushes over HTTP allowed (git's default: no). */
  static Remote bare(Server s, String name) throws Exception {
    Path p = s.projects().resolve(name);
    Cmd.ok("git", "init", "-q", "--bare", p.toString());
    Cmd.ok("git", "--git-dir=" + p, "config", "http.receivepack", "true");
    return new Remote(p, s.url(name));
  }

  /** Refs, object counts and config of a repository, to compare before and after. */
  static String snapshot(Path repo) throws Exception {
    return git(repo, "for-each-ref").out()
        + git(repo, "count-objects", "-v").out()
        + Files.readString(repo.resolve("config"));
  }
}
