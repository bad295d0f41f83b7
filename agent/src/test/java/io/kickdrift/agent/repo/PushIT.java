package io.kickdrift.agent.repo;

import static io.kickdrift.agent.repo.ConfigRepoIT.HOST;
import static io.kickdrift.agent.repo.ConfigRepoIT.scan;
import static io.kickdrift.testkit.GitCli.assertFsckClean;
import static io.kickdrift.testkit.GitCli.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.GitCli;
import io.kickdrift.testkit.OpenSshd;
import io.kickdrift.testkit.ScratchDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code scan --repo --push}: to bare repositories made by {@code git init --bare}, over a path, a
 * file:// URL, and SSH to a real OpenSSH sshd on loopback with key authentication and strict
 * host-key checking.
 */
class PushIT {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-push-it");
  static Path sshDir;
  static OpenSshd sshd;
  static int port;
  static String user;

  @BeforeAll
  static void setUp() throws Exception {
    ConfigRepoIT.buildRoot(scratch.path());
    sshDir = Files.createDirectories(ConfigRepoIT.work.resolve("ssh"));
    user = System.getProperty("user.name");
    OpenSshd.keygen(sshDir.resolve("other_host_ed25519"));
    OpenSshd.keygen(sshDir.resolve("client_ed25519"));
    OpenSshd.prepare(sshDir, sshDir.resolve("client_ed25519"), user);
    startSshd();
  }

  static void startSshd() throws Exception {
    sshd = OpenSshd.start(sshDir.resolve("sshd_config"), sshDir.resolve("sshd.log"));
    port = sshd.port();
  }

  @AfterAll
  static void tearDown() throws Exception {
    stopSshd();
  }

  static void stopSshd() throws InterruptedException {
    if (sshd != null) {
      sshd.close();
      sshd = null;
    }
  }

  @Test
  void aScanPushesItsCommitsToDriftHostOfAFileRemote() throws Exception {
    Path remote = bare("file-remote.git");
    Path repo = ConfigRepoIT.work.resolve("push-file.git");
    Cmd.Result r = scan(ConfigRepoIT.root, repo, "--host", HOST, "--push", remote.toString());
    assertPushed(r, "", repo, remote.toString(), remote);
    assertThat(git(remote, "log", "--format=%s", "drift/web01").lines())
        .containsExactlyElementsOf(FIRST_SCAN);

    // Nothing new: no commit, and the remote is already there.
    Cmd.Result again = scan(ConfigRepoIT.root, repo, "--host", HOST, "--push", remote.toString());
    assertThat(again.exit()).as(again.err()).isEqualTo(1);
    assertThat(again.err()).contains("nothing new", "drift/web01: up to date");
    assertFsckClean(remote);
  }

  @Test
  void aRemoteThatIsBehindIsBroughtUpToDateByTheNextScanAndBranchOverrides() throws Exception {
    Path repo = ConfigRepoIT.work.resolve("push-behind.git");
    assertThat(scan(ConfigRepoIT.root, repo, "--host", HOST).exit()).isEqualTo(1);
    Path remote = bare("behind-remote.git");
    String url = "file://" + remote;
    Cmd.Result r =
        scan(ConfigRepoIT.root, repo, "--host", HOST, "--push", url, "--branch", "review/x");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("nothing new", "push " + url + " review/x: pushed");
    assertThat(git(remote, "rev-parse", "review/x").out())
        .isEqualTo(git(repo, "rev-parse", "HEAD").out());
    assertThat(git(remote, "for-each-ref", "--format=%(refname)").lines())
        .containsExactly("refs/heads/review/x");
  }

  @Test
  void aFailedPushExitsTwoNamingTheRemoteAndLeavesTheLocalRepositoryAsItWas() throws Exception {
    Path repo = ConfigRepoIT.work.resolve("push-fail.git");
    Path nowhere = ConfigRepoIT.work.resolve("no-such-remote.git");
    Cmd.Result r = scan(ConfigRepoIT.root, repo, "--host", HOST, "--push", nowhere.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("cannot push to " + nowhere + " (drift/web01): ");
    // The commit was made before the push and stays; the next scan finds nothing new.
    assertThat(r.err()).contains("repo " + repo + ": web01: 0 modified, 5 new, 0 missing");
    assertFsckClean(repo);
    assertThat(scan(ConfigRepoIT.root, repo, "--host", HOST).err()).contains("nothing new");

    // A remote branch with commits we lack is not overwritten.
    Path remote = bare("diverged.git");
    Path other = ConfigRepoIT.work.resolve("other.git");
    assertThat(scan(ConfigRepoIT.root, other, "--host", "web09").exit()).isEqualTo(1);
    git(other, "push", "-q", remote.toString(), "main:refs/heads/drift/web01");
    String theirs = git(remote, "rev-parse", "drift/web01").out();
    Cmd.Result diverged =
        scan(ConfigRepoIT.root, repo, "--host", HOST, "--push", remote.toString());
    assertThat(diverged.exit()).isEqualTo(2);
    assertThat(diverged.err())
        .contains("cannot push to " + remote + " (drift/web01): ", "not a fast-forward");
    assertThat(git(remote, "rev-parse", "drift/web01").out()).isEqualTo(theirs);
  }

  @Test
  void overSshToOpenSshWithTheRightHostKeyThePushLands() throws Exception {
    Path remote = bare("ssh-remote.git");
    Path known = knownHosts("known_hosts.right", "host_ed25519.pub");
    Path repo = ConfigRepoIT.work.resolve("push-ssh.git");
    Cmd.Result r = sshScan(repo, remote, known);
    assertThat(r.exit()).as(r.err() + sshdLog()).isEqualTo(1);
    String head = git(repo, "rev-parse", "HEAD").out().strip();
    assertThat(r.err()).contains("drift/web01: pushed (" + head.substring(0, 12));
    assertThat(git(remote, "log", "-1", "--format=%H", "drift/web01").out().strip())
        .isEqualTo(head);
    assertFsckClean(remote);
    // sshd saw our key, not some other way in.
    assertThat(sshdLog()).contains("Accepted publickey for " + user);

    // Hashed host names (ssh-keygen -H) match too.
    Cmd.ok("ssh-keygen", "-q", "-H", "-f", known.toString());
    assertThat(Files.readString(known)).startsWith("|1|").doesNotContain("127.0.0.1");
    Cmd.Result hashed = sshScan(repo, remote, known);
    assertThat(hashed.exit()).as(hashed.err()).isEqualTo(1);
    assertThat(hashed.err()).contains("drift/web01: up to date");
  }

  @Test
  void overSshAChangedOrUnknownHostKeyIsRefusedAndTheRemoteIsUnchanged() throws Exception {
    Path remote = bare("ssh-refused.git");
    Path repo = ConfigRepoIT.work.resolve("push-ssh-refused.git");

    Path wrong = knownHosts("known_hosts.wrong", "other_host_ed25519.pub");
    Cmd.Result changed = sshScan(repo, remote, wrong);
    assertThat(changed.exit()).as(changed.err()).isEqualTo(2);
    assertThat(changed.err())
        .contains("cannot push to ssh://", "host key of [127.0.0.1]:" + port + " has CHANGED")
        .contains(wrong.toString(), "the server offered ssh-ed25519 SHA256:");

    Path empty = Files.writeString(sshDir.resolve("known_hosts.empty"), "");
    Cmd.Result unknown = sshScan(repo, remote, empty);
    assertThat(unknown.exit()).as(unknown.err()).isEqualTo(2);
    assertThat(unknown.err()).contains("host key of [127.0.0.1]:" + port + " is unknown");

    assertThat(git(remote, "for-each-ref").out()).isEmpty();
    assertThat(git(remote, "count-objects", "-v").out()).contains("count: 0", "in-pack: 0");
    assertFsckClean(repo);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** The subjects of the commits the first scan of ConfigRepoIT's root makes, newest first. */
  static final List<String> FIRST_SCAN =
      List.of("web01: 0 modified, 5 new, 0 missing", "web01: packaged original of 1 file");

  /**
   * Asserts that scan {@code r} (the server's {@code log} said why if not) pushed the HEAD of
   * {@code repo} to drift/web01 of {@code remote}, reached as {@code url}; returns that commit.
   */
  static String assertPushed(Cmd.Result r, String log, Path repo, String url, Path remote)
      throws Exception {
    assertThat(r.exit()).as(r.err() + log).isEqualTo(1);
    String head = git(repo, "rev-parse", "HEAD").out().strip();
    assertThat(r.err()).contains("push " + url + " drift/web01: pushed (" + head.substring(0, 12));
    assertThat(git(remote, "log", "--format=%H", "drift/web01").lines()).first().isEqualTo(head);
    return head;
  }

  static Cmd.Result sshScan(Path repo, Path remote, Path known) throws Exception {
    return scan(
        ConfigRepoIT.root,
        repo,
        "--host",
        HOST,
        "--push",
        "ssh://" + user + "@127.0.0.1:" + port + remote,
        "--known-hosts",
        known.toString(),
        "--identity",
        sshDir.resolve("client_ed25519").toString());
  }

  static Path bare(String name) throws Exception {
    return GitCli.bare(ConfigRepoIT.work.resolve(name));
  }

  static Path knownHosts(String name, String pubKey) throws IOException {
    // A line for another host first: only the entry for this host and port may count.
    String other = Files.readString(sshDir.resolve("host_ed25519.pub")).strip();
    return Files.writeString(
        sshDir.resolve(name),
        "[127.0.0.1]:1 " + other + "\n" + sshd.knownHostsLine(sshDir.resolve(pubKey)));
  }

  static String sshdLog() throws IOException {
    return Files.readString(sshDir.resolve("sshd.log"));
  }
}
