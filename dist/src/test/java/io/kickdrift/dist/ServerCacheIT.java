package io.kickdrift.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
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
 * chosen by the launcher for its kind of run and usable by that JVM; a render through the launcher
 * and its cache writes what {@code java -jar} writes; the training runs ignore the caller's
 * configuration (file and variables); making the caches again for a changed jar leaves only the new
 * ones, and an older release's caches go.
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

  /** The test's own runs read this empty configuration, never /etc/kickdrift/kickdrift.yaml. */
  Map<String, String> env;

  @BeforeEach
  void fixture() throws Exception {
    Path built = Path.of(System.getProperty("dist.server-jar", "../server/target/kickdrift.jar"));
    assertThat(built).as("run after mvn package").exists();
    // a copy, so that the test may change its modification time
    jar = Files.copy(built, work.resolve("kickdrift.jar"));
    cache = Files.createDirectory(work.resolve("cache"));
    state = work.resolve("state");
    env = Map.of("KICKDRIFT_CONFIG", Files.writeString(work.resolve("empty.yaml"), "").toString());
    Run.of(env, "java", "-jar", jar.toString(), "init", "--state", state.toString()).ok();
  }

  @Test
  void serveAndTheOtherCommandsEachGetTheCacheTheirKindOfRunMade() throws Exception {
    String stamp = stamp();
    // an older release's names: one cache for every kind of run
    Path older = Files.writeString(cache.resolve("kickdrift-" + stamp + "-java17.0.9+7.jsa"), "x");
    // a site whose configuration and environment name a database the training must not touch
    Path site =
        Files.writeString(
            work.resolve("site.yaml"), "state:\n  database: postgresql://kd@127.0.0.1:9/none\n");
    Run made =
        makeCache(
            Map.of(
                "KICKDRIFT_CONFIG",
                site.toString(),
                "KICKDRIFT_STATE_DATABASE",
                "postgresql://kd@127.0.0.1:9/env"));
    assertThat(made.output()).doesNotContain("warning");

    Map<String, String> files = cacheFiles();
    String cacheName = "kickdrift-" + stamp + "-java[^/]+-KIND\\.(aot|jsa)";
    assertThat(files.keySet())
        .as("serve's cache, the other commands', the SQLite library; nothing else")
        .hasSize(3)
        .contains("kickdrift-" + stamp + "-sqlite/libsqlitejdbc.so")
        .anySatisfy(n -> assertThat(n).matches(cacheName.replace("KIND", "long")))
        .anySatisfy(n -> assertThat(n).matches(cacheName.replace("KIND", "short")));
    assertThat(older).doesNotExist();
    String longCache = cache.resolve(named(files, "-long.")).toString();
    String shortCache = cache.resolve(named(files, "-short.")).toString();
    String kind = longCache.substring(longCache.lastIndexOf('.'));
    assertThat(shortCache).as("both made by one JVM").endsWith(kind);

    Run serve = launcher(Map.of(), "serve", "--help").ok();
    assertThat(javaLine(serve)).contains(longCache).doesNotContain(shortCache);

    // the JVM refuses to start when told to use a cache it cannot: each one is usable
    Map<String, String> strict =
        Map.of("KICKDRIFT_JAVA_OPTS", kind.equals(".aot") ? "-XX:AOTMode=on" : "-Xshare:on");
    launcher(strict, "serve", "--help").ok();
    Path viaLauncher = work.resolve("out-launcher");
    Run render = launcher(strict, render(viaLauncher)).ok();
    assertThat(javaLine(render)).contains(shortCache).doesNotContain(longCache);
    Path viaJar = work.resolve("out-jar");
    List<String> plain = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    plain.addAll(List.of(render(viaJar)));
    Run.of(env, plain.toArray(String[]::new)).ok();
    Map<String, String> launched = files(viaLauncher);
    assertThat(launched).as("a render's files").containsKey("pxelinux.cfg/default");
    assertThat(launched).isEqualTo(files(viaJar));

    // a new jar (another modification time): its caches replace the old jar's, all of them
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    makeCache(Map.of()).ok();
    String newStamp = stamp();
    assertThat(newStamp).isNotEqualTo(stamp);
    assertThat(cacheFiles().keySet())
        .hasSize(3)
        .allSatisfy(n -> assertThat(n).startsWith("kickdrift-" + newStamp + "-"));
  }

  private String[] render(Path out) {
    return new String[] {
      "render",
      "--inventory",
      INVENTORY.toString(),
      "--templates",
      TEMPLATES.toString(),
      "--state",
      state.toString(),
      "--out",
      out.toString()
    };
  }

  /** kickdrift-make-cache for the test's jar, in the caller's environment {@code caller}. */
  private Run makeCache(Map<String, String> caller) throws Exception {
    return Run.of(
            caller,
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

  private Run launcher(Map<String, String> more, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.putAll(more);
    all.put("KICKDRIFT_JAR", jar.toString());
    all.put("KICKDRIFT_CACHE_DIR", cache.toString());
    all.put("KICKDRIFT_LAUNCHER_DEBUG", "1");
    return Run.of(all, command.toArray(String[]::new));
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
