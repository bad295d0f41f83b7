package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' own logic ({@code dist/src/bin/kickdrift-agent}, {@code kickdrift}), run with
 * {@code sh} against stub JVMs: a home with a {@code release} file and a {@code bin/java} script
 * that records its arguments. LauncherIT runs them with the real JVM and jar.
 */
class LauncherTest {
  static final Path AGENT = Path.of("../dist/src/bin/kickdrift-agent").toAbsolutePath().normalize();
  static final Path SERVER = Path.of("../dist/src/bin/kickdrift").toAbsolutePath().normalize();

  @TempDir Path work;
  Path jvms;
  Path tools;
  Path jar;
  Path cache;
  Path log;

  record Run(int exit, String err, List<String> javaArgs) {
    /** The stub java that ran (through the links it was called by), by its home's name. */
    String javaHome() {
      try {
        return Path.of(javaArgs.get(0))
            .toRealPath()
            .getParent()
            .getParent()
            .getFileName()
            .toString();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @BeforeEach
  void tools() throws IOException {
    jvms = Files.createDirectories(work.resolve("jvm"));
    // A PATH with what the launcher uses and no java on it, unless a test adds one.
    tools = Files.createDirectories(work.resolve("tools"));
    for (String t : List.of("readlink", "stat", "sed")) {
      for (String dir : List.of("/usr/bin", "/bin")) {
        if (Files.isExecutable(Path.of(dir, t))) {
          Files.createSymbolicLink(tools.resolve(t), Path.of(dir, t));
          break;
        }
      }
    }
    jar = Files.writeString(work.resolve("app.jar"), "not really a jar");
    cache = Files.createDirectories(work.resolve("cache"));
    log = work.resolve("java-args");
  }

  /** A JDK home NAME under {@code dir} whose release file says VERSION (none: no release file). */
  Path jdk(Path dir, String name, String version) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    if (version != null) {
      Files.writeString(
          home.resolve("release"),
          "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\""
              + version
              + "+7\"\nJAVA_VERSION=\""
              + version
              + "\"\n");
    }
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "if [ \"$1\" = -version ]; then echo 'openjdk version \"21.0.2\" 2024-01-16' >&2;"
            + " exit 0; fi\n"
            + "printf '%s\\n' \"$0\" \"$@\" >\""
            + log
            + "\"\n"
            + "exit ${STUB_EXIT:-0}\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  Run run(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", tools.toString());
    pb.environment().put("KICKDRIFT_JVM_DIRS", jvms.toString());
    pb.environment().put("KICKDRIFT_JAR", jar.toString());
    pb.environment().put("KICKDRIFT_CACHE_DIR", cache.toString());
    pb.environment().putAll(env);
    Path err = work.resolve("stderr");
    Files.deleteIfExists(log);
    Process p =
        pb.redirectError(err.toFile()).redirectOutput(work.resolve("stdout").toFile()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    List<String> javaArgs =
        Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    return new Run(p.exitValue(), Files.readString(err), javaArgs);
  }

  /** The arguments after {@code -jar JAR}: the command's own. */
  List<String> commandArgs(Run r) {
    int at = r.javaArgs().indexOf("-jar");
    assertThat(at).as("-jar in %s", r.javaArgs()).isPositive();
    assertThat(r.javaArgs().get(at + 1)).isEqualTo(jar.toString());
    return r.javaArgs().subList(at + 2, r.javaArgs().size());
  }

  @Test
  void skipsAJavaHomeOlderThan17ForTheNewestUnderTheJvmDirectories() throws Exception {
    Path old = jdk(work.resolve("opt"), "jdk11", "11.0.22");
    jdk(jvms, "jdk17", "17.0.9");
    jdk(jvms, "jdk21", "21.0.2");
    jdk(jvms, "jdk8", "1.8.0_392");

    Run r = run(AGENT, Map.of("JAVA_HOME", old.toString()), "--version");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.javaHome()).isEqualTo("jdk21");
  }

  @Test
  void prefersJavaHomeElseTheNewestOfThePathAndTheJvmDirectories() throws Exception {
    Path home = jdk(work.resolve("opt"), "jdk17", "17.0.9");
    Path onPath = jdk(work.resolve("usr"), "jdk21", "21.0.2");
    Files.createSymbolicLink(tools.resolve("java"), onPath.resolve("bin/java"));
    jdk(jvms, "jdk17b", "17.0.12");

    assertThat(run(AGENT, Map.of("JAVA_HOME", home.toString()), "--version").javaHome())
        .isEqualTo("jdk17");
    assertThat(run(AGENT, Map.of(), "--version").javaHome())
        .as("the PATH's Java 21 over an older JDK in the directories")
        .isEqualTo("jdk21");

    jdk(jvms, "jdk25", "25.0.1");
    assertThat(run(AGENT, Map.of(), "--version").javaHome())
        .as("a newer JDK in the directories over the PATH's: it starts faster")
        .isEqualTo("jdk25");
  }

  @Test
  void refusesWithExit2AndSaysWhatItFoundWhenOnlyOlderJavasAreThere() throws Exception {
    Path old = jdk(work.resolve("opt"), "jdk11", "11.0.22");
    jdk(jvms, "jdk8", "1.8.0_392");

    Run r = run(AGENT, Map.of("JAVA_HOME", old.toString()), "scan");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.javaArgs()).as("no java started for the command").isEmpty();
    assertThat(r.err())
        .startsWith("kickdrift-agent: needs Java 17 or later; found ")
        .contains(old.resolve("bin/java") + " (Java 11)")
        .contains("jdk8/bin/java (Java 8)")
        .contains("set JAVA_HOME");
  }

  @Test
  void asksJavaForItsVersionOnlyWhenItsHomeHasNoReleaseFile() throws Exception {
    jdk(jvms, "bare", null); // says 21.0.2 to -version

    Run r = run(AGENT, Map.of(), "--version");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.javaHome()).isEqualTo("bare");
  }

  @Test
  void passesArgumentsAndExitStatusThroughUnchanged() throws Exception {
    jdk(jvms, "jdk17", "17.0.9");
    String[] args = {"scan", "--root", "/a dir/with spaces", "", "--paths", "/etc,/opt", "*"};

    Run drift = run(AGENT, Map.of("STUB_EXIT", "1"), args);
    Run error = run(AGENT, Map.of("STUB_EXIT", "3"), args);

    assertThat(drift.exit()).isEqualTo(1);
    assertThat(error.exit()).isEqualTo(3);
    assertThat(commandArgs(drift)).containsExactly(args);
    assertThat(drift.err()).isEmpty();
  }

  @Test
  void shortRunsGetC1AndTheSerialCollectorServeKeepsTheFullJit() throws Exception {
    jdk(jvms, "jdk17", "17.0.9");

    List<String> scan = run(AGENT, Map.of(), "scan").javaArgs();
    List<String> render = run(SERVER, Map.of(), "render", "--out", "serve").javaArgs();
    List<String> serve = run(SERVER, Map.of(), "serve", "--inventory", "i.yaml").javaArgs();

    assertThat(scan).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    assertThat(render).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    assertThat(serve)
        .doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
        .endsWith("serve", "--inventory", "i.yaml");
    // fleet: a short run, in a bounded heap
    List<String> fleet = run(SERVER, Map.of(), "fleet", "scan").javaArgs();
    assertThat(fleet)
        .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx160m")
        .endsWith("fleet", "scan");
    assertThat(render).noneMatch(a -> a.startsWith("-Xmx"));
    assertThat(serve).noneMatch(a -> a.startsWith("-Xmx"));
  }

  @Test
  void aHeapChosenInTheUsersOptionsIsFleetsOnlyOne() throws Exception {
    jdk(jvms, "jdk17", "17.0.9");
    for (String env : List.of("KICKDRIFT_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
      for (String opts :
          List.of(
              "-Xmx1g",
              "-XX:MaxRAMPercentage=50",
              "-XX:MaxHeapSize=1g",
              "-Xms512m",
              "-XX:InitialHeapSize=512m",
              "-XX:MinHeapSize=512m")) {
        List<String> fleet = run(SERVER, Map.of(env, opts), "fleet", "scan").javaArgs();
        assertThat(fleet).as(env + " " + opts).doesNotContain("-Xmx160m");
      }
    }
    // other options leave the bound in
    assertThat(run(SERVER, Map.of("KICKDRIFT_JAVA_OPTS", "-Xss1m"), "fleet", "scan").javaArgs())
        .contains("-Xss1m", "-Xmx160m");
  }

  @Test
  void aCollectorChosenInTheUsersOptionsIsTheOnlyOne() throws Exception {
    jdk(jvms, "jdk17", "17.0.9");
    for (String env : List.of("KICKDRIFT_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
      String opts = "-Xmx1g -XX:+UseG1GC";
      List<String> fleet = run(SERVER, Map.of(env, opts), "fleet", "scan").javaArgs();
      List<String> scan = run(AGENT, Map.of(env, opts), "scan").javaArgs();
      assertThat(fleet).as(env).doesNotContain("-XX:+UseSerialGC");
      assertThat(scan)
          .as(env)
          .doesNotContain("-XX:+UseSerialGC")
          .contains("-XX:TieredStopAtLevel=1");
    }
    // other options leave the serial collector in
    assertThat(run(SERVER, Map.of("KICKDRIFT_JAVA_OPTS", "-Xmx1g"), "fleet", "scan").javaArgs())
        .contains("-Xmx1g", "-XX:+UseSerialGC");
  }

  @Test
  void usesTheCacheOfThisJarAndJvmWhenThereIsOne() throws Exception {
    jdk(jvms, "jdk17", "17.0.9");
    String stamp = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() / 1000;

    assertThat(run(AGENT, Map.of(), "scan").javaArgs())
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));

    Path jsa = cache.resolve("kickdrift-agent-" + stamp + "-java17.0.9+7-short.jsa");
    Files.writeString(jsa, "damaged or not, the JVM decides");
    assertThat(run(AGENT, Map.of(), "scan").javaArgs())
        .contains("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off,cds+dynamic=off");

    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(run(AGENT, Map.of(), "scan").javaArgs())
        .as("a changed jar has another cache name")
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
  }

  @Test
  void serveAndTheShortRunsEachUseTheCacheOfTheirKind() throws Exception {
    jdk(jvms, "jdk17", "17.0.9");
    String stamp = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() / 1000;
    Path serve = cache.resolve("kickdrift-" + stamp + "-java17.0.9+7-long.jsa");
    Path others = cache.resolve("kickdrift-" + stamp + "-java17.0.9+7-short.jsa");
    Files.writeString(serve, "made by serve");
    Files.writeString(others, "made by a render");

    assertThat(run(SERVER, Map.of(), "serve").javaArgs())
        .contains("-XX:SharedArchiveFile=" + serve)
        .doesNotContain("-XX:SharedArchiveFile=" + others);
    for (String command : List.of("render", "lint", "fleet")) {
      assertThat(run(SERVER, Map.of(), command).javaArgs())
          .as(command)
          .contains("-XX:SharedArchiveFile=" + others)
          .doesNotContain("-XX:SharedArchiveFile=" + serve);
    }
  }

  @Test
  void givesTheSqliteDriverTheLibraryTheCacheMakerExtracted() throws Exception {
    jdk(jvms, "jdk17", "17.0.9");
    String stamp = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() / 1000;
    String flag = "-Dorg.sqlite.lib.path=" + cache.resolve("kickdrift-" + stamp + "-sqlite");

    assertThat(run(SERVER, Map.of(), "hosts").javaArgs()).doesNotContain(flag);
    Path lib = Files.createDirectories(cache.resolve("kickdrift-" + stamp + "-sqlite"));
    Files.writeString(lib.resolve("libsqlitejdbc.so"), "a damaged one: the driver falls back");
    assertThat(run(SERVER, Map.of(), "hosts").javaArgs())
        .contains(flag, "-Dorg.sqlite.lib.name=libsqlitejdbc.so");
  }

  @Test
  void java25GetsAnAotCacheAndItsMessagesOff() throws Exception {
    jdk(jvms, "jdk25", "25.0.1");
    String stamp = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() / 1000;
    Path aot = cache.resolve("kickdrift-agent-" + stamp + "-java25.0.1+7-short.aot");
    Files.writeString(aot, "x");

    List<String> used = run(AGENT, Map.of(), "scan").javaArgs();
    List<String> made = run(AGENT, Map.of("KICKDRIFT_CACHE_MAKE", "1"), "scan").javaArgs();

    assertThat(used).contains("-XX:AOTCache=" + aot, "-Xlog:cds=off,cds+dynamic=off,aot=off");
    // Java 25 refuses -Xshare:auto beside -XX:AOTCacheOutput; it is the default anyway.
    assertThat(made).contains("-XX:AOTCacheOutput=" + aot).doesNotContain("-Xshare:auto");
    // Temurin 25.0.3 crashes writing a cache with AOT class linking after reading a config file
    assertThat(made)
        .contains("-XX:-AOTClassLinking", "-XX:ErrorFile=" + cache + "/hs_err_pid%p.log");
    assertThat(used).doesNotContain("-XX:-AOTClassLinking");
  }

  @Test
  void theTwoLaunchersAreOneScript() throws Exception {
    assertThat(Files.readString(SERVER)).isEqualTo(Files.readString(AGENT));
    Map<String, String> env = new HashMap<>();
    jdk(jvms, "jdk17", "17.0.9");
    env.put("KICKDRIFT_JAR", work.resolve("missing.jar").toString());
    Run r = run(SERVER, env, "--version");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("kickdrift: " + work.resolve("missing.jar") + ": no such jar");
  }
}
