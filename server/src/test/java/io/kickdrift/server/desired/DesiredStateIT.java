package io.kickdrift.server.desired;

import static io.kickdrift.testkit.DebBuilder.deb;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import io.kickdrift.testkit.OpenSshd;
import io.kickdrift.testkit.ScratchDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21's proof, from the scans of four hosts of one profile: dpkg roots behind real OpenSSH,
 * one sshd per host in a mount namespace of its own where the same path is that host's root (as
 * FleetScanIT), scanned by {@code kickdrift fleet scan} into a config repository. Seeded drift:
 * {@code /etc/app/app.conf} on web01 to web03 differs only by each host's own name and address,
 * web04's is a real outlier; {@code /etc/app/limits.conf} is identical on web01 and web02.
 */
class DesiredStateIT {
  @RegisterExtension
  static final ScratchDir scratch = new ScratchDir("kd-desired-it").traversable();

  static final int HOSTS = 4;
  static Path work;
  static Path key;
  static Path inventory;
  static Path repo;
  static final List<Path> roots = new ArrayList<>();
  static final List<OpenSshd> sshds = new ArrayList<>();
  static List<Path> packages;

  static String name(int i) {
    return "web0" + (i + 1) + ".lab.example.com";
  }

  static String ip(int i) {
    return "127.0.0." + (i + 11);
  }

  @BeforeAll
  static void fleet() throws Exception {
    Cmd.require("unshare", "util-linux");
    Cmd.require("git", "git");
    work = scratch.path();
    Path mnt = Files.createDirectories(work.resolve("mnt"));
    key = work.resolve("id_ed25519");
    OpenSshd.keygen(key);
    Path build = work.resolve("build");
    Path debs = work.resolve("debs");
    packages =
        List.of(
            deb("app", "1.0-1", "all")
                .conffile("/etc/app/app.conf", "server_name localhost;\nlisten 0.0.0.0:80;\n")
                .file("/usr/bin/app", "#!/bin/sh\necho app\n", 0755, 0, 0)
                .build(build, debs),
            deb("base", "1", "all")
                .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
                .file("/etc/group", "root:x:0:\nadm:x:4:\n")
                .build(build, debs));
    StringBuilder inv =
        new StringBuilder(
            "distros:\n  - {name: d, family: debian, version: \"12\", kernel: k, initrd: i,"
                + " install-tree: http://192.0.2.1/t}\n"
                + "subnets:\n  - {network: 127.0.0.0/8}\n"
                + "profiles:\n  - {name: web, distro: d}\nhosts:\n");
    for (int i = 0; i < HOSTS; i++) {
      Path root = work.resolve("root-" + (i + 1));
      DpkgTestRoot.create(root);
      Path cache = Files.createDirectories(root.resolve("var/cache/apt/archives"));
      for (Path p : packages) {
        Files.copy(p, cache.resolve(p.getFileName()));
      }
      DebBuilder.install(root, packages);
      roots.add(root);
      Path sdir = Files.createDirectories(work.resolve("sshd-" + (i + 1)));
      OpenSshd.prepare(sdir, key, "root", "Subsystem sftp internal-sftp", "ListenAddress " + ip(i));
      sshds.add(
          OpenSshd.start(
              sdir.resolve("sshd_config"),
              sdir.resolve("sshd.log"),
              OpenSshd.withRootAt(root, mnt)));
      inv.append("  - name: ")
          .append(name(i))
          .append("\n    profile: web\n    interfaces: [{name: eth0, mac: \"52:54:00:00:01:0")
          .append(i + 1)
          .append("\", ip: ")
          .append(ip(i))
          .append("}]\n    ssh: {user: root, port: ")
          .append(sshds.get(i).port())
          .append("}\n");
      String conf =
          i < 3
              ? "server_name " + name(i) + ";\nlisten " + ip(i) + ":80;\nworkers 4;\n"
              : "server_name " + name(i) + ";\nlisten 0.0.0.0:8080;\nworkers 64;\n";
      Files.writeString(root.resolve("etc/app/app.conf"), conf);
      if (i < 2) {
        Files.writeString(root.resolve("etc/app/limits.conf"), "nofile 65536\n");
      }
      if (i == 0) {
        // a secret by its path: the repository holds a placeholder, never this
        Files.createDirectories(root.resolve("etc/ssl/private"));
        Files.writeString(root.resolve("etc/ssl/private/app.key"), "TOP-SECRET-KEY-MATERIAL\n");
      }
    }
    inventory = Files.writeString(work.resolve("inventory.yaml"), inv.toString());
    repo = work.resolve("drift.git");
    Cmd.Result scan =
        Cmd.kickdrift(
            "fleet",
            "scan",
            "--inventory",
            inventory.toString(),
            "--repo",
            repo.toString(),
            "--identity",
            key.toString(),
            "--known-hosts",
            work.resolve("known_hosts").toString(),
            "--accept-new",
            "--root",
            mnt.toString(),
            "--ssh-config",
            "none",
            "--way",
            "agentless",
            "--state",
            work.resolve("state").toString());
    assertThat(scan.exit()).as(scan.out() + scan.err()).isEqualTo(1);
  }

  @AfterAll
  static void stop() throws Exception {
    for (OpenSshd s : sshds) {
      s.close();
    }
  }

  @Test
  void variantsAreTwoForTheHostValuedFileOneTemplatedAndOneOutlier() throws Exception {
    Cmd.Result text =
        Cmd.kickdrift(
            "drift",
            "variants",
            "--repo",
            repo.toString(),
            "--inventory",
            inventory.toString(),
            "--path",
            "/etc/app/**");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .isEqualTo(
            "profile web: 4 hosts scanned, 2 paths\n"
                + "/etc/app/app.conf  4 hosts, 2 variants, outliers: web04.lab.example.com, unclaimed\n"
                + "  1  template  3 hosts: web01.lab.example.com web02.lab.example.com"
                + " web03.lab.example.com  with host.fqdn, host.ip\n"
                + "  2  template  1 host: web04.lab.example.com  with host.fqdn\n"
                + "/etc/app/limits.conf  2 hosts, 1 variant, unclaimed\n"
                + "  1  file  2 hosts: web01.lab.example.com web02.lab.example.com  blob "
                + blob("web01.lab.example.com", "/etc/app/limits.conf").substring(0, 12)
                + "\n");

    Cmd.Result json =
        Cmd.kickdrift(
            "drift",
            "variants",
            "--repo",
            repo.toString(),
            "--inventory",
            inventory.toString(),
            "--profile",
            "web",
            "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.out());
    JsonNode app = null;
    for (JsonNode p : doc.get(0).get("paths")) {
      if (p.get("path").asText().equals("/etc/app/app.conf")) {
        app = p;
      }
    }
    assertThat(app).isNotNull();
    assertThat(app.get("variants").get(0).get("template").asText())
        .isEqualTo("server_name [=host.fqdn];\nlisten [=host.ip]:80;\nworkers 4;\n");
    assertThat(app.get("outliers").toString()).isEqualTo("[\"web04.lab.example.com\"]");
  }

  @Test
  void anUnknownProfileOrRepositoryIsExitTwoNamingIt() throws Exception {
    Cmd.Result profile =
        Cmd.kickdrift(
            "drift",
            "variants",
            "--repo",
            repo.toString(),
            "--inventory",
            inventory.toString(),
            "--profile",
            "db");
    assertThat(profile.exit()).isEqualTo(2);
    assertThat(profile.err())
        .isEqualTo(
            "kickdrift drift variants: no host of the inventory has profile db; profiles with"
                + " hosts: [web]\n");
    Cmd.Result none =
        Cmd.kickdrift(
            "drift",
            "variants",
            "--repo",
            work.resolve("nope.git").toString(),
            "--inventory",
            inventory.toString());
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains(work.resolve("nope.git") + ": no such directory");
  }

  @Test
  void adoptWritesTheVariantIntoTheDesiredTreeAsACommitAndRefusesBadInputWritingNothing()
      throws Exception {
    Path desired = work.resolve("adopt/desired");
    Cmd.Result app = adopt(desired, inventory, "/etc/app/app.conf", "--profile", "web");
    assertThat(app.exit()).as(app.err()).isZero();
    assertThat(app.out())
        .startsWith("adopt /etc/app/app.conf for profile web: template with host.fqdn, host.ip\n");
    Path web = desired.resolve("profiles/web");
    assertThat(Files.readString(web.resolve("templates/etc/app/app.conf.ftl")))
        .isEqualTo("server_name [=host.fqdn];\nlisten [=host.ip]:80;\nworkers 4;\n");
    Cmd.Result limits =
        adopt(desired, inventory, "/etc/app/limits.conf", "--profile", "web", "--host", name(1));
    assertThat(limits.exit()).as(limits.err()).isZero();
    assertThat(Files.readString(web.resolve("files/etc/app/limits.conf")))
        .isEqualTo("nofile 65536\n");
    var entries = DesiredTree.read(web.resolve("desired.yaml"));
    assertThat(entries.get("/etc/app/app.conf"))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo("template");
              assertThat(e.mode()).isEqualTo("0644");
              assertThat(e.owner()).isEqualTo("root");
              assertThat(e.group()).isEqualTo("root");
              assertThat(e.pkg()).isEqualTo("app");
              assertThat(e.from()).startsWith(name(0) + " @ ").endsWith(", variant 1 of 2");
            });
    assertThat(entries.get("/etc/app/limits.conf").pkg()).isNull();
    // two commits for review, read by git itself
    assertThat(Cmd.ok("git", "-C", desired.toString(), "log", "--format=%s").out())
        .isEqualTo(
            "adopt /etc/app/limits.conf for profile web: file\n"
                + "adopt /etc/app/app.conf for profile web: template with host.fqdn, host.ip\n");
    assertThat(Cmd.ok("git", "-C", desired.toString(), "status", "--porcelain").out()).isEmpty();

    // bad input: a clear error naming the path and what exists; nothing written
    String head = Cmd.ok("git", "-C", desired.toString(), "rev-parse", "HEAD").out();
    String listing = Cmd.ok("find", desired.toString(), "-not", "-path", "*/.git/*").out();
    Cmd.Result none = adopt(desired, inventory, "/etc/nowhere.conf", "--profile", "web");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err())
        .startsWith(
            "kickdrift adopt: /etc/nowhere.conf: no host of profile web has it in the config"
                + " repository; paths the scans found: ")
        .contains("/etc/app/app.conf");
    Cmd.Result range =
        adopt(desired, inventory, "/etc/app/app.conf", "--profile", "web", "--variant", "3");
    assertThat(range.err())
        .isEqualTo(
            "kickdrift adopt: variant 3 of /etc/app/app.conf: expected 1 to 2 (kickdrift drift"
                + " variants --path /etc/app/app.conf lists them)\n");
    Path lacking =
        Files.writeString(
            work.resolve("inventory-web05.yaml"),
            Files.readString(inventory)
                + "  - name: web05.lab.example.com\n    profile: web\n    interfaces: []\n");
    Cmd.Result variable = adopt(desired, lacking, "/etc/app/app.conf", "--profile", "web");
    assertThat(variable.exit()).isEqualTo(2);
    assertThat(variable.err())
        .startsWith(
            "kickdrift adopt: /etc/app/app.conf: the template uses host.ip, which the inventory does"
                + " not give host web05.lab.example.com of profile web");
    assertThat(Cmd.ok("git", "-C", desired.toString(), "rev-parse", "HEAD").out()).isEqualTo(head);
    assertThat(Cmd.ok("find", desired.toString(), "-not", "-path", "*/.git/*").out())
        .isEqualTo(listing);
  }

  @Test
  void aClaimIsCommittedWithTheForgesCodeownersAndShowsInTheNextReport() throws Exception {
    Path claimed = work.resolve("claimed.git");
    Cmd.ok("git", "clone", "-q", "--bare", repo.toString(), claimed.toString());
    Cmd.Result claim =
        Cmd.kickdrift(
            "claim",
            "/etc/app/limits.conf",
            "--owner",
            "@org/web",
            "--note",
            "the web team's",
            "--repo",
            claimed.toString());
    assertThat(claim.exit()).as(claim.err()).isZero();
    assertThat(claim.out()).startsWith("/etc/app/limits.conf claimed by @org/web; commit ");
    assertThat(Cmd.ok("git", "-C", claimed.toString(), "show", "HEAD:.github/CODEOWNERS").out())
        .endsWith(
            "/hosts/*/files/etc/app/limits.conf @org/web\n"
                + "/hosts/*/files/etc/app/limits.conf/** @org/web\n");
    assertThat(Cmd.ok("git", "-C", claimed.toString(), "show", "HEAD:owners.yaml").out())
        .contains("  - path: \"/etc/app/limits.conf\"\n    owner: \"@org/web\"\n");
    // the hosts' trees are untouched by the claim's commit
    assertThat(
            Cmd.ok(
                    "git",
                    "-C",
                    claimed.toString(),
                    "diff",
                    "--stat",
                    "HEAD~1",
                    "HEAD",
                    "--",
                    "hosts")
                .out())
        .isEmpty();
    Cmd.Result report =
        Cmd.kickdrift(
            "drift",
            "variants",
            "--repo",
            claimed.toString(),
            "--inventory",
            inventory.toString(),
            "--path",
            "/etc/app/**");
    // unclaimed first
    assertThat(report.out())
        .containsSubsequence(
            "/etc/app/app.conf  4 hosts, 2 variants, outliers: web04.lab.example.com, unclaimed\n",
            "/etc/app/limits.conf  2 hosts, 1 variant, owner @org/web\n");
    Cmd.Result bad =
        Cmd.kickdrift("claim", "/etc/app/**", "--owner", "web-team", "--repo", claimed.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err())
        .isEqualTo(
            "kickdrift claim: owner 'web-team': expected @user, @org/team or an e-mail address, as"
                + " forges take\n");
  }

  @Test
  void theAnsibleExportConvergesFreshHostsAndASecondRunChangesNothing() throws Exception {
    Cmd.require("ansible-playbook", "ansible-core");
    Cmd.require("ansible-vault", "ansible-core");
    Path base = Files.createDirectories(work.resolve("ansible"));
    Path desired = base.resolve("desired");
    adoptThePaths(desired);
    // the hosts again, each sshd in a mount namespace where /etc and /var/lib/dpkg are overlays:
    // what Ansible writes lands in a directory of the test's (the upper layer), nothing else
    // changes, and the packages the host's dpkg root has installed are what apt sees
    String inv = Files.readString(inventory);
    List<Path> uppers = new ArrayList<>();
    List<OpenSshd> targets = new ArrayList<>();
    try {
      for (int i = 0; i < HOSTS; i++) {
        Path o = Files.createDirectories(base.resolve("overlay-" + (i + 1)));
        for (String d : List.of("etc", "etc-work", "dpkg", "dpkg-work")) {
          Files.createDirectories(o.resolve(d));
        }
        uppers.add(o.resolve("etc"));
        Path sdir = Files.createDirectories(base.resolve("sshd-" + (i + 1)));
        OpenSshd.prepare(sdir, key, "root", "ListenAddress " + ip(i));
        OpenSshd t =
            OpenSshd.start(
                sdir.resolve("sshd_config"),
                sdir.resolve("sshd.log"),
                OpenSshd.inMountNamespace(
                    "mount -t overlay overlay -o lowerdir=/etc,upperdir=$1/etc,workdir=$1/etc-work"
                        + " /etc && mount -t overlay overlay -o"
                        + " lowerdir=$2/var/lib/dpkg:/var/lib/dpkg,upperdir=$1/dpkg,workdir=$1/dpkg-work"
                        + " /var/lib/dpkg && shift 2 && exec \"$@\"",
                    "overlay",
                    o.toString(),
                    roots.get(i).toString()));
        targets.add(t);
        inv = inv.replace("port: " + sshds.get(i).port() + "}", "port: " + t.port() + "}");
      }
      Path targetInventory = Files.writeString(base.resolve("inventory.yaml"), inv);
      Path vaultPassword = Files.writeString(base.resolve("vault-password"), "kd vault test\n");
      Path project = base.resolve("project");
      Cmd.Result noPassword =
          Cmd.kickdrift(
              "export",
              "ansible",
              "--inventory",
              targetInventory.toString(),
              "--desired",
              desired.toString(),
              "--out",
              base.resolve("refused").toString());
      assertThat(noPassword.exit()).isEqualTo(2);
      assertThat(noPassword.err())
          .contains(
              "/etc/ssl/private/app.key holds a secret (placeholder): give --vault-password-file");
      assertThat(base.resolve("refused")).doesNotExist();
      Cmd.Result export =
          Cmd.kickdrift(
              "export",
              "ansible",
              "--inventory",
              targetInventory.toString(),
              "--desired",
              desired.toString(),
              "--out",
              project.toString(),
              "--vault-password-file",
              vaultPassword.toString());
      assertThat(export.exit()).as(export.err()).isZero();
      Path vaulted = project.resolve("roles/profile_web/files/etc/ssl/private/app.key");
      assertThat(Files.readString(vaulted)).startsWith("$ANSIBLE_VAULT;1.1;AES256\n");
      Cmd.Result view =
          ansible(
              base,
              List.of(
                  "ansible-vault",
                  "view",
                  "--vault-password-file",
                  vaultPassword.toString(),
                  vaulted.toString()));
      assertThat(view.exit()).as(view.err()).isZero();
      assertThat(view.out()).startsWith("# kickdrift: /etc/ssl/private/app.key is a secret");
      assertThat(view.out()).doesNotContain("TOP-SECRET");

      List<String> playbook =
          List.of(
              "ansible-playbook",
              "-i",
              project.resolve("inventory.yml").toString(),
              "--private-key",
              key.toString(),
              "--vault-password-file",
              vaultPassword.toString(),
              // the manifest into the overlaid /etc, where the test can read it
              "-e",
              "kickdrift_desired_manifest=/etc/kickdrift/desired.json",
              project.resolve("site.yml").toString());
      Cmd.Result syntax = ansible(base, plus(playbook, "--syntax-check"));
      assertThat(syntax.exit()).as(syntax.out() + syntax.err()).isZero();
      Cmd.Result first = ansible(base, playbook);
      assertThat(first.exit()).as(first.out() + first.err()).isZero();
      for (int i = 0; i < HOSTS; i++) {
        assertThat(first.out())
            .containsPattern(Pattern.quote(name(i)) + " +: ok=\\d+ +changed=[1-9]");
        Path app = uppers.get(i).resolve("app/app.conf");
        assertThat(Files.readString(app))
            .isEqualTo("server_name " + name(i) + ";\nlisten " + ip(i) + ":80;\nworkers 4;\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(app)))
            .isEqualTo("rw-r--r--");
        assertThat(Files.readString(uppers.get(i).resolve("app/limits.conf")))
            .isEqualTo("nofile 65536\n");
        // what Ansible wrote (the upper layer) over a fresh root with the profile's packages:
        // scan --against-desired finds nothing unexpected
        Path fresh = base.resolve("fresh-" + (i + 1));
        freshRoot(fresh);
        Cmd.ok("cp", "-a", uppers.get(i) + "/.", fresh.resolve("etc").toString());
        Cmd.Result scan =
            Cmd.kickdrift(
                "scan",
                "--root",
                fresh.toString(),
                "--host",
                name(i),
                "--state",
                base.resolve("agent-state").toString(),
                "--json",
                "--against-desired",
                fresh.resolve("etc/kickdrift/desired.json").toString());
        assertThat(scan.exit()).as(scan.out() + scan.err()).isZero();
        List<String> found = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(scan.out()).get("findings")) {
          assertThat(f.at("/desired/verdict").asText()).as(f.toString()).isEqualTo("expected");
          found.add(f.get("path").asText());
        }
        assertThat(found)
            .containsExactly(
                "/etc/app/app.conf", "/etc/app/limits.conf", "/etc/ssl/private/app.key");
      }
      Cmd.Result second = ansible(base, playbook);
      assertThat(second.exit()).as(second.out() + second.err()).isZero();
      for (int i = 0; i < HOSTS; i++) {
        assertThat(second.out())
            .containsPattern(
                Pattern.quote(name(i)) + " +: ok=\\d+ +changed=0 +unreachable=0 +failed=0");
      }
      Cmd.Result check = ansible(base, plus(playbook, "--check", "--diff"));
      assertThat(check.exit()).as(check.out() + check.err()).isZero();
      assertThat(check.out()).doesNotContainPattern("changed=[1-9]");
    } finally {
      for (OpenSshd t : targets) {
        t.close();
      }
    }
  }

  @Test
  void theKickstartLaysTheDesiredStateDownAndTheBaselineScanFindsNothingUnexpected()
      throws Exception {
    Cmd.require("chroot", "coreutils");
    Path busybox = Path.of("/bin/busybox");
    assertThat(busybox).as("busybox-static, for the chroot's shell").isExecutable();
    Path base = Files.createDirectories(work.resolve("install"));
    Path desired = base.resolve("desired");
    adoptThePaths(desired);
    // the same hosts on a distro kickdrift writes kickstarts for
    Path rhel =
        Files.writeString(
            base.resolve("inventory.yaml"),
            "server: {address: 127.0.0.1}\n"
                + Files.readString(inventory)
                    .replace("family: debian, version: \"12\"", "family: rhel, version: \"9\""));
    Path state = base.resolve("state");
    Path out = base.resolve("tree");
    assertThat(Cmd.kickdrift("init", "--state", state.toString()).exit()).isZero();
    Cmd.Result render =
        Cmd.kickdrift(
            "render",
            "--inventory",
            rhel.toString(),
            "--out",
            out.toString(),
            "--state",
            state.toString(),
            "--desired",
            desired.toString());
    assertThat(render.exit()).as(render.err()).isZero();
    // the secret is a placeholder in the config repository: left out, said so
    assertThat(render.err())
        .contains(
            "warning: desired state: "
                + name(0)
                + ": /etc/ssl/private/app.key is a secret (placeholder)");
    String ks = Files.readString(out.resolve("kickstarts/" + name(0) + ".ks"));
    assertThat(ks).contains("%packages\napp\n%end\n").doesNotContain("TOP-SECRET");
    String post = section(ks, "%post --log=/root/kickdrift-desired.log\n");

    // "install": a fresh root with the profile's packages, the %post run in it by a shell there
    Path root = base.resolve("root");
    freshRoot(root);
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"));
    for (String tool :
        List.of("sh", "base64", "mkdir", "chown", "chmod", "mv", "rm", "ln", "echo")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("busybox"));
    }
    Files.createDirectories(root.resolve("tmp"));
    Files.writeString(root.resolve("tmp/desired-post.sh"), post);
    Cmd.Result ran = Cmd.run(List.of("chroot", root.toString(), "/bin/sh", "/tmp/desired-post.sh"));
    assertThat(ran.exit()).as(ran.out() + ran.err()).isZero();
    assertThat(ran.out() + ran.err()).doesNotContain("kickdrift: cannot");
    Files.delete(root.resolve("tmp/desired-post.sh"));
    assertThat(Files.readString(root.resolve("etc/app/app.conf")))
        .isEqualTo("server_name " + name(0) + ";\nlisten " + ip(0) + ":80;\nworkers 4;\n");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("etc/app/limits.conf"))))
        .isEqualTo("rw-r--r--");
    assertThat(root.resolve("etc/ssl/private/app.key")).doesNotExist();

    // the baseline scan: every finding expected, exit 0
    Path agentState = base.resolve("agent-state");
    Cmd.Result baseline =
        Cmd.kickdrift(
            "scan",
            "--root",
            root.toString(),
            "--state",
            agentState.toString(),
            "--host",
            name(0),
            "--json",
            "--against-desired");
    assertThat(baseline.exit()).as(baseline.out() + baseline.err()).isZero();
    JsonNode findings = new ObjectMapper().readTree(baseline.out()).get("findings");
    List<String> expected = new ArrayList<>();
    for (JsonNode f : findings) {
      assertThat(f.at("/desired/verdict").asText()).as(f.toString()).isEqualTo("expected");
      expected.add(f.get("path").asText());
    }
    assertThat(expected).containsExactly("/etc/app/app.conf", "/etc/app/limits.conf");
    Cmd.Result text =
        Cmd.kickdrift(
            "scan",
            "--root",
            root.toString(),
            "--state",
            agentState.toString(),
            "--host",
            name(0),
            "--against-desired");
    assertThat(text.exit()).isZero();
    assertThat(text.out())
        .contains("against desired state: 2 expected, 0 drifted, 0 undeclared: nothing unexpected");

    // drift: an adopted file changed, one gone, one nobody declared; exit 1, each named
    Files.writeString(
        root.resolve("etc/app/app.conf"), "workers 1;\n", java.nio.file.StandardOpenOption.APPEND);
    Files.delete(root.resolve("etc/app/limits.conf"));
    Files.writeString(root.resolve("etc/app/extra.conf"), "debug 1\n");
    Path hostRepo = base.resolve("host.git");
    Cmd.Result later =
        Cmd.kickdrift(
            "scan",
            "--root",
            root.toString(),
            "--state",
            agentState.toString(),
            "--host",
            name(0),
            "--repo",
            hostRepo.toString(),
            "--against-desired",
            root.resolve("var/lib/kickdrift/desired.json").toString());
    assertThat(later.exit()).as(later.out() + later.err()).isEqualTo(1);
    assertThat(later.out())
        .containsPattern(
            "(?m)^  drifted +modified +c /etc/app/app.conf .*\\{desired: content differs\\}")
        .containsPattern("(?m)^  drifted +missing +/etc/app/limits.conf .*\\{desired: missing\\}")
        .containsPattern("(?m)^  undeclared +unowned +/etc/app/extra.conf")
        .contains("against desired state: 0 expected, 2 drifted, 1 undeclared\n");
    assertThat(Cmd.ok("git", "-C", hostRepo.toString(), "log", "-1", "--format=%B").out())
        .contains(
            "Against desired state: 0 expected, 2 drifted, 1 undeclared\n"
                + "drifted: /etc/app/app.conf (content differs)\n"
                + "undeclared: /etc/app/extra.conf\n"
                + "drifted: /etc/app/limits.conf (missing)\n");
  }

  /** The body of the kickstart section that starts with {@code header}, up to its {@code %end}. */
  static String section(String ks, String header) {
    int start = ks.indexOf(header);
    assertThat(start).as("a section " + header.strip() + " in\n" + ks).isNotNegative();
    int end = ks.indexOf("\n%end\n", start);
    return ks.substring(start + header.length(), end + 1);
  }

  /** Adopts app.conf (the templated variant), limits.conf and the secret key for profile web. */
  static void adoptThePaths(Path desired) throws Exception {
    for (List<String> a :
        List.of(
            List.of("/etc/app/app.conf", "--profile", "web"),
            List.of("/etc/app/limits.conf", "--profile", "web", "--host", name(0)),
            List.of("/etc/ssl/private/app.key", "--profile", "web", "--host", name(0)))) {
      Cmd.Result r =
          adopt(desired, inventory, a.get(0), a.subList(1, a.size()).toArray(String[]::new));
      assertThat(r.exit()).as(r.err()).isZero();
    }
  }

  /** A root as an install leaves it before its {@code %post}: the profile's packages, no drift. */
  static void freshRoot(Path root) throws Exception {
    DpkgTestRoot.create(root);
    DebBuilder.install(root, packages);
  }

  static List<String> plus(List<String> a, String... more) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(more));
    return all;
  }

  /** An ansible command with its home, temporary directories and SSH options in the test's. */
  static Cmd.Result ansible(Path base, List<String> command) throws Exception {
    Path home = Files.createDirectories(base.resolve("home"));
    return Cmd.run(
        command,
        java.util.Map.of(
            "HOME", home.toString(),
            "ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString(),
            "ANSIBLE_REMOTE_TEMP", "/tmp/kd-ansible-remote",
            "ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3",
            "ANSIBLE_NOCOLOR", "1",
            "ANSIBLE_RETRY_FILES_ENABLED", "0",
            "ANSIBLE_PIPELINING", "1",
            "ANSIBLE_SSH_ARGS",
                "-o UserKnownHostsFile="
                    + home.resolve("known_hosts")
                    + " -o StrictHostKeyChecking=accept-new -o IdentitiesOnly=yes"
                    + " -o ControlMaster=no"));
  }

  static Cmd.Result adopt(Path desired, Path inv, String path, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "adopt",
                path,
                "--repo",
                repo.toString(),
                "--inventory",
                inv.toString(),
                "--desired",
                desired.toString()));
    args.addAll(List.of(more));
    return Cmd.kickdrift(args.toArray(String[]::new));
  }

  static String blob(String host, String path) throws Exception {
    return Cmd.ok("git", "-C", repo.toString(), "rev-parse", "HEAD:hosts/" + host + "/files" + path)
        .out()
        .strip();
  }
}
