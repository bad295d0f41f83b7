package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One state (issue 19): commands other than serve and init refuse a state that does not exist,
 * saying where its path came from; init makes one, idempotently; config show says where each value
 * came from.
 */
class OneStateTest {
  static final String EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().toString();

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  /** {@code kickdrift ARGS} with this environment and default file; command output captured. */
  private Run kickdrift(Map<String, String> env, Path defaultFile, String... args) {
    CommandLine cl = AgentMain.configure(KickdriftMain.tree(), env, defaultFile);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    HostsCommand hosts = (HostsCommand) cl.getSubcommands().get("hosts").getCommand();
    hosts.stdout = o;
    hosts.stderr = e;
    InitCommand init = (InitCommand) cl.getSubcommands().get("init").getCommand();
    init.stdout = o;
    init.stderr = e;
    StringWriter picocliOut = new StringWriter();
    StringWriter picocliErr = new StringWriter();
    cl.setOut(new PrintWriter(picocliOut));
    cl.setErr(new PrintWriter(picocliErr));
    int exit = cl.execute(args);
    return new Run(
        exit,
        out.toString(StandardCharsets.UTF_8) + picocliOut,
        err.toString(StandardCharsets.UTF_8) + picocliErr);
  }

  @Test
  void aMissingStateIsRefusedNamingWhereItsPathCameFrom() throws Exception {
    Path state = dir.resolve("state");
    Path none = dir.resolve("absent.yaml");
    Run flag =
        kickdrift(Map.of(), none, "hosts", "--inventory", EXAMPLE, "--state", state.toString());
    assertThat(flag.exit()).isEqualTo(2);
    assertThat(flag.err())
        .contains("kickdrift hosts: no kickdrift state at " + state + " (from --state)")
        .contains("kickdrift init --state " + state);

    Run env =
        kickdrift(
            Map.of("KICKDRIFT_STATE_DIR", state.toString()), none, "hosts", "--inventory", EXAMPLE);
    assertThat(env.exit()).isEqualTo(2);
    assertThat(env.err()).contains(state + " (from env KICKDRIFT_STATE_DIR)");

    Path file =
        Files.writeString(
            dir.resolve("kickdrift.yaml"),
            "inventory: " + EXAMPLE + "\nstate:\n  dir: " + state + "\n");
    Run fromFile = kickdrift(Map.of(), file, "hosts");
    assertThat(fromFile.exit()).isEqualTo(2);
    assertThat(fromFile.err()).contains(state + " (from " + file + ":3)");
    assertThat(state).as("nothing made").doesNotExist();

    // an empty directory is no state either
    Files.createDirectories(state);
    Run empty = kickdrift(Map.of(), file, "hosts");
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.err()).contains(state.resolve("kickdrift.db") + " does not exist");
    assertThat(state.resolve("kickdrift.db")).doesNotExist();
  }

  @Test
  void initMakesTheStateOnceAndSaysWhat() throws Exception {
    Path state = dir.resolve("state");
    Path none = dir.resolve("absent.yaml");
    Run first = kickdrift(Map.of(), none, "init", "--state", state.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("made " + state + "\n")
        .contains("made " + state.resolve("kickdrift.db"))
        .contains("made " + state.resolve("callback.key"))
        .contains("made " + state.resolve("admin.token"))
        .contains("state ready: " + state + " (from --state)");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwx------");
    String key = Files.readString(state.resolve("callback.key"));

    Run again = kickdrift(Map.of("KICKDRIFT_STATE", state.toString()), none, "init", "--json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out())
        .contains("\"made\" : [ ]")
        .contains("\"from\" : \"env KICKDRIFT_STATE\"");
    assertThat(Files.readString(state.resolve("callback.key"))).isEqualTo(key);

    Run hosts =
        kickdrift(Map.of(), none, "hosts", "--inventory", EXAMPLE, "--state", state.toString());
    assertThat(hosts.exit()).as(hosts.err()).isZero();
    assertThat(hosts.out()).contains("web01.lab.example.com");
  }

  @Test
  void configShowSaysWhereEachValueCameFrom() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("kickdrift.yaml"),
            "serve:\n  http-port: 8080\n  scan-delay: 2m\nfleet:\n  scan:\n    hosts: [web*, db*]\n");
    Run r = kickdrift(Map.of("KICKDRIFT_SERVE_TFTP_PORT", "6969"), file, "config", "show");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("# configuration file: " + file)
        .contains("serve.http-port: 8080  # " + file + ":2")
        .contains("serve.scan-delay: 2m  # " + file + ":3")
        .contains("fleet.scan.hosts: web*,db*  # " + file + ":6")
        .contains("serve.tftp-port: 6969  # env KICKDRIFT_SERVE_TFTP_PORT")
        .contains("serve.dhcp: off  # default")
        .contains("state.dir: ");

    Run bad =
        kickdrift(
            Map.of(), file, "--config", dir.resolve("nope.yaml").toString(), "config", "show");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains(dir.resolve("nope.yaml") + " (--config): no such file");
  }
}
