package io.kickdrift.agent.repo;

import static io.kickdrift.testkit.DebBuilder.deb;
import static io.kickdrift.testkit.GitCli.allObjects;
import static io.kickdrift.testkit.GitCli.assertFsckClean;
import static io.kickdrift.testkit.GitCli.changedLines;
import static io.kickdrift.testkit.GitCli.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import io.kickdrift.testkit.ScratchDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scans a dpkg root built from real .debs into a config repository with the agent jar, then reads
 * the repository with the {@code git} command line.
 */
class ConfigRepoIT {
  static final String HOST = "web01";
  static final String CONF = "hosts/web01/files/etc/alpha/alpha.conf";
  static final String HOST_FILES = "hosts/web01/files";
  static final String SHADOW_HASH = "$6$seededsalt$seededhash";
  static final String KEY_BODY = "MIIBVQIBADANBgSEEDEDKEYBYTES";

  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-repo-it");
  static Path work;
  static Path root;
  static Path debs;

  @BeforeAll
  static void buildRoot() throws Exception {
    buildRoot(scratch.path());
  }

  /** The seeded root under {@code dir}; PushIT and HttpPushIT build one in their own directory. */
  static void buildRoot(Path dir) throws Exception {
    work = dir;
    debs = work.resolve("debs");
    DpkgTestRoot dpkg = DpkgTestRoot.create(work.resolve("root"));
    root = dpkg.path();
    dpkg.install(List.of(alpha("1.0-1", "workers = 4", debs)));

    // Seeded drift: one edited line, a link pointing elsewhere, an unowned file and link,
    // and two secrets (by rule and by content). The root's /etc/passwd and /etc/group hold only
    // system accounts: generated (issue 18), not committed without --include-generated.
    Files.writeString(
        root.resolve("etc/alpha/alpha.conf"), "# alpha\nlisten = 8080\nworkers = 4\nlog = info\n");
    Files.delete(root.resolve("etc/alpha/current.conf"));
    Files.createSymbolicLink(root.resolve("etc/alpha/current.conf"), Path.of("untouched.conf"));
    Files.writeString(root.resolve("etc/alpha/local.conf"), "mine = 1\n");
    Files.createSymbolicLink(root.resolve("etc/alpha/local.link"), Path.of("local.conf"));
    Files.writeString(root.resolve("etc/shadow"), "root:" + SHADOW_HASH + ":19000:0:99999:7:::\n");
    Files.writeString(
        root.resolve("etc/alpha/tls.pem"),
        "-----BEGIN PRIVATE KEY-----\n" + KEY_BODY + "\n-----END PRIVATE KEY-----\n");
  }

  @Test
  void theFirstScanCommitsThePackagedOriginalThenTheHostsFiles() throws Exception {
    Path repo = work.resolve("first.git");
    Cmd.Result r =
        scan(
            root,
            repo,
            "--host",
            HOST,
            // Every packaged file, with the .debs' metadata: the scan sees the packaged link that
            // now points elsewhere.
            "--all",
            "--debs",
            debs.toString(),
            "--author-name",
            "Drift Bot",
            "--author-email",
            "drift@example.org");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("repo " + repo + ": web01: 0 modified, 6 new, 0 missing");

    assertThat(git(repo, "log", "--format=%s").lines())
        .containsExactly(
            "web01: 0 modified, 6 new, 0 missing", "web01: packaged original of 1 file");
    assertThat(git(repo, "log", "-1", "--format=%an <%ae>").out().strip())
        .isEqualTo("Drift Bot <drift@example.org>");
    String trailers =
        git(repo, "log", "-1", "--format=%(trailers:key=Host,key=Scan-Id,key=Agent-Version)").out();
    assertThat(trailers).contains("Host: web01").containsPattern("Scan-Id: [0-9a-f-]{36}");
    assertThat(trailers).containsPattern("Agent-Version: \\S+");

    // The original came first: the last commit shows exactly the local edit.
    assertThat(git(repo, "show", "HEAD~1:" + CONF).out())
        .isEqualTo("# alpha\nlisten = 80\nworkers = 4\nlog = info\n");
    assertThat(changedLines(git(repo, "diff", "HEAD~1", "HEAD", "--", CONF).out()))
        .containsExactly("-listen = 80", "+listen = 8080");
    assertThat(changedLines(git(repo, "log", "-p", "--format=", "--", CONF).out()))
        .containsExactly(
            "-listen = 80",
            "+listen = 8080",
            "+# alpha",
            "+listen = 80",
            "+workers = 4",
            "+log = info");

    // Links are git symlinks; files the packages did not change are not stored.
    assertThat(git(repo, "ls-tree", "-r", "HEAD").lines())
        .anySatisfy(l -> assertThat(l).startsWith("120000 blob").endsWith("etc/alpha/current.conf"))
        .anySatisfy(l -> assertThat(l).startsWith("120000 blob").endsWith("etc/alpha/local.link"))
        .noneSatisfy(l -> assertThat(l).endsWith("untouched.conf"));
    assertThat(git(repo, "show", "HEAD:hosts/web01/files/etc/alpha/current.conf").out())
        .isEqualTo("untouched.conf");

    JsonNode files = manifest(repo).get("files");
    JsonNode conf = files.get("/etc/alpha/alpha.conf");
    assertThat(conf.get("status").asText()).isEqualTo("modified");
    assertThat(conf.get("package").asText()).isEqualTo("alpha");
    assertThat(conf.get("version").asText()).isEqualTo("1.0-1");
    assertThat(conf.get("packagedDigest").asText())
        .isEqualTo("md5:" + md5("# alpha\nlisten = 80\nworkers = 4\nlog = info\n"));
    assertThat(conf.get("digest").asText())
        .isEqualTo("md5:" + md5("# alpha\nlisten = 8080\nworkers = 4\nlog = info\n"));
    assertThat(conf.get("mode").asText()).isEqualTo("0644");
    assertThat(conf.get("user").asText()).isEqualTo("root");
    assertThat(conf.get("secret").asText()).isEqualTo("none");
    assertThat(files.get("/etc/alpha/local.conf").get("status").asText()).isEqualTo("unowned");
    assertThat(files.get("/etc/alpha/current.conf").get("linkTarget").asText())
        .isEqualTo("untouched.conf");
    assertThat(files.get("/etc/shadow").get("secret").asText()).isEqualTo("placeholder");
    assertThat(files.get("/etc/alpha/tls.pem").get("secret").asText()).isEqualTo("placeholder");
    assertThat(files.get("/etc/alpha/tls.pem").get("digest").asText()).startsWith("sha256:");

    assertFsckClean(repo);
  }

  @Test
  void anUpgradedPackageCommitsItsNewOriginalBeforeTheHostsFile() throws Exception {
    Path up = DpkgTestRoot.copy(root, work.resolve("upgrade-root"));
    Path repo = work.resolve("upgrade.git");
    assertThat(scan(up, repo, "--host", HOST, "--debs", debs.toString()).exit()).isEqualTo(1);

    // 1.1 ships a new alpha.conf; dpkg keeps the locally edited one (--force-confold).
    Path newDebs = work.resolve("debs-1.1");
    DebBuilder.install(up, List.of(alpha("1.1-1", "workers = 8", newDebs)), "--force-confold");

    Cmd.Result r = scan(up, repo, "--host", HOST, "--debs", newDebs.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    List<String> subjects = git(repo, "log", "--format=%s", "-3").lines();
    assertThat(subjects.get(0)).startsWith(HOST + ": 1 modified");
    assertThat(subjects.get(1)).isEqualTo(HOST + ": packaged original of 1 file");
    String file = "hosts/" + HOST + "/files/etc/alpha/alpha.conf";
    // The originals commit moves from 1.0's file to 1.1's ...
    assertThat(git(repo, "diff", "HEAD~2", "HEAD~1", "--", file).out())
        .contains("-listen = 8080", "+listen = 80", "+workers = 8");
    // ... and the host's commit is again exactly the local edit against the current original.
    String diff = git(repo, "diff", "HEAD~1", "HEAD", "--", file).out();
    assertThat(diff).contains("-listen = 80\n", "+listen = 8080\n", "-workers = 8", "+workers = 4");
    assertFsckClean(repo);
  }

  @Test
  void noSecretBytesReachAnyObject() throws Exception {
    Path repo = work.resolve("secrets.git");
    assertThat(scan(root, repo, "--host", HOST).exit()).isEqualTo(1);
    String placeholder = git(repo, "show", "HEAD:hosts/web01/files/etc/shadow").out();
    assertThat(placeholder).contains("is a secret and is not stored", "rule: /etc/shadow");
    String everything = allObjects(repo, work);
    assertThat(everything).contains("listen = 8080"); // the search does see file contents
    assertThat(everything).doesNotContain(SHADOW_HASH, KEY_BODY, "BEGIN PRIVATE KEY");
  }

  @Test
  void secretsEncryptedToAGpgKeyOpenWithGpgAndARescanMakesNoCommit() throws Exception {
    for (String algo : List.of("future-default", "rsa3072")) {
      Path gnupg = Files.createDirectories(work.resolve("gnupg-" + algo));
      Cmd.ok("chmod", "700", gnupg.toString());
      Map<String, String> env = Map.of("GNUPGHOME", gnupg.toString());
      try {
        quickKey(env, "--quick-gen-key", "kickdrift test <drift@example.org>", algo, "default");
        if (!algo.endsWith("default")) {
          // Only the default algorithms come with an encryption subkey; add one as users do.
          quickKey(env, "--quick-add-key", fingerprint(env), algo, "encr");
        }
        Path pub = work.resolve("recipient-" + algo + ".asc");
        Files.writeString(pub, gpg(env, "--armor", "--export", "drift@example.org").out());
        String primary = null;
        String subkey = null;
        for (String l : gpg(env, "--with-colons", "--list-keys", "drift@example.org").lines()) {
          String[] f = l.split(":", -1);
          if (f[0].equals("fpr") && primary == null) {
            primary = f[9];
          } else if (f[0].equals("sub")) {
            subkey = f[4];
          }
        }

        Path repo = work.resolve("encrypted-" + algo + ".git");
        Cmd.Result r = scan(root, repo, "--host", HOST, "--encrypt-to", pub.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode shadow = manifest(repo).get("files").get("/etc/shadow");
        assertThat(shadow.get("secret").asText()).isEqualTo("encrypted");
        assertThat(shadow.get("recipient").asText()).isEqualTo(primary);
        assertThat(shadow.get("recipientKeyId").asText()).isEqualTo(subkey);
        String shadowText = Files.readString(root.resolve("etc/shadow"));
        assertThat(shadow.get("digest").asText())
            .isEqualTo("sha256:" + sha256(shadowText.getBytes(StandardCharsets.UTF_8)));

        // The real gpg opens both secrets to the bytes on the host.
        for (String path : List.of("/etc/shadow", "/etc/alpha/tls.pem")) {
          Path blob = work.resolve("blob-" + algo + ".asc");
          Files.writeString(blob, git(repo, "cat-file", "blob", "HEAD:" + HOST_FILES + path).out());
          assertThat(Files.readString(blob)).startsWith("-----BEGIN PGP MESSAGE-----");
          Cmd.Result dec = Cmd.run(List.of("gpg", "--batch", "--decrypt", blob.toString()), env);
          assertThat(dec.exit()).as(dec.err()).isZero();
          assertThat(dec.out()).isEqualTo(Files.readString(root.resolve(path.substring(1))));

          // And so does the decrypt API that restore uses, with the exported secret key.
          Path sec = exportSecretKey(env, work.resolve("secret-" + algo + ".asc"));
          assertThat(SecretCipher.decrypt(Files.readAllBytes(blob), sec, new char[0]))
              .isEqualTo(Files.readAllBytes(root.resolve(path.substring(1))));
        }

        // restore --decrypt-with writes the secrets back as they were on the host.
        Path sec = exportSecretKey(env, work.resolve("restore-key-" + algo + ".asc"));
        Path target = Files.createDirectories(work.resolve("restored-" + algo));
        Cmd.Result skipped =
            Cmd.agent(
                "restore", "--repo", repo.toString(), "--host", HOST, "--root", target.toString());
        assertThat(skipped.err())
            .contains("/etc/shadow: skipped: a secret encrypted to " + primary);
        assertThat(target.resolve("etc/shadow")).doesNotExist();
        Cmd.Result restored =
            Cmd.agent(
                "restore",
                "--repo",
                repo.toString(),
                "--host",
                HOST,
                "--root",
                target.toString(),
                "--decrypt-with",
                sec.toString());
        assertThat(restored.exit()).as(restored.out() + restored.err()).isIn(0, 1);
        assertThat(restored.err()).doesNotContain("/etc/shadow: skipped");
        for (String path : List.of("/etc/shadow", "/etc/alpha/tls.pem")) {
          assertThat(Files.readAllBytes(target.resolve(path.substring(1))))
              .isEqualTo(Files.readAllBytes(root.resolve(path.substring(1))));
        }

        String everything = allObjects(repo, work);
        assertThat(everything).contains("listen = 8080");
        assertThat(everything).doesNotContain(SHADOW_HASH, KEY_BODY, "BEGIN PRIVATE KEY");

        // A new session key every time, yet an unchanged secret keeps its blob: no commit.
        String head = git(repo, "rev-parse", "HEAD").out();
        Cmd.Result again = scan(root, repo, "--host", HOST, "--encrypt-to", pub.toString());
        assertThat(again.exit()).as(again.err()).isEqualTo(1);
        assertThat(again.err()).contains("repo " + repo + ": nothing new");
        assertThat(git(repo, "rev-parse", "HEAD").out()).isEqualTo(head);
        assertFsckClean(repo);
      } finally {
        Cmd.run(List.of("gpgconf", "--kill", "all"), env);
      }
    }
  }

  @Test
  void aKeyFileThatIsNotAPublicKeyStopsTheScanNamingIt() throws Exception {
    Path junk = Files.writeString(work.resolve("junk.asc"), "not a key\n");
    Path repo = work.resolve("junk-key.git");
    Cmd.Result r = scan(root, repo, "--host", HOST, "--encrypt-to", junk.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(junk.toString(), "no OpenPGP public key in the file");
    assertThat(repo).doesNotExist();
  }

  @Test
  void aRescanWithNothingNewMakesNoCommitAndNoObject() throws Exception {
    Path repo = work.resolve("idempotent.git");
    assertThat(scan(root, repo, "--host", HOST).exit()).isEqualTo(1);
    String head = git(repo, "rev-parse", "HEAD").out();
    List<String> objects = git(repo, "cat-file", "--batch-all-objects", "--batch-check").lines();

    Cmd.Result again = scan(root, repo, "--host", HOST);
    assertThat(again.exit()).as(again.err()).isEqualTo(1);
    assertThat(again.err()).contains("repo " + repo + ": nothing new");
    assertThat(git(repo, "rev-parse", "HEAD").out()).isEqualTo(head);
    assertThat(git(repo, "cat-file", "--batch-all-objects", "--batch-check").lines())
        .isEqualTo(objects);
  }

  @Test
  void aFileThatDisappearsIsRemovedAndMarkedMissing() throws Exception {
    Path copy = DpkgTestRoot.copy(root, work.resolve("root-delete"));
    Path repo = work.resolve("delete.git");
    assertThat(scan(copy, repo, "--host", HOST).exit()).isEqualTo(1);
    Files.delete(copy.resolve("etc/alpha/local.conf"));
    // Back to the packaged content: no longer drift, so it leaves the repository.
    Files.writeString(
        copy.resolve("etc/alpha/alpha.conf"), "# alpha\nlisten = 80\nworkers = 4\nlog = info\n");

    Cmd.Result r = scan(copy, repo, "--host", HOST);
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(git(repo, "log", "-1", "--format=%s").out().strip())
        .isEqualTo("web01: 0 modified, 0 new, 1 missing, 1 resolved");
    assertThat(git(repo, "ls-tree", "-r", "--name-only", "HEAD").lines())
        .doesNotContain("hosts/web01/files/etc/alpha/local.conf", CONF)
        .contains("hosts/web01/files/etc/alpha/local.link");
    JsonNode files = manifest(repo).get("files");
    assertThat(files.get("/etc/alpha/local.conf").get("status").asText()).isEqualTo("missing");
    assertThat(files.get("/etc/alpha/local.conf").get("stored").asBoolean()).isFalse();
    assertThat(files.has("/etc/alpha/alpha.conf")).isFalse();
    assertFsckClean(repo);

    // Still gone: nothing new.
    assertThat(scan(copy, repo, "--host", HOST).err()).contains("nothing new");
  }

  @Test
  void concurrentScansIntoOneRepositoryAllLand() throws Exception {
    Path repo = work.resolve("concurrent.git");
    assertThat(scan(root, repo, "--host", HOST).exit()).isEqualTo(1);
    int before = git(repo, "log", "--format=%H").lines().size();
    List<String> hosts = List.of("web02", "web03", "web04", "web05");
    ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
    try {
      List<Future<Cmd.Result>> runs = new ArrayList<>();
      for (String h : hosts) {
        runs.add(pool.submit(() -> scan(root, repo, "--host", h)));
      }
      for (Future<Cmd.Result> f : runs) {
        Cmd.Result r = f.get();
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
      }
    } finally {
      pool.shutdown();
    }
    List<String> subjects = git(repo, "log", "--format=%s").lines();
    // Each new host: its packaged original, then its files.
    assertThat(subjects).hasSize(before + 2 * hosts.size());
    for (String h : hosts) {
      assertThat(subjects).contains(h + ": 0 modified, 5 new, 0 missing");
      assertThat(git(repo, "cat-file", "-e", "HEAD:hosts/" + h + "/manifest.json").exit()).isZero();
    }
    assertFsckClean(repo);
  }

  @Test
  void aRepositoryThatCannotBeWrittenExitsTwoAndSaysWhy() throws Exception {
    Path notRepo = Files.createDirectories(work.resolve("occupied"));
    Files.writeString(notRepo.resolve("README"), "not a repository\n");
    Cmd.Result r = scan(root, notRepo, "--host", HOST);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("cannot commit to " + notRepo, "neither a git repository nor an empty directory");
  }

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * The alpha package of {@code version}, whose alpha.conf has the line {@code workers} (into
   * {@code out}).
   */
  static Path alpha(String version, String workers, Path out) throws Exception {
    return deb("alpha", version, "all")
        .conffile("/etc/alpha/alpha.conf", "# alpha\nlisten = 80\n" + workers + "\nlog = info\n")
        .conffile("/etc/alpha/untouched.conf", "same = 1\n")
        .symlink("/etc/alpha/current.conf", "alpha.conf")
        .build(work.resolve("build-" + version), out);
  }

  static Cmd.Result scan(Path r, Path repo, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--root",
                r.toString(),
                "--no-cache",
                "--repo",
                repo.toString(),
                "--packages",
                debs.toString()));
    args.addAll(List.of(more));
    return Cmd.agent(args.toArray(String[]::new));
  }

  static Cmd.Result gpg(Map<String, String> env, String... args) throws Exception {
    Cmd.require("gpg", "gpg");
    Cmd.require("gpg-agent", "gpg-agent");
    Cmd.require("gpgconf", "gpgconf");
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch"));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd, env);
    assertThat(r.exit()).as("%s: %s", cmd, r.err()).isZero();
    return r;
  }

  /**
   * {@code gpg --quick-gen-key USER ALGO USAGE} or {@code --quick-add-key FPR ALGO USAGE}, with no
   * passphrase and no expiry.
   */
  static void quickKey(
      Map<String, String> env, String command, String of, String algo, String usage)
      throws Exception {
    gpg(env, "--pinentry-mode", "loopback", "--passphrase", "", command, of, algo, usage, "never");
  }

  static String fingerprint(Map<String, String> env) throws Exception {
    for (String l : gpg(env, "--with-colons", "--list-keys", "drift@example.org").lines()) {
      if (l.startsWith("fpr:")) {
        return l.split(":", -1)[9];
      }
    }
    throw new AssertionError("gpg lists no fingerprint");
  }

  static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }

  static JsonNode manifest(Path repo) throws Exception {
    return new ObjectMapper()
        .readTree(git(repo, "show", "HEAD:hosts/" + HOST + "/manifest.json").out());
  }

  /** The test key's secret part, as gpg --export-secret-keys writes it, into {@code file}. */
  static Path exportSecretKey(Map<String, String> env, Path file) throws Exception {
    Files.writeString(
        file,
        gpg(
                env,
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--armor",
                "--export-secret-keys",
                "drift@example.org")
            .out());
    return file;
  }

  static String md5(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("MD5")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
