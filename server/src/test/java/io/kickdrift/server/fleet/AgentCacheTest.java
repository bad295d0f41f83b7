package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent cache on hosts: which directory, and which files the clean-up removes (real sh). */
class AgentCacheTest {
  private static final String OLD = "agent-0123456789abcdef.jar";
  private static final String KEEP = "agent-fedcba9876543210.jar";

  @TempDir Path dir;

  @Test
  void theCacheDirectoryIsCheckedBeforeAnyHostIsContacted() {
    assertThat(AgentWay.cacheDir(null)).isEqualTo(".cache/kickdrift");
    assertThat(AgentWay.cacheDir("/var/cache/kickdrift-agent/"))
        .isEqualTo("/var/cache/kickdrift-agent");
    assertThat(AgentWay.cacheDir("~/.kickdrift")).isEqualTo(".kickdrift");
    assertThatThrownBy(() -> AgentWay.cacheDir(".cache/../../etc"))
        .hasMessage("--agent-cache .cache/../../etc: no .. in the directory");
    assertThatThrownBy(() -> AgentWay.cacheDir("/tmp/x; rm -rf /"))
        .hasMessageStartingWith("--agent-cache /tmp/x; rm -rf /: only letters, digits");
    assertThatThrownBy(() -> AgentWay.cacheDir("/tmp/$(id)")).hasMessageContaining("only letters");
    assertThatThrownBy(() -> AgentWay.cacheDir("/")).hasMessageContaining("a directory of its own");
    assertThatThrownBy(() -> AgentWay.cacheDir("~/"))
        .hasMessageContaining("a directory of its own");
  }

  @Test
  void theCleanUpRemovesOnlyOtherAgentJarsAndTheirArchivesOfOurNaming() throws Exception {
    Path cache = Files.createDirectory(dir.resolve("cache dir 'quoted'"));
    // a PID no process has (the kernel's pid_max), and this JVM's, which runs
    String gone = String.valueOf(noProcess());
    String running = String.valueOf(ProcessHandle.current().pid());
    Path outside = Files.writeString(dir.resolve("outside.jar"), "not ours");
    for (String name :
        List.of(
            OLD,
            KEEP,
            "agent-1234.jar",
            "agent-0123456789ABCDEF.jar",
            "agent-0123456789abcdef.jar.bak",
            "my-agent-0123456789abcdef.jar",
            "agent-0123456789abcdef-0badcafe.jsa",
            "agent-fedcba9876543210-0badcafe.jsa",
            "agent-fedcba9876543210-1234abcd.jsa",
            "agent-0123456789abcdef-0badcafe.jsa.tmp-" + gone,
            "agent-fedcba9876543210-0badcafe.jsa.tmp-" + gone,
            "agent-fedcba9876543210-0badcafe.jsa.tmp-" + running,
            "agent-0123456789abcdef-0badcafe.jsa.tmp-x77",
            "agent-0123456789abcdef.jsa.tmp-" + gone,
            "agent-0123456789abcdef.jsa",
            "notes.txt")) {
      Files.writeString(cache.resolve(name), name);
    }
    Files.createSymbolicLink(cache.resolve("agent-1111111111111111.jar"), outside);
    Files.createSymbolicLink(
        cache.resolve("agent-0123456789abcdef-0badcafe.jsa.tmp-1" + gone), outside);
    Files.createDirectory(cache.resolve("agent-2222222222222222.jar"));

    Process sh =
        new ProcessBuilder("sh", "-c", AgentWay.removeOthers(cache.toString(), KEEP))
            .redirectErrorStream(true)
            .start();
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).as(new String(sh.getInputStream().readAllBytes())).isZero();
    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              KEEP,
              "agent-1234.jar",
              "agent-0123456789ABCDEF.jar",
              "agent-0123456789abcdef.jar.bak",
              "my-agent-0123456789abcdef.jar",
              "agent-fedcba9876543210-0badcafe.jsa",
              "agent-fedcba9876543210-1234abcd.jsa",
              "agent-fedcba9876543210-0badcafe.jsa.tmp-" + running,
              "agent-0123456789abcdef-0badcafe.jsa.tmp-x77",
              "agent-0123456789abcdef.jsa.tmp-" + gone,
              "agent-0123456789abcdef.jsa",
              "notes.txt",
              "agent-1111111111111111.jar",
              "agent-0123456789abcdef-0badcafe.jsa.tmp-1" + gone,
              "agent-2222222222222222.jar");
    }
    assertThat(outside).hasContent("not ours");
  }

  /** A PID no process can have: the kernel's pid_max (PIDs stay below it). */
  private static long noProcess() throws java.io.IOException {
    // read as a stream: Files.readString of a /proc file (size 0) returned a truncated text here
    try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/kernel/pid_max"))) {
      return Long.parseLong(
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
    }
  }

  private static final Path AGENT_JAR =
      Path.of("../agent/target/kickdrift-agent.jar").toAbsolutePath().normalize();

  private static RemoteShell.Output sh(String command) throws Exception {
    return new LocalShell().run(command);
  }

  private static List<String> agent(String... words) {
    List<String> args =
        new java.util.ArrayList<>(List.of("java", "-Xlog:disable", "-cp", AGENT_JAR.toString()));
    args.add("io.kickdrift.agent.cli.AgentMain");
    args.addAll(List.of(words));
    return args;
  }

  @Test
  void theClassArchiveIsWrittenByTheFirstRunAndMappedByTheNext() throws Exception {
    assertThat(AGENT_JAR).as("the agent jar, built before the server's tests").isRegularFile();
    Path cache = Files.createDirectory(dir.resolve("cache dir 'quoted'"));
    String archive = cache.resolve("agent-fedcba9876543210-0badcafe.jsa").toString();
    // what a run killed while writing left, and what one writing now has
    Path abandoned = Files.writeString(Path.of(archive + ".tmp-" + noProcess()), "half");
    Path writing =
        Files.writeString(Path.of(archive + ".tmp-" + ProcessHandle.current().pid()), "going");

    RemoteShell.Output first = sh(AgentWay.withArchive(archive, agent("--version")));
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(first.text()).startsWith("kickdrift-agent ").hasLineCount(1);
    assertThat(Path.of(archive)).isNotEmptyFile();
    assertThat(abandoned).doesNotExist();
    assertThat(writing).hasContent("going");
    Files.delete(writing);
    long written = Files.getLastModifiedTime(Path.of(archive)).toMillis();

    Path loads = dir.resolve("class-load.log");
    List<String> logged = agent("--version");
    logged.add(2, "-Xlog:class+load=info:file=" + loads);
    RemoteShell.Output second = sh(AgentWay.withArchive(archive, logged));
    assertThat(second.exit()).as(second.stderr()).isZero();
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(Files.readString(loads))
        .contains("io.kickdrift.agent.cli.AgentMain source: shared objects file (top)");
    assertThat(Files.getLastModifiedTime(Path.of(archive)).toMillis()).isEqualTo(written);
    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left).as("no temporary archive left").hasSize(1);
    }

    // the JVM's own exit status comes through: picocli's 2 for an unknown option
    RemoteShell.Output bad = sh(AgentWay.withArchive(archive, agent("--no-such-option")));
    assertThat(bad.exit()).isEqualTo(2);
    // and a run that ends otherwise than 0 or 1 puts no archive in place
    String other = cache.resolve("agent-0123456789abcdef-0badcafe.jsa").toString();
    assertThat(sh(AgentWay.withArchive(other, agent("--no-such-option"))).exit()).isEqualTo(2);
    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left).as("still only the first archive").hasSize(1);
    }
  }

  /** This machine's sh as a host whose login runs {@code prelude} before each command. */
  private static RemoteShell after(LocalShell sh, String prelude) {
    return new RemoteShell() {
      @Override
      public Output run(String command) throws java.io.IOException {
        return sh.run(prelude + command);
      }

      @Override
      public String name() {
        return "web01";
      }
    };
  }

  /** A login shell that prints a greeting first, with HOME at {@code home}. */
  private static RemoteShell greeting(LocalShell sh, Path home) {
    return after(
        sh,
        "echo 'Welcome to web01 (uptime 3 days)'; HOME="
            + RemoteShell.quote(home.toString())
            + "; ");
  }

  @Test
  void aJarInPlaceIsFoundWithOneCommandWhateverTheLoginShellPrints() throws Exception {
    AgentWay.Jar jar = AgentWay.Jar.of(Files.writeString(dir.resolve("local.jar"), "one"));
    Path home = Files.createDirectory(dir.resolve("home"));
    Path cache = Files.createDirectories(home.resolve(".cache/kickdrift"));
    Files.writeString(cache.resolve(AgentWay.remoteName(jar)), "one");
    LocalShell sh = new LocalShell();

    // no session: a copy would need one, and the jar is there
    assertThat(AgentWay.install(null, greeting(sh, home), jar, null))
        .isEqualTo(cache.resolve(AgentWay.remoteName(jar)).toString());
    assertThat(AgentWay.install(null, greeting(sh, home), jar, cache.toString() + "/"))
        .isEqualTo(cache.resolve(AgentWay.remoteName(jar)).toString());
    assertThat(sh.commands()).isEqualTo(2);
    assertThat(Files.getPosixFilePermissions(cache))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
  }

  @Test
  void aHomeThatIsNotADirectoryPathIsRefusedNamingIt() {
    RemoteShell noHome = after(new LocalShell(), "HOME=relative; ");
    AgentWay.Jar jar = new AgentWay.Jar(dir.resolve("none.jar"), "f".repeat(64));
    assertThatThrownBy(() -> AgentWay.install(null, noHome, jar, null))
        .hasMessageStartingWith("web01: cannot create the agent's directory .cache/kickdrift")
        .hasMessageContaining("no home directory (HOME='relative')");
  }

  @Test
  void theJavaBuildIsHashedFromTheVersionLineOn() throws Exception {
    String version =
        "openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment (build"
            + " 17.0.15+6-Debian-1deb12u1)\n";
    AgentWay.HostJava plain = AgentWay.javaOnHost(AgentlessTest.answering(0, version, ""));
    AgentWay.HostJava greeted =
        AgentWay.javaOnHost(AgentlessTest.answering(0, "Welcome, it is 10:42\n" + version, ""));
    AgentWay.HostJava other =
        AgentWay.javaOnHost(
            AgentlessTest.answering(0, version.replace("6-Debian", "7-Debian"), ""));
    assertThat(plain.major()).isEqualTo(17);
    assertThat(plain.build()).hasSize(8).isEqualTo(greeted.build()).isNotEqualTo(other.build());
    assertThat(AgentWay.javaOnHost(AgentlessTest.answering(1, "", "")).major()).isZero();
  }

  @Test
  void anArchiveThatCannotBeWrittenLeavesNothingAndOneThatIsBrokenIsPassedOver() throws Exception {
    String nowhere = dir.resolve("missing/agent-fedcba9876543210-0badcafe.jsa").toString();
    RemoteShell.Output unwritable = sh(AgentWay.withArchive(nowhere, agent("--version")));
    assertThat(unwritable.text()).startsWith("kickdrift-agent ");
    // the JVM ends with status 1 when it cannot write the archive; the scan's report says the rest
    assertThat(unwritable.exit()).isEqualTo(1);
    assertThat(dir.resolve("missing")).doesNotExist();

    Path broken = Files.writeString(dir.resolve("agent-fedcba9876543210-0badcafe.jsa"), "junk");
    RemoteShell.Output passedOver = sh(AgentWay.withArchive(broken.toString(), agent("--version")));
    assertThat(passedOver.exit()).as(passedOver.stderr()).isZero();
    assertThat(passedOver.text()).startsWith("kickdrift-agent ").hasLineCount(1);
    assertThat(broken).hasContent("junk");
  }

  @Test
  void theArchiveIsNamedByTheJarAndTheJavaBuild() {
    AgentWay.HostJava java = new AgentWay.HostJava(17, "0badcafe");
    assertThat(AgentWay.archive("/root/.cache/kickdrift/agent-fedcba9876543210.jar", java))
        .isEqualTo("/root/.cache/kickdrift/agent-fedcba9876543210-0badcafe.jsa");
  }
}
