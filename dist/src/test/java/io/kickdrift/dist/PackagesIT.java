package io.kickdrift.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages `mvn package` built, checked by the tools that consume them: lintian, rpmlint,
 * systemd-analyze, rpm, groff, man and bash. docs/packaging.md lists the lintian and rpmlint
 * findings accepted here, each with its reason.
 */
class PackagesIT {
  private static final Path DIST = Path.of(System.getProperty("dist.dir", "target"));
  private static final Path SRC = Path.of(System.getProperty("dist.src", "src"));
  private static final String VERSION =
      System.getProperty("dist.version", "0.1.0-SNAPSHOT").replace('-', '~');
  private static final Path SERVER_DEB = DIST.resolve("kickdrift_" + VERSION + "_all.deb");
  private static final Path AGENT_DEB = DIST.resolve("kickdrift-agent_" + VERSION + "_all.deb");
  private static final Path AGENT_RPM = DIST.resolve("kickdrift-agent-" + VERSION + ".noarch.rpm");

  /** lintian tags accepted, each explained in docs/packaging.md ("lintian"). */
  private static final Set<String> LINTIAN_ACCEPTED =
      Set.of(
          "unknown-java-class-version",
          "package-supports-alternative-init-but-no-init.d-script",
          "uses-dpkg-database-directly");

  /** rpmlint warnings accepted, each explained in docs/packaging.md ("rpmlint"). */
  private static final Set<String> RPMLINT_ACCEPTED =
      Set.of(
          "only-non-binary-in-usr-lib",
          "non-coherent-filename",
          "no-manual-page-for-binary",
          "jar-not-indexed",
          "invalid-license",
          "dangerous-command-in-%postun");

  @TempDir static Path scratch;
  static Path root;

  /** Both debs unpacked into one tree, as an install would lay them out. */
  @BeforeAll
  static void unpack() throws Exception {
    root = scratch.resolve("root");
    Run.of("dpkg-deb", "-x", SERVER_DEB.toString(), root.toString()).ok();
    Run.of("dpkg-deb", "-x", AGENT_DEB.toString(), root.toString()).ok();
  }

  @Test
  void theBuildMadeTwoDebsAndTheAgentRpm() {
    assertThat(SERVER_DEB).isRegularFile();
    assertThat(AGENT_DEB).isRegularFile();
    // CI has rpmbuild (the rpm profile is on): a missing RPM is a failure, not a skip.
    assertThat(AGENT_RPM).isRegularFile();
  }

  @Test
  void theServerDebHoldsWhatAnInstallNeeds() throws Exception {
    assertThat(root.resolve("usr/bin/kickdrift")).isExecutable();
    assertThat(root.resolve("usr/share/kickdrift/kickdrift.jar")).isRegularFile();
    assertThat(root.resolve("lib/systemd/system/kickdrift.service")).isRegularFile();
    assertThat(root.resolve("usr/share/man/man1/kickdrift.1.gz")).isRegularFile();
    assertThat(root.resolve("usr/share/man/man1/kickdrift-serve.1.gz")).isRegularFile();
    assertThat(root.resolve("usr/share/bash-completion/completions/kickdrift")).isRegularFile();
    assertThat(root.resolve("usr/share/zsh/vendor-completions/_kickdrift")).isRegularFile();
    assertThat(root.resolve("etc/kickdrift/kickdrift.yaml")).isRegularFile();
    assertThat(Run.of("dpkg-deb", "-I", SERVER_DEB.toString(), "conffiles").ok().output())
        .isEqualTo("/etc/kickdrift/kickdrift.yaml\n");
    String control = Run.of("dpkg-deb", "-f", SERVER_DEB.toString()).ok().output();
    assertThat(control)
        .contains("Version: " + VERSION + "\n")
        .contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser");
  }

  @Test
  void theAgentDebHoldsItsCommandUnitsAndConfig() throws Exception {
    assertThat(root.resolve("usr/bin/kickdrift-agent")).isExecutable();
    assertThat(root.resolve("usr/share/kickdrift-agent/kickdrift-agent.jar")).isRegularFile();
    assertThat(root.resolve("lib/systemd/system/kickdrift-agent-scan.service")).isRegularFile();
    assertThat(root.resolve("lib/systemd/system/kickdrift-agent-scan.timer")).isRegularFile();
    assertThat(root.resolve("usr/share/man/man1/kickdrift-agent-scan.1.gz")).isRegularFile();
    assertThat(root.resolve("usr/share/zsh/vendor-completions/_kickdrift-agent")).isRegularFile();
    assertThat(Run.of("dpkg-deb", "-I", AGENT_DEB.toString(), "conffiles").ok().output())
        .isEqualTo("/etc/kickdrift/agent.yaml\n");
  }

  @Test
  void everyFileIsRootsWithTheSameMtime() throws Exception {
    for (Path deb : List.of(SERVER_DEB, AGENT_DEB)) {
      Set<String> owners = new TreeSet<>();
      Set<String> times = new TreeSet<>();
      for (String line : Run.of("dpkg-deb", "-c", deb.toString()).ok().output().split("\n")) {
        String[] f = line.trim().split("\\s+");
        owners.add(f[1]);
        times.add(f[3] + " " + f[4]);
      }
      assertThat(owners).as(deb.toString()).containsExactly("root/root");
      assertThat(times).as("mtimes in %s (SOURCE_DATE_EPOCH)", deb).hasSize(1);
    }
  }

  @Test
  void lintianFindsNoErrorAndOnlyTheAcceptedTags() throws Exception {
    for (Path deb : List.of(SERVER_DEB, AGENT_DEB)) {
      Run lintian = Run.of("lintian", "--no-cfg", "-EvIL", "+pedantic", deb.toString());
      Set<String> tags = new TreeSet<>();
      for (String line : lintian.output().split("\n")) {
        if (line.matches("^[EWIPX]: .*")) {
          assertThat(line).as("lintian %s", deb.getFileName()).doesNotStartWith("E:");
          tags.add(line.split("\\s+")[2]);
        }
      }
      assertThat(lintian.status()).as("lintian %s:%n%s", deb, lintian.output()).isZero();
      assertThat(tags).as("lintian %s:%n%s", deb, lintian.output()).isSubsetOf(LINTIAN_ACCEPTED);
    }
  }

  @Test
  void rpmlintFindsNoErrorAndOnlyTheAcceptedWarnings() throws Exception {
    Run rpmlint =
        Run.of(
            "rpmlint",
            "--config",
            SRC.resolve("rpm/rpmlint.toml").toString(),
            AGENT_RPM.toString());
    Set<String> tags = new TreeSet<>();
    for (String line : rpmlint.output().split("\n")) {
      if (line.matches("^kickdrift-agent\\.noarch: [EW]: .*")) {
        tags.add(line.split("\\s+")[2]);
      }
    }
    assertThat(rpmlint.output()).contains(" 0 errors");
    assertThat(rpmlint.status()).as(rpmlint.output()).isZero();
    assertThat(tags).as(rpmlint.output()).isSubsetOf(RPMLINT_ACCEPTED);
  }

  @Test
  void systemdAnalyzeVerifiesEveryUnitClean() throws Exception {
    Path sys = systemdRoot();
    Run verify =
        Run.of(
            Map.of("MANPATH", sys.resolve("usr/share/man").toString()),
            "systemd-analyze",
            "verify",
            "--root=" + sys,
            "kickdrift.service",
            "kickdrift-agent-scan.service",
            "kickdrift-agent-scan.timer");
    assertThat(verify.output()).as("systemd-analyze verify").isEmpty();
    assertThat(verify.status()).isZero();
  }

  /** The harness above sees what systemd-analyze says: a unit with a bad key is not clean. */
  @Test
  void systemdAnalyzeInThatRootReportsABadKey() throws Exception {
    Path sys = systemdRoot();
    Path unit = sys.resolve("lib/systemd/system/kickdrift.service");
    Files.writeString(unit, Files.readString(unit).replace("[Service]\n", "[Service]\nBogus=1\n"));
    Run verify =
        Run.of(
            Map.of("MANPATH", sys.resolve("usr/share/man").toString()),
            "systemd-analyze",
            "verify",
            "--root=" + sys,
            "kickdrift.service");
    assertThat(verify.output()).contains("Unknown key 'Bogus'");
  }

  /**
   * A root where systemd-analyze finds what the units name: the packages' files (launchers, man
   * pages), this machine's units (sysinit.target…) and /bin/kill.
   */
  private static Path systemdRoot() throws Exception {
    Path sys = Files.createTempDirectory(scratch, "systemd");
    Run.of("dpkg-deb", "-x", SERVER_DEB.toString(), sys.toString()).ok();
    Run.of("dpkg-deb", "-x", AGENT_DEB.toString(), sys.toString()).ok();
    Run.of("cp", "-rn", "/lib/systemd/system/.", sys.resolve("lib/systemd/system").toString()).ok();
    Files.createDirectories(sys.resolve("bin"));
    Files.copy(Path.of("/bin/kill"), sys.resolve("bin/kill"));
    Run.of("sh", "-c", "cd '" + sys + "/usr/share/man/man1' && gunzip -f *.gz").ok();
    return sys;
  }

  @Test
  void theAgentRpmInstallsIntoAScratchRoot() throws Exception {
    Path rpmRoot = scratch.resolve("rpmroot");
    Files.createDirectories(rpmRoot);
    String[] db = {"--root", rpmRoot.toString(), "--dbpath", "/var/lib/rpm"};
    Run.of(concat(new String[] {"rpm", "--initdb"}, db)).ok();
    // --noscripts: the scratch root has no shell for %post to run in.
    Run.of(concat(new String[] {"rpm", "-i", "--nodeps", "--noscripts"}, db, AGENT_RPM.toString()))
        .ok();
    List<String> files =
        List.of(
            Run.of(concat(new String[] {"rpm", "-ql"}, db, "kickdrift-agent"))
                .ok()
                .output()
                .split("\n"));
    assertThat(files)
        .contains(
            "/usr/bin/kickdrift-agent",
            "/usr/share/kickdrift-agent/kickdrift-agent.jar",
            "/usr/lib/systemd/system/kickdrift-agent-scan.service",
            "/usr/lib/systemd/system/kickdrift-agent-scan.timer",
            "/etc/kickdrift/agent.yaml",
            "/usr/share/man/man1/kickdrift-agent.1.gz",
            "/usr/share/bash-completion/completions/kickdrift-agent");
    for (String f : files) {
      assertThat(rpmRoot.resolve(f.substring(1))).as(f).exists();
    }
    Run.of(concat(new String[] {"rpm", "-V", "--nodeps"}, db, "kickdrift-agent")).ok();
    assertThat(
            Run.of(concat(new String[] {"rpm", "-q", "--requires"}, db, "kickdrift-agent"))
                .ok()
                .output())
        .contains("java-headless >= 1:17");
  }

  @Test
  void everyManPageRendersWithoutWarnings() throws Exception {
    List<Path> pages;
    try (Stream<Path> s = Files.list(root.resolve("usr/share/man/man1"))) {
      pages = s.sorted().toList();
    }
    assertThat(pages).hasSizeGreaterThan(10);
    for (Path page : pages) {
      Run groff =
          Run.of(
              Map.of("LC_ALL", "C.UTF-8"),
              "sh",
              "-c",
              "zcat '" + page + "' | groff -man -ww -z -Tutf8");
      assertThat(groff.output()).as("groff -ww on %s", page.getFileName()).isEmpty();
      Run man =
          Run.of(
              Map.of("LC_ALL", "C.UTF-8", "MAN_KEEP_STDERR", "1"),
              "man",
              "--warnings",
              "-E",
              "UTF-8",
              "-l",
              page.toString());
      assertThat(man.ok().output()).as("man -l %s", page.getFileName()).contains("NAME");
    }
    String serve =
        Run.of("man", "-l", root.resolve("usr/share/man/man1/kickdrift-serve.1.gz").toString())
            .ok()
            .output();
    assertThat(serve).contains("--http-port").contains("serve.http-port");
  }

  @Test
  void bashLoadsBothCompletions() throws Exception {
    for (String name : List.of("kickdrift", "kickdrift-agent")) {
      Path script = root.resolve("usr/share/bash-completion/completions/" + name);
      Run bash = Run.of("bash", "-c", "source '" + script + "' && complete -p " + name).ok();
      assertThat(bash.output()).contains("-F _complete_" + name + " ").endsWith(" " + name + "\n");
    }
  }

  @Test
  void twoBuildsFromTheSameJarsAreTheSameBytes() throws Exception {
    List<String> sums = new ArrayList<>();
    for (String run : List.of("a", "b")) {
      Path out = scratch.resolve("rebuild-" + run);
      Run.of(
              Map.of("SOURCE_DATE_EPOCH", "1796417863"),
              "bash",
              SRC.resolve("build-packages").toString(),
              "--version",
              System.getProperty("dist.version", "0.1.0-SNAPSHOT"),
              "--server-jar",
              System.getProperty("dist.server-jar"),
              "--agent-jar",
              System.getProperty("dist.agent-jar"),
              "--manual",
              DIST.resolve("manual").toString(),
              "--out",
              out.toString(),
              "--rpm",
              "yes")
          .ok();
      sums.add(Run.of("sh", "-c", "cd '" + out + "' && sha256sum *.deb *.rpm").ok().output());
    }
    assertThat(sums.get(0)).contains(".deb", ".rpm").isEqualTo(sums.get(1));
  }

  private static String[] concat(String[] a, String[] b, String... c) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    all.addAll(List.of(c));
    return all.toArray(String[]::new);
  }
}
