package io.kickdrift.agent.repo;

import static io.kickdrift.testkit.DebBuilder.deb;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.DpkgTestRoot;
import io.kickdrift.testkit.GitCli;
import io.kickdrift.testkit.ScratchDir;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scan a dpkg root with seeded drift into a repository, install the same .debs into a fresh root,
 * restore onto it, scan it again: the only drift left is what restore cannot write by design (a
 * secret the repository holds as a placeholder).
 */
class RestoreIT {
  static final String HOST = "web01";

  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-restore-it");

  static Path work;
  static Path debs;
  static Path seeded;
  static Path repo;
  static String scanned;

  @BeforeAll
  static void scanSeededRoot() throws Exception {
    Cmd.requireRoot("RestoreIT must run as root: it restores files owned by daemon and adm");
    work = scratch.path();
    debs = work.resolve("debs");
    deb("alpha", "1.0-1", "all")
        .conffile("/etc/alpha/alpha.conf", "# alpha\nlisten = 80\nworkers = 4\n")
        .conffile("/etc/alpha/mode.conf", "mode = 1\n")
        .conffile("/etc/alpha/owner.conf", "owner = 1\n")
        .conffile("/etc/alpha/deleted.conf", "deleted = 1\n")
        .conffile("/etc/alpha/untouched.conf", "same = 1\n")
        .conffile("/etc/alpha/adm.conf", "adm = 1\n", 0640, 0, 4)
        .symlink("/etc/alpha/current.conf", "alpha.conf")
        .file("/usr/bin/alpha", "#!/bin/sh\necho alpha\n", 0755, 0, 0)
        .build(work.resolve("build"), debs);

    seeded = pristine("seeded");
    Path etc = seeded.resolve("etc");
    Files.writeString(etc.resolve("alpha/alpha.conf"), "# alpha\nlisten = 8080\nworkers = 4\n");
    // An edit has a time of its own (this one could fall in the second the .deb was built). The
    // manifest keeps no mtime, and a restored file gets the time of the restore: that the edited
    // file's mtime differs from the package's holds on both roots.
    Files.setLastModifiedTime(etc.resolve("alpha/alpha.conf"), FileTime.fromMillis(978307200000L));
    Cmd.ok("chmod", "600", etc.resolve("alpha/mode.conf").toString());
    Cmd.ok("chown", "daemon:daemon", etc.resolve("alpha/owner.conf").toString());
    Files.delete(etc.resolve("alpha/current.conf"));
    Files.createSymbolicLink(etc.resolve("alpha/current.conf"), Path.of("untouched.conf"));
    Files.delete(etc.resolve("alpha/deleted.conf"));
    // Unowned: a file in a directory no package has, with its own mode and owners; a script;
    // a link; and a secret.
    Files.createDirectories(etc.resolve("local.d"));
    Files.writeString(etc.resolve("local.d/app.conf"), "token-free = yes\n");
    Cmd.ok("chmod", "640", etc.resolve("local.d/app.conf").toString());
    Cmd.ok("chown", "daemon:adm", etc.resolve("local.d/app.conf").toString());
    Files.writeString(etc.resolve("alpha/hook.sh"), "#!/bin/sh\nexit 0\n");
    Cmd.ok("chmod", "750", etc.resolve("alpha/hook.sh").toString());
    Files.createSymbolicLink(etc.resolve("alpha/local.link"), Path.of("../local.d/app.conf"));
    Files.writeString(etc.resolve("shadow"), "root:$6$seeded$hash:19000:0:99999:7:::\n");
    Cmd.ok("chmod", "640", etc.resolve("shadow").toString());

    repo = work.resolve("drift.git");
    Cmd.Result r = scan(seeded);
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    scanned = git("rev-parse", "HEAD").out().strip();
  }

  @Test
  void scanRestoreScanLeavesOnlyTheSecretBehind() throws Exception {
    Path fresh = pristine("fresh");
    Map<String, String> repoBefore = listing(repo);

    Cmd.Result r = restore(fresh, "--ref", scanned);
    assertActions(
        r,
        1,
        "update /etc/alpha/alpha.conf",
        "relink /etc/alpha/current.conf -> untouched.conf (was -> alpha.conf)",
        "remove /etc/alpha/deleted.conf",
        "create /etc/alpha/hook.sh 0750 root:root",
        "create /etc/alpha/local.link -> ../local.d/app.conf",
        "chmod /etc/alpha/mode.conf 0600 (was 0644)",
        "chown /etc/alpha/owner.conf daemon:daemon (was root:root)",
        "mkdir /etc/local.d",
        "create /etc/local.d/app.conf 0640 daemon:adm");
    assertThat(r.err())
        .contains(
            "warning: /etc/shadow: skipped: a secret; the repository holds only a placeholder"
                + " (secret: placeholder)")
        .contains("restored web01 from " + repo + "@" + scanned.substring(0, 12))
        .contains(": 9 done, 1 warnings");
    assertThat(listing(repo)).as("restore never writes to the repository").isEqualTo(repoBefore);
    assertThat(Files.getOwner(fresh.resolve("etc/local.d/app.conf")).getName()).isEqualTo("daemon");
    try (Stream<Path> s = Files.list(fresh.resolve("etc/alpha"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("kickdrift"));
    }

    // The restored root drifts exactly as the scanned one did, but for the secret.
    assertThat(findings(fresh)).isEqualTo(without(findings(seeded), "/etc/shadow"));
    Cmd.Result again = scan(fresh);
    assertThat(again.exit()).as(again.err()).isEqualTo(1);
    assertThat(again.err()).contains("repo " + repo + ": web01: 0 modified, 0 new, 1 missing");
    assertThat(git("diff", "--name-only", scanned, "HEAD").lines())
        .containsExactly("hosts/web01/files/etc/shadow", "hosts/web01/manifest.json");
    ObjectNode before = (ObjectNode) manifest(scanned);
    ObjectNode after = (ObjectNode) manifest("HEAD");
    assertThat(after.get("files").get("/etc/shadow").get("status").asText()).isEqualTo("missing");
    ((ObjectNode) before.get("files")).remove("/etc/shadow");
    ((ObjectNode) after.get("files")).remove("/etc/shadow");
    assertThat(after).isEqualTo(before);
    GitCli.assertFsckClean(repo);

    // A second restore of the same commit has nothing left to do but the secret.
    Cmd.Result twice = restore(fresh, "--ref", scanned);
    assertThat(twice.lines()).isEmpty();
    assertThat(twice.err()).contains("nothing to do, 1 warnings");
  }

  @Test
  void dryRunSaysWhatTheRestoreWillDoAndWritesNothing() throws Exception {
    Path dry = pristine("dry");
    Map<String, String> before = listing(dry);
    FileTime dirTime = Files.getLastModifiedTime(dry.resolve("etc/alpha"));

    Cmd.Result r = restore(dry, "--ref", scanned, "--dry-run");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("dry run: web01", ": 9 would change, 1 warnings");
    assertThat(listing(dry)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(dry.resolve("etc/alpha"))).isEqualTo(dirTime);

    Cmd.Result real = restore(dry, "--ref", scanned);
    assertThat(real.lines()).isEqualTo(r.lines()).hasSize(9);
    assertThat(listing(dry)).isNotEqualTo(before);
  }

  @Test
  void jsonPrintsTheActionsAndWarningsAsOneDocument() throws Exception {
    Path dry = pristine("dry-json");
    Cmd.Result text = restore(dry, "--ref", scanned, "--dry-run");
    Cmd.Result r = restore(dry, "--ref", scanned, "--dry-run", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("host").asText()).isEqualTo(HOST);
    assertThat(doc.get("commit").asText()).startsWith(scanned);
    assertThat(doc.get("dry-run").asBoolean()).isTrue();
    List<String> actions = new ArrayList<>();
    doc.get("actions").forEach(a -> actions.add(a.asText()));
    assertThat(actions).as("the lines the text prints").isEqualTo(text.lines()).hasSize(9);
    assertThat(doc.get("warnings")).hasSize(1);
    assertThat(r.err()).doesNotContain("dry run: web01");
  }

  @Test
  void aManifestPathWithDotDotIsRefusedAndNothingIsWritten() throws Exception {
    Path evil = work.resolve("evil-repo");
    ObjectNode m = manifestOf("evil");
    ObjectNode files = (ObjectNode) m.get("files");
    // A good entry first: refused along with the bad one, since nothing is written then.
    files.putObject("/etc/alpha/untouched.conf").put("status", "missing").put("stored", false);
    files.putObject("/etc/../../escaped.conf").put("status", "missing").put("stored", false);
    Files.writeString(work.resolve("escaped.conf"), "outside the root\n");
    commitManifest(evil, "evil", m);
    Path target = pristine("target-dotdot");
    Map<String, String> before = listing(target);

    Cmd.Result r = restore(evil, "evil", target);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("hosts/evil/manifest.json: path '/etc/../../escaped.conf': refused:")
        .contains("not a normal absolute path");
    assertThat(listing(target)).isEqualTo(before);
    assertThat(work.resolve("escaped.conf")).hasContent("outside the root");
  }

  @Test
  void aWriteThroughALinkOutOfTheRootIsRefused() throws Exception {
    Path target = pristine("target-link");
    Path outsideDir = Files.createDirectories(work.resolve("outside"));
    // /etc/local.d in the root points out of it: writing local.d/app.conf would land outside.
    Files.createSymbolicLink(target.resolve("etc/local.d"), outsideDir);
    Map<String, String> before = listing(target);

    Cmd.Result r = restore(target, "--ref", scanned);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "/etc/local.d/app.conf: refused: /etc/local.d is a link to "
                + outsideDir
                + ", which leads out of "
                + target.toRealPath());
    assertThat(r.out()).isEmpty();
    assertThat(listing(target)).isEqualTo(before);
    try (Stream<Path> s = Files.list(outsideDir)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void unknownSecretModesAndUnknownOwnersAreWarningsNamingThem() throws Exception {
    Path odd = work.resolve("odd-repo");
    ObjectNode m = manifestOf("odd");
    ObjectNode files = (ObjectNode) m.get("files");
    storedUnowned(files, "/etc/odd/sealed.conf", null, "0600", "root", "root", "encrypted");
    storedUnowned(files, "/etc/odd/numeric.conf", "numeric\n", "0640", "#1234", "#4321", "none");
    storedUnowned(files, "/etc/odd/stranger.conf", "stranger\n", "0644", "stranger", "adm", "none");
    Path stored = Files.createDirectories(odd.resolve("hosts/odd/files/etc/odd"));
    Files.writeString(stored.resolve("sealed.conf"), "-----BEGIN PGP MESSAGE-----\n");
    Files.writeString(stored.resolve("numeric.conf"), "numeric\n");
    Files.writeString(stored.resolve("stranger.conf"), "stranger\n");
    commitManifest(odd, "odd", m);
    Path target = pristine("target-odd");

    Cmd.Result r = restore(odd, "odd", target);
    assertActions(
        r,
        1,
        "mkdir /etc/odd",
        "create /etc/odd/numeric.conf 0640 #1234:#4321",
        "create /etc/odd/stranger.conf 0644 stranger:adm");
    assertThat(r.err())
        .contains(
            "warning: /etc/odd/sealed.conf: skipped: a secret encrypted to an unnamed key;"
                + " give --decrypt-with KEYFILE to restore it (secret: encrypted)",
            "warning: /etc/odd/stranger.conf: user 'stranger' is not in /etc/passwd of "
                + target.toRealPath()
                + "; user left as it is");
    assertThat(target.resolve("etc/odd/sealed.conf")).doesNotExist();
    assertThat(Files.getAttribute(target.resolve("etc/odd/numeric.conf"), "unix:uid"))
        .isEqualTo(1234);
    assertThat(Files.getAttribute(target.resolve("etc/odd/numeric.conf"), "unix:gid"))
        .isEqualTo(4321);
    assertThat(Files.getAttribute(target.resolve("etc/odd/stranger.conf"), "unix:uid"))
        .isEqualTo(0);
    assertThat(Files.getAttribute(target.resolve("etc/odd/stranger.conf"), "unix:gid"))
        .isEqualTo(4);
  }

  @Test
  void aStoredFileThatDoesNotMatchItsDigestIsAnErrorNamingTheField() throws Exception {
    Path bad = work.resolve("bad-digest-repo");
    ObjectNode m = manifestOf("bad");
    storedUnowned(
        (ObjectNode) m.get("files"),
        "/etc/bad.conf",
        "what the host had\n",
        "0644",
        "root",
        "root",
        "none");
    Files.createDirectories(bad.resolve("hosts/bad/files/etc"));
    Files.writeString(bad.resolve("hosts/bad/files/etc/bad.conf"), "something else\n");
    commitManifest(bad, "bad", m);
    Path target = pristine("target-bad-digest");

    Cmd.Result r = restore(bad, "bad", target);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .containsPattern(
            "hosts/bad/manifest.json: /etc/bad.conf: field digest: sha256:[0-9a-f]{64}, but"
                + " files/etc/bad.conf has sha256:"
                + sha256("something else\n"));
    assertThat(target.resolve("etc/bad.conf")).doesNotExist();
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void badArgumentsExitTwoNamingWhatIsWrong() throws Exception {
    Path target = pristine("target-bad");
    Cmd.Result noRef = restore(target, "--ref", "no-such-branch");
    assertThat(noRef.exit()).isEqualTo(2);
    assertThat(noRef.err()).contains("--ref no-such-branch: no such commit");
    Cmd.Result noHost = restore(repo, "web99", target);
    assertThat(noHost.exit()).isEqualTo(2);
    assertThat(noHost.err()).contains("hosts/web99/manifest.json: no such file");
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A root with the accounts and the package installed, nothing changed. */
  static Path pristine(String name) throws Exception {
    try (Stream<Path> s = Files.list(debs)) {
      return DpkgTestRoot.create(work.resolve(name)).install(s.sorted().toList()).path();
    }
  }

  static Cmd.Result scan(Path root) throws Exception {
    return Cmd.agent(
        "scan",
        "--root",
        root.toString(),
        "--no-cache",
        "--all",
        "--host",
        HOST,
        "--debs",
        debs.toString(),
        "--repo",
        repo.toString());
  }

  static Cmd.Result restore(Path root, String... more) throws Exception {
    return restore(repo, HOST, root, more);
  }

  static Cmd.Result restore(Path from, String host, Path root, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "restore", "--repo", from.toString(), "--host", host, "--root", root.toString()));
    args.addAll(List.of(more));
    return Cmd.agent(args.toArray(String[]::new));
  }

  /** Path, status and problems of each finding of a scan with the .debs' metadata. */
  static Set<String> findings(Path root) throws Exception {
    Cmd.Result r =
        Cmd.agent(
            "scan",
            "--root",
            root.toString(),
            "--no-cache",
            "--all",
            "--debs",
            debs.toString(),
            "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    Set<String> out = new TreeSet<>();
    for (JsonNode f : new ObjectMapper().readTree(r.out()).get("findings")) {
      out.add(f.get("path").asText() + " " + f.get("status").asText() + " " + f.get("problems"));
    }
    return out;
  }

  static Set<String> without(Set<String> findings, String path) {
    Set<String> out = new TreeSet<>(findings);
    assertThat(out.removeIf(f -> f.startsWith(path + " "))).as(path).isTrue();
    return out;
  }

  static Cmd.Result git(String... args) throws Exception {
    return GitCli.git(repo, args);
  }

  static JsonNode manifest(String rev) throws Exception {
    return new ObjectMapper()
        .readTree(git("show", rev + ":hosts/" + HOST + "/manifest.json").out());
  }

  /** Asserts the exit code of a restore and the actions it printed, in order. */
  static void assertActions(Cmd.Result r, int exit, String... actions) {
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(exit);
    assertThat(r.lines()).containsExactly(actions);
  }

  /** A manifest of schema 1 for {@code host}, its {@code files} empty. */
  static ObjectNode manifestOf(String host) {
    ObjectNode m = new ObjectMapper().createObjectNode();
    m.put("schema", 1).put("host", host);
    m.putObject("files");
    return m;
  }

  /**
   * The entry of an unowned regular file whose content the repository stores; {@code content} gives
   * its digest, none when null.
   */
  static void storedUnowned(
      ObjectNode files,
      String path,
      String content,
      String mode,
      String user,
      String group,
      String secret)
      throws Exception {
    ObjectNode e = files.putObject(path).put("status", "unowned");
    if (content != null) {
      e.put("digest", "sha256:" + sha256(content));
    }
    e.put("type", "regular")
        .put("mode", mode)
        .put("user", user)
        .put("group", group)
        .put("secret", secret)
        .put("stored", true);
  }

  /** A non-bare repository with one commit holding {@code hosts/<host>/manifest.json}. */
  static void commitManifest(Path dir, String host, JsonNode manifest) throws Exception {
    Files.createDirectories(dir.resolve("hosts/" + host));
    Files.writeString(
        dir.resolve("hosts/" + host + "/manifest.json"),
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
    GitCli.commitAll(dir, "evil");
  }

  /** Every entry under {@code dir}: type, mode, owner, size, mtime, and content or link target. */
  static Map<String, String> listing(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Map<String, Object> a =
            Files.readAttributes(
                p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        String what;
        if (Files.isSymbolicLink(p)) {
          what = "-> " + Files.readSymbolicLink(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          what =
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } else {
          what = "";
        }
        out.put(
            dir.relativize(p).toString(),
            String.format(
                "%o %s:%s %s %s %s",
                a.get("mode"),
                a.get("uid"),
                a.get("gid"),
                a.get("size"),
                a.get("lastModifiedTime"),
                what));
      }
    }
    return out;
  }
}
