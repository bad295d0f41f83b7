package io.kickdrift.server.fleet;

import static io.kickdrift.testkit.DebBuilder.deb;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import io.kickdrift.testkit.GitCli;
import io.kickdrift.testkit.OpenSshd;
import io.kickdrift.testkit.ScratchDir;
import io.kickdrift.testkit.SecretCorpus;
import io.kickdrift.testkit.SecretCorpus.Seeded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18's proof that secret values never reach the config repository (docs/config-repo.md,
 * "Secrets"): the test kit's {@link SecretCorpus} (more than 200 values in more than 30 formats) in
 * unowned files and appended to modified conffiles of a real dpkg root; {@code scan --repo} without
 * and with {@code --encrypt-to}, and {@code fleet scan} of the same root over real OpenSSH as two
 * hosts. After each, no value is in any object ({@code git cat-file --batch-all-objects --batch});
 * {@code restore --decrypt-with} writes every file back byte for byte; one server key names one
 * secret alike on both hosts and in the agent's repository.
 */
class SecretCorpusIT {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-corpus-it").traversable();

  /** Conffiles in the syntaxes {@link SecretCorpus#appendTo} writes secrets in. */
  static final Map<String, String> CONFFILES =
      Map.of(
          "/etc/corpusapp/app.conf", "# app\nsetting = 1\n",
          "/etc/corpusapp/app.json", "{\n  \"listen\": 8080\n}\n",
          "/etc/corpusapp/app.yaml", "listen: 8080\n",
          "/etc/corpusapp/app.xml", "<config>\n  <listen>8080</listen>\n</config>\n",
          "/etc/corpusapp/app.toml", "listen = 8080\n",
          "/etc/corpusapp/app.properties", "server.port=8080\n",
          "/etc/corpusapp/app.ini", "[main]\nlisten = 8080\n",
          "/etc/corpusapp/directives", "listen 8080\n");

  static Path work;
  static Path root;
  static Path debs;
  static Path state;
  static Path pub;
  static Path sec;
  static Map<String, String> gpgEnv;
  static final List<Seeded> seeds = new ArrayList<>();

  @BeforeAll
  static void seededRoot() throws Exception {
    work = scratch.path();
    Path build = work.resolve("build");
    debs = work.resolve("debs");
    DebBuilder pkg = deb("corpusapp", "1.0-1", "all");
    CONFFILES.forEach(pkg::conffile);
    List<Path> packages = List.of(pkg.build(build, debs));
    root = work.resolve("root");
    DpkgTestRoot.create(root);
    Path cache = Files.createDirectories(root.resolve("var/cache/apt/archives"));
    for (Path p : packages) {
      Files.copy(p, cache.resolve(p.getFileName()));
    }
    DebBuilder.install(root, packages);
    for (String path : new TreeMap<>(CONFFILES).keySet()) {
      seeds.add(SecretCorpus.appendTo(path, Files.readAllBytes(at(root, path))));
    }
    seeds.addAll(SecretCorpus.files(18));
    for (Seeded s : seeds) {
      Files.createDirectories(at(root, s.path()).getParent());
      Files.write(at(root, s.path()), s.content());
    }
    assertThat(seeds.stream().mapToInt(s -> s.values().size()).sum()).isGreaterThanOrEqualTo(200);
    assertThat(seeds.stream().map(Seeded::format).distinct().count()).isGreaterThanOrEqualTo(30);

    state = Files.createDirectories(work.resolve("state"));
    Path gnupg = Files.createDirectories(work.resolve("gnupg"));
    Cmd.ok("chmod", "700", gnupg.toString());
    gpgEnv = Map.of("GNUPGHOME", gnupg.toString());
    gpg(
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-gen-key",
        "corpus <corpus@example.org>",
        "future-default",
        "default",
        "never");
    pub = Files.writeString(work.resolve("ops.asc"), gpg("--armor", "--export").out());
    sec =
        Files.writeString(
            work.resolve("ops-secret.asc"),
            gpg(
                    "--pinentry-mode",
                    "loopback",
                    "--passphrase",
                    "",
                    "--armor",
                    "--export-secret-keys")
                .out());
  }

  @AfterAll
  static void stopGpgAgent() throws Exception {
    if (gpgEnv != null) {
      Cmd.run(List.of("gpgconf", "--kill", "all"), gpgEnv);
    }
  }

  @Test
  void anAgentScanCommitsNoValueAndEveryFileIsInTheManifest() throws Exception {
    Path repo = work.resolve("plain.git");
    Cmd.Result r = scan(repo);
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    // An unchanged host: nothing new, so every placeholder came out the same.
    Cmd.Result again = scan(repo);
    assertThat(again.err()).as(again.err()).contains(": nothing new");
    // What depends on the detector's rules last, so that the rest is checked whatever they find.
    JsonNode files = manifest(repo, "web01").get("files");
    for (Seeded s : seeds) {
      assertThat(files.has(s.path())).as(s.path()).isTrue();
    }
    assertNoValueIn(repo);
    for (Seeded s : seeds) {
      assertThat(files.get(s.path()).get("secret").asText())
          .as(s.format() + " " + s.path())
          .isNotEqualTo("none");
    }
  }

  @Test
  void withEncryptToNoValueIsCommittedAndRestoreWritesEveryFileBackByteForByte() throws Exception {
    Path repo = work.resolve("encrypted.git");
    Cmd.Result r = scan(repo, "--encrypt-to", pub.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    Cmd.Result again = scan(repo, "--encrypt-to", pub.toString());
    assertThat(again.err()).as(again.err()).contains(": nothing new");
    assertRestoresByteForByte(repo, "web01", work.resolve("restored-agent"));
    assertNoValueIn(repo);
  }

  @Test
  void aFleetScanOverSshCommitsNoValueAndNamesOneSecretAlikeOnTwoHosts() throws Exception {
    Path key = work.resolve("id_ed25519");
    OpenSshd.keygen(key);
    Path sdir = Files.createDirectories(work.resolve("sshd"));
    OpenSshd.prepare(sdir, key, "root", "Subsystem sftp internal-sftp", "ListenAddress 127.0.0.2");
    try (OpenSshd sshd = OpenSshd.start(sdir.resolve("sshd_config"), sdir.resolve("sshd.log"))) {
      // Two inventory hosts, one machine: the same secrets, scanned by one server.
      StringBuilder inv =
          new StringBuilder(
              "distros:\n  - {name: d, family: rocky, version: \"9\", kernel: k, initrd: i,"
                  + " install-tree: http://192.0.2.1/t}\n"
                  + "subnets:\n  - {network: 127.0.0.0/8}\n"
                  + "profiles:\n  - {name: p, distro: d}\nhosts:\n");
      for (int i = 1; i <= 2; i++) {
        inv.append("  - name: web0")
            .append(i)
            .append("\n    profile: p\n    interfaces: [{name: eth0, mac: \"52:54:00:00:00:0")
            .append(i)
            .append("\", ip: 127.0.0.")
            .append(i)
            .append("}]\n    ssh: {user: root, port: ")
            .append(sshd.port())
            .append("}\n");
      }
      Path inventory = Files.writeString(work.resolve("inventory.yaml"), inv.toString());
      Path repo = work.resolve("fleet.git");
      Cmd.Result r =
          Cmd.kickdrift(
              FleetScanIT.fleetScanArgs(
                  inventory,
                  repo,
                  key,
                  work.resolve("known_hosts"),
                  root,
                  "--accept-new",
                  "--paths",
                  "/etc,/root",
                  "--state",
                  state.toString(),
                  "--encrypt-to",
                  pub.toString()));
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out()).contains("2 hosts: 0 clean, 2 with drift, 0 failed");

      // One key (the state directory's), one name per secret: on both hosts, and in the
      // repository the agent wrote with the same state directory.
      Path agentRepo = work.resolve("same-key.git");
      scan(agentRepo);
      Map<String, String> web01 = placeholders(repo, "web01");
      assertThat(web01).isNotEmpty().isEqualTo(placeholders(repo, "web02"));
      assertThat(web01).isEqualTo(placeholders(agentRepo, "web01"));

      assertRestoresByteForByte(repo, "web02", work.resolve("restored-fleet"));
      assertNoValueIn(repo);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static Path at(Path r, String abs) {
    return r.resolve(abs.substring(1));
  }

  /** {@code kickdrift scan} of the root as web01 into {@code repo}, with the test's state. */
  static Cmd.Result scan(Path repo, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--root",
                root.toString(),
                "--host",
                "web01",
                "--paths",
                "/etc,/root",
                "--no-cache",
                "--state",
                state.toString(),
                "--repo",
                repo.toString(),
                "--packages",
                debs.toString()));
    args.addAll(List.of(more));
    return Cmd.kickdrift(args.toArray(String[]::new));
  }

  /** No needle of any seed in any object of {@code repo}, by git's own reading of them. */
  static void assertNoValueIn(Path repo) throws Exception {
    String objects = GitCli.allObjects(repo, work);
    assertThat(objects).contains("listen");
    List<String> leaked = new ArrayList<>();
    for (Seeded s : seeds) {
      for (String n : s.needles()) {
        if (objects.contains(n)) {
          leaked.add(s.format() + " " + s.path() + ": " + n);
        }
      }
    }
    assertThat(leaked).as("values in the objects of " + repo).isEmpty();
  }

  static void assertRestoresByteForByte(Path repo, String host, Path target) throws Exception {
    Files.createDirectories(target.resolve("etc"));
    Files.writeString(target.resolve("etc/passwd"), DpkgTestRoot.PASSWD);
    Files.writeString(target.resolve("etc/group"), DpkgTestRoot.GROUP);
    Cmd.Result r =
        Cmd.kickdrift(
            "restore",
            "--repo",
            repo.toString(),
            "--host",
            host,
            "--root",
            target.toString(),
            "--state",
            state.toString(),
            "--decrypt-with",
            sec.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isIn(0, 1);
    List<String> different = new ArrayList<>();
    for (Seeded s : seeds) {
      Path restored = at(target, s.path());
      if (!Files.exists(restored)
          || !java.util.Arrays.equals(Files.readAllBytes(restored), s.content())) {
        different.add(s.path());
      }
    }
    assertThat(different).as(r.err()).isEmpty();
  }

  static JsonNode manifest(Path repo, String host) throws Exception {
    return new ObjectMapper()
        .readTree(GitCli.git(repo, "show", "HEAD:hosts/" + host + "/manifest.json").out());
  }

  /** Per path, the placeholders of its redacted values in order. */
  static Map<String, String> placeholders(Path repo, String host) throws Exception {
    Map<String, String> out = new TreeMap<>();
    manifest(repo, host)
        .get("files")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode rs = e.getValue().get("redactions");
              if (rs != null) {
                StringBuilder b = new StringBuilder();
                rs.forEach(x -> b.append(x.get("placeholder").asText()).append(' '));
                out.put(e.getKey(), b.toString());
              }
            });
    return out;
  }

  static Cmd.Result gpg(String... args) throws Exception {
    Cmd.require("gpg", "gpg");
    Cmd.require("gpg-agent", "gpg-agent");
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch"));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd, gpgEnv);
    assertThat(r.exit()).as("%s: %s", cmd, r.err()).isZero();
    return r;
  }
}
