package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher with the real JVM and the agent jar this build made: the scan it runs is the scan
 * {@code java -jar} runs (output and exit status), with no cache, with the cache {@code
 * kickdrift-make-cache} made, and with that cache damaged; on Java 25 too when it is installed.
 */
class LauncherIT {
  static final Path MAKE_CACHE =
      Path.of("../dist/src/bin/kickdrift-make-cache").toAbsolutePath().normalize();
  static final Path JAVA25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  @TempDir Path work;
  Path jar;
  Path root;
  Path cache;

  @BeforeEach
  void fixture() throws IOException {
    jar = Path.of("target/kickdrift-agent.jar").toAbsolutePath();
    assertThat(jar).as("run after mvn package").exists();
    // One package whose conffile was changed, and a file no package owns: drift, exit 1.
    root = work.resolve("root");
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.createDirectories(root.resolve("etc/demo"));
    Files.writeString(
        root.resolve("var/lib/dpkg/status"),
        "Package: demo\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0\n"
            + "Conffiles:\n /etc/demo/demo.conf 0f343b0931126a20f133d67c2b018a3b\n\n");
    Files.writeString(
        root.resolve("var/lib/dpkg/info/demo.list"), "/.\n/etc\n/etc/demo\n/etc/demo/demo.conf\n");
    Files.writeString(root.resolve("etc/demo/demo.conf"), "setting = changed\n");
    Files.writeString(root.resolve("etc/demo/local.conf"), "a local file\n");
    cache = Files.createDirectories(work.resolve("cache"));
  }

  Cmd.Result launcher(String javaHome, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("sh", LauncherTest.AGENT.toString()));
    cmd.addAll(List.of(args));
    return Cmd.run(
        cmd,
        Map.of(
            "JAVA_HOME", javaHome,
            "KICKDRIFT_JAR", jar.toString(),
            "KICKDRIFT_CACHE_DIR", cache.toString()));
  }

  String[] scan() {
    return new String[] {"scan", "--root", root.toString(), "--no-cache", "--host", "demo"};
  }

  /** The report without its one timing figure. */
  static String timeless(String out) {
    return out.replaceAll("\\d+ ms", "N ms");
  }

  @Test
  void runsTheScanJavaJarRunsWithAndWithoutACacheAndWithADamagedOne() throws Exception {
    checkWith("");
  }

  @Test
  void andSoOnJava25WithAnAotCache() throws Exception {
    if (!Files.isExecutable(JAVA25.resolve("bin/java"))) {
      return; // Java 25 is optional: the Java 17 case above is the one CI needs
    }
    checkWith(JAVA25.toString());
  }

  private void checkWith(String javaHome) throws Exception {
    Cmd.Result plain = Cmd.agent(scan());
    assertThat(plain.exit()).as(plain.err()).isEqualTo(1);

    Cmd.Result none = launcher(javaHome, scan());
    assertThat(none.exit()).isEqualTo(1);
    assertThat(timeless(none.out())).isEqualTo(timeless(plain.out()));
    assertThat(none.err()).isEqualTo(plain.err());

    Cmd.Result made =
        Cmd.run(
            List.of(
                "sh",
                MAKE_CACHE.toString(),
                "--cache-dir",
                cache.toString(),
                "--agent-jar",
                jar.toString(),
                "--server-jar",
                work.resolve("none.jar").toString()),
            javaHome.isEmpty() ? Map.of() : Map.of("JAVA_HOME", javaHome));
    assertThat(made.exit()).as(made.err()).isZero();
    List<Path> caches;
    try (Stream<Path> s = Files.list(cache)) {
      caches = s.toList();
    }
    assertThat(caches)
        .as("one cache, nothing else left in the cache directory")
        .singleElement()
        .satisfies(
            c -> assertThat(c.getFileName().toString()).matches("kickdrift-agent-.*\\.(jsa|aot)"));

    Cmd.Result cached = launcher(javaHome, scan());
    assertThat(cached.exit()).isEqualTo(1);
    assertThat(timeless(cached.out())).isEqualTo(timeless(plain.out()));
    assertThat(cached.err()).isEqualTo(plain.err());

    // Damaged: the same size of garbage in its place. The JVM must ignore it, and say nothing.
    byte[] garbage = new byte[(int) Math.min(Files.size(caches.get(0)), 1 << 20)];
    new java.util.Random(19).nextBytes(garbage);
    Files.write(caches.get(0), garbage);
    Cmd.Result damaged = launcher(javaHome, scan());
    assertThat(damaged.exit()).isEqualTo(1);
    assertThat(timeless(damaged.out())).isEqualTo(timeless(plain.out()));
    assertThat(damaged.err()).isEqualTo(plain.err());
  }

  /**
   * A plain text scan loads neither Jackson (JSON), JGit (the config repository) nor BouncyCastle
   * (encryption to a key): a third of the classes it used to load at start.
   */
  @Test
  void aTextScanLoadsNoJsonGitOrPgpClasses() throws Exception {
    Path log = work.resolve("classes.log");
    List<String> cmd = new ArrayList<>(List.of("sh", LauncherTest.AGENT.toString()));
    cmd.addAll(List.of(scan()));
    Cmd.Result r =
        Cmd.run(
            cmd,
            Map.of(
                "KICKDRIFT_JAR", jar.toString(),
                "KICKDRIFT_CACHE_DIR", cache.toString(),
                "KICKDRIFT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    List<String> loaded =
        Files.readAllLines(log).stream()
            .filter(l -> l.contains("[class,load]"))
            .map(l -> l.replaceAll(".*\\[class,load\\] (\\S+).*", "$1"))
            .toList();
    assertThat(loaded).contains("io.kickdrift.agent.cli.ScanCommand");
    assertThat(loaded)
        .noneMatch(
            c ->
                c.startsWith("com.fasterxml.jackson.databind.")
                    || c.startsWith("org.eclipse.jgit.")
                    || c.startsWith("org.bouncycastle."));
  }

  @Test
  void makeCacheSucceedsWithAWarningWhenThereIsNoJava17() throws Exception {
    Path old = Files.createDirectories(work.resolve("jdk11/bin"));
    Files.writeString(work.resolve("jdk11/release"), "JAVA_VERSION=\"11.0.22\"\n");
    Files.writeString(old.resolve("java"), "#!/bin/sh\nexit 0\n");
    old.resolve("java").toFile().setExecutable(true);
    Path bin = Files.createDirectories(work.resolve("bin"));
    for (String t :
        List.of(
            "sh",
            "dirname",
            "cat",
            "chmod",
            "mv",
            "readlink",
            "stat",
            "sed",
            "mkdir",
            "mktemp",
            "rm",
            "grep",
            "head")) {
      for (String dir : List.of("/usr/bin", "/bin")) {
        if (Files.isExecutable(Path.of(dir, t)) && !Files.exists(bin.resolve(t))) {
          Files.createSymbolicLink(bin.resolve(t), Path.of(dir, t));
        }
      }
    }
    Cmd.Result r =
        Cmd.run(
            List.of(
                "/bin/sh",
                MAKE_CACHE.toString(),
                "--cache-dir",
                cache.toString(),
                "--agent-jar",
                jar.toString(),
                "--server-jar",
                work.resolve("none.jar").toString()),
            Map.of(
                "PATH", bin.toString(),
                "JAVA_HOME", work.resolve("jdk11").toString(),
                "KICKDRIFT_JVM_DIRS", work.resolve("empty").toString()));
    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .startsWith("kickdrift-make-cache: warning: kickdrift-agent: needs Java 17 or later")
        .contains("no start-up cache made");
    try (Stream<Path> s = Files.list(cache)) {
      assertThat(s).isEmpty();
    }
  }
}
