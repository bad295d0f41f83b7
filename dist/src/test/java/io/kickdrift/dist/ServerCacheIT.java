package io.kickdrift.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kickdrift-make-cache for the server's jar, with the JVM the launcher picks, and the launcher
 * using what it made: serve's cache trained by serve, every other command's by a render, each
 * chosen by the launcher for its kind of run; a render through the launcher and its cache writes
 * what {@code java -jar} writes; making the caches again for a changed jar leaves only the new
 * ones.
 */
class ServerCacheIT {
  private static final Path SRC = Path.of(System.getProperty("dist.src", "src"));
  private static final Path LAUNCHER = SRC.resolve("bin/kickdrift").toAbsolutePath();
  private static final Path MAKE_CACHE = SRC.resolve("bin/kickdrift-make-cache").toAbsolutePath();
  private static final Path PROJECT = SRC.toAbsolutePath().getParent().getParent();
  private static final Path INVENTORY = PROJECT.resolve("kickstart/examples/inventory.yaml");
  private static final Path TEMPLATES = PROJECT.resolve("templates");

  @TempDir Path work;
  Path jar;
  Path cache;
  Path state;

  @BeforeEach
  void fixture() throws Exception {
    Path built = Path.of(System.getProperty("dist.server-jar", "../server/target/kickdrift.jar"));
    assertThat(built).as("run after mvn package").exists();
    // a copy, so that the test may change its modification time
    jar = Files.copy(built, work.resolve("kickdrift.jar"));
    cache = work.resolve("cache");
    state = work.resolve("state");
    Run.of("java", "-jar", jar.toString(), "init", "--state", state.toString()).ok();
  }

  @Test
  void serveAndTheOtherCommandsEachGetTheCacheTheirKindOfRunMade() throws Exception {
    makeCache();
    Map<String, String> made = cacheFiles();
    String stamp = stamp();
    String cacheName = "kickdrift-" + stamp + "-java[^/]+-(long|short)\\.(aot|jsa)";
    assertThat(made.keySet())
        .as("serve's cache, the other commands', the SQLite library; nothing else")
        .hasSize(3)
        .contains("kickdrift-" + stamp + "-sqlite/libsqlitejdbc.so")
        .anySatisfy(n -> assertThat(n).matches(cacheName.replace("(long|short)", "long")))
        .anySatisfy(n -> assertThat(n).matches(cacheName.replace("(long|short)", "short")));
    String longCache = cache.resolve(named(made, "-long.")).toString();
    String shortCache = cache.resolve(named(made, "-short.")).toString();
    assertThat(longCache.substring(longCache.lastIndexOf('.')))
        .as("both made by one JVM")
        .isEqualTo(shortCache.substring(shortCache.lastIndexOf('.')));

    Run serve = launcher("serve", "--help").ok();
    assertThat(javaLine(serve)).contains(longCache).doesNotContain(shortCache);

    Path viaLauncher = work.resolve("out-launcher");
    Run render =
        launcher(
                "render",
                "--inventory",
                INVENTORY.toString(),
                "--templates",
                TEMPLATES.toString(),
                "--state",
                state.toString(),
                "--out",
                viaLauncher.toString())
            .ok();
    assertThat(javaLine(render)).contains(shortCache).doesNotContain(longCache);
    Path viaJar = work.resolve("out-jar");
    Run.of(
            "java",
            "-jar",
            jar.toString(),
            "render",
            "--inventory",
            INVENTORY.toString(),
            "--templates",
            TEMPLATES.toString(),
            "--state",
            state.toString(),
            "--out",
            viaJar.toString())
        .ok();
    Map<String, String> launched = files(viaLauncher);
    assertThat(launched).as("a render's files").containsKey("pxelinux.cfg/default");
    assertThat(launched).isEqualTo(files(viaJar));

    // a new jar (another modification time): its caches replace the old jar's, all of them
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    makeCache();
    String newStamp = stamp();
    assertThat(newStamp).isNotEqualTo(stamp);
    assertThat(cacheFiles().keySet())
        .hasSize(3)
        .allSatisfy(n -> assertThat(n).startsWith("kickdrift-" + newStamp + "-"));
  }

  private void makeCache() throws Exception {
    Run.of(
            "sh",
            MAKE_CACHE.toString(),
            "--cache-dir",
            cache.toString(),
            "--server-jar",
            jar.toString(),
            "--agent-jar",
            work.resolve("no-agent.jar").toString(),
            "--inventory",
            INVENTORY.toString(),
            "--templates",
            TEMPLATES.toString())
        .ok();
  }

  private Run launcher(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    return Run.of(
        Map.of(
            "KICKDRIFT_JAR", jar.toString(),
            "KICKDRIFT_CACHE_DIR", cache.toString(),
            "KICKDRIFT_LAUNCHER_DEBUG", "1"),
        command.toArray(String[]::new));
  }

  /** The java command line the launcher printed (KICKDRIFT_LAUNCHER_DEBUG). */
  private static String javaLine(Run run) {
    return run.output()
        .lines()
        .filter(l -> l.startsWith("kickdrift: ") && l.contains(" -jar "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no java command line in:\n" + run.output()));
  }

  /** The launcher's name for this jar: its size and modification time in seconds. */
  private String stamp() throws IOException {
    return Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() / 1000;
  }

  private static String named(Map<String, String> files, String part) {
    return files.keySet().stream().filter(n -> n.contains(part)).findFirst().orElseThrow();
  }

  /** The cache directory's files, by path relative to it. */
  private Map<String, String> cacheFiles() throws IOException {
    Map<String, String> names = new TreeMap<>();
    try (Stream<Path> all = Files.walk(cache)) {
      all.filter(Files::isRegularFile)
          .forEach(f -> names.put(cache.relativize(f).toString(), f.toString()));
    }
    return names;
  }

  /** A tree's regular files and their text, by path relative to it. */
  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> texts = new TreeMap<>();
    Path real = dir.toRealPath(); // OUT is a link to the generation it names
    try (Stream<Path> all = Files.walk(real)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        texts.put(real.relativize(f).toString(), Files.readString(f));
      }
    }
    return texts;
  }
}
