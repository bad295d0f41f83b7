package io.kickdrift.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import io.kickdrift.agent.cli.StateOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class ConfigTest {
  @TempDir Path tmp;

  enum Mode {
    off,
    proxy
  }

  /** What the test command saw, to check after a run. */
  static final List<Object> seen = new ArrayList<>();

  @Command(
      name = "tool",
      subcommands = {Serve.class, Other.class})
  static final class Root implements Runnable {
    @Override
    public void run() {}
  }

  static final class Millis implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      if (!value.endsWith("ms")) {
        throw new IllegalArgumentException("expected e.g. 500ms");
      }
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
  }

  @Command(name = "serve")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--http-port")
    int httpPort = 80;

    @Option(names = "--mode")
    Mode mode = Mode.off;

    @Option(names = "--name")
    List<String> names = new ArrayList<>();

    @Option(names = "--log-level")
    Map<String, String> levels = new LinkedHashMap<>();

    @Option(names = "--wait", converter = Millis.class)
    Duration wait = Duration.ofMillis(5);

    @Option(names = "--quiet")
    boolean quiet;

    @Mixin StateOption state = new StateOption();

    @Override
    public Integer call() {
      seen.clear();
      seen.addAll(
          List.of(httpPort, mode, names, levels, wait, quiet, state.dir().dir(), state.origin()));
      return 0;
    }
  }

  @Command(name = "other", mixinStandardHelpOptions = true)
  static final class Other implements Callable<Integer> {
    @Option(names = "--depth")
    int depth = 1;

    @Override
    public Integer call() {
      seen.clear();
      seen.add(depth);
      return 0;
    }
  }

  record Run(int exit, String out, String err) {}

  private Run run(Map<String, String> env, Path defaultFile, String... args) {
    CommandLine cl = AgentMain.configure(new CommandLine(new Root()), env, defaultFile);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    seen.clear();
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  private Path file(String yaml) throws IOException {
    Path f = tmp.resolve("kickdrift.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws IOException {
    Path f = file("serve:\n  http-port: 8080\n  mode: proxy\nstate:\n  dir: /from/file\n");
    assertThat(run(Map.of(), tmp.resolve("absent.yaml"), "serve").exit()).isZero();
    assertThat(seen).startsWith(80, Mode.off);

    assertThat(run(Map.of(), f, "serve").exit()).isZero();
    assertThat(seen).startsWith(8080, Mode.proxy);
    assertThat(seen).endsWith(Path.of("/from/file"), f + ":5");

    run(Map.of("KICKDRIFT_SERVE_HTTP_PORT", "9090", "KICKDRIFT_STATE_DIR", "/env"), f, "serve");
    assertThat(seen).startsWith(9090, Mode.proxy);
    assertThat(seen).endsWith(Path.of("/env"), "env KICKDRIFT_STATE_DIR");

    run(
        Map.of("KICKDRIFT_SERVE_HTTP_PORT", "9090"),
        f,
        "serve",
        "--http-port",
        "7",
        "--state",
        "/flag");
    assertThat(seen).startsWith(7, Mode.proxy);
    assertThat(seen).endsWith(Path.of("/flag"), "--state");
  }

  @Test
  void theOldStateVariableStillCountsAfterTheNewOne() {
    run(Map.of("KICKDRIFT_STATE", "/old"), tmp.resolve("absent"), "serve");
    assertThat(seen).endsWith(Path.of("/old"), "env KICKDRIFT_STATE");
    run(
        Map.of("KICKDRIFT_STATE", "/old", "KICKDRIFT_STATE_DIR", "/new"),
        tmp.resolve("x"),
        "serve");
    assertThat(seen).endsWith(Path.of("/new"), "env KICKDRIFT_STATE_DIR");
  }

  @Test
  void listsAndMapsComeFromYamlListsAndMaps() throws IOException {
    Path f =
        file(
            "serve:\n  name: [a, b c]\n  wait: 250ms\n  quiet: true\n"
                + "log:\n  level:\n    tftp: debug\n    http: warn\n");
    assertThat(run(Map.of(), f, "serve").err()).isEmpty();
    assertThat(seen)
        .startsWith(
            80,
            Mode.off,
            List.of("a", "b c"),
            Map.of("tftp", "debug", "http", "warn"),
            Duration.ofMillis(250),
            true);
  }

  @Test
  void dottedKeysMayBeWrittenFlat() throws IOException {
    Path f = file("serve.http-port: 81\n");
    run(Map.of(), f, "serve");
    assertThat(seen).startsWith(81);
  }

  @Test
  void badValuesAndUnknownKeysStopTheCommandNamingFileAndLine() throws IOException {
    Path f =
        file(
            "serve:\n"
                + "  http-port: eighty\n"
                + "  mode: relay\n"
                + "  htp-port: 1\n"
                + "  wait: 5s\n"
                + "  quiet: {a: b}\n"
                + "other:\n"
                + "  depht: 2\n");
    Run r = run(Map.of(), f, "other");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(seen).isEmpty();
    assertThat(r.err())
        .contains(f + ":2: serve.http-port: 'eighty' is not a number")
        .contains(f + ":3: serve.mode: 'relay' is not one of off, proxy")
        .contains(f + ":4: unknown key serve.htp-port (did you mean serve.http-port?)")
        .contains(f + ":5: serve.wait: '5s' is not valid: expected e.g. 500ms")
        .contains(f + ":6: serve.quiet: expected one value, not a map")
        .contains(f + ":8: unknown key other.depht (did you mean other.depth?)");
  }

  @Test
  void theFilesProblemsComeFirstWhenTheCommandLineIsRefusedToo() throws IOException {
    Path f = file("other:\n  depht: 2\n");
    Run r = run(Map.of(), f, "other", "--depth", "x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst())
        .hasValue("tool: " + f + ":2: unknown key other.depht (did you mean other.depth?)");
  }

  @Test
  void aKeyForAnotherCommandIsFine() throws IOException {
    Path f = file("serve:\n  http-port: 8080\nother:\n  depth: 3\n");
    Run r = run(Map.of(), f, "other");
    assertThat(r.exit()).isZero();
    assertThat(seen).containsExactly(3);
  }

  @Test
  void aBadEnvironmentValueNamesTheVariable() {
    Run r = run(Map.of("KICKDRIFT_OTHER_DEPTH", "deep"), tmp.resolve("absent"), "other");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("$KICKDRIFT_OTHER_DEPTH: other.depth: 'deep' is not a number");
  }

  @Test
  void aNamedFileMustExistTheDefaultOneNeedNot() throws IOException {
    Path missing = tmp.resolve("missing.yaml");
    assertThat(run(Map.of(), missing, "other").exit()).isZero();

    Run flag = run(Map.of(), missing, "--config", missing.toString(), "other");
    assertThat(flag.exit()).isEqualTo(2);
    assertThat(flag.err()).contains(missing + " (--config): no such file");

    Run env = run(Map.of("KICKDRIFT_CONFIG", missing.toString()), missing, "other");
    assertThat(env.exit()).isEqualTo(2);
    assertThat(env.err()).contains(missing + " ($KICKDRIFT_CONFIG): no such file");
  }

  @Test
  void configMayComeAfterTheSubcommandAndWinsOverTheVariable() throws IOException {
    Path f = file("other:\n  depth: 4\n");
    Path g = tmp.resolve("g.yaml");
    Files.writeString(g, "other:\n  depth: 5\n");
    run(
        Map.of("KICKDRIFT_CONFIG", g.toString()),
        tmp.resolve("absent"),
        "other",
        "--config",
        f.toString());
    assertThat(seen).containsExactly(4);
    run(
        Map.of("KICKDRIFT_CONFIG", g.toString()),
        tmp.resolve("absent"),
        "--config",
        f.toString(),
        "other");
    assertThat(seen).containsExactly(4);
    run(Map.of("KICKDRIFT_CONFIG", g.toString()), tmp.resolve("absent"), "other");
    assertThat(seen).containsExactly(5);
  }

  @Test
  void notYamlNamesTheLine() throws IOException {
    Path f = file("serve:\n  http-port: 1\n bad: [\n");
    Run r = run(Map.of(), f, "other");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .containsPattern(java.util.regex.Pattern.quote(f.toString()) + ":[34]: not YAML");
  }

  @Test
  void aFileOfCommentsOnlyIsEmpty() throws IOException {
    Path f = file("# serve:\n#   http-port: 80\n");
    assertThat(run(Map.of(), f, "other").exit()).isZero();
  }

  @Test
  void helpIsShownEvenWhenTheFileIsBroken() throws IOException {
    Path f = file("nonsense: 1\n");
    Run r = run(Map.of(), f, "--config", f.toString(), "other", "--help");
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("--depth");
  }
}
