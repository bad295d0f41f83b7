package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import io.kickdrift.agent.cli.CliConvention;
import io.kickdrift.agent.config.Config;
import io.kickdrift.agent.config.ConfigKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KickdriftMainTest {
  @Test
  void carriesTheAgentScanCommand() {
    CommandLine cl = KickdriftMain.commandLine();
    assertThat(cl.getSubcommands()).containsKey("scan");
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("scan", "--help")).isZero();
    assertThat(out.toString()).contains("--rpm-format", "--all", "--root");
  }

  @Test
  void carriesTheAgentRestoreCommand(@TempDir Path empty) {
    CommandLine cl = KickdriftMain.commandLine();
    assertThat(cl.getSubcommands()).containsKey("restore");
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("restore", "--help")).isZero();
    assertThat(out.toString()).contains("--repo", "--host", "--root", "--dry-run", "--ref");
    cl.setErr(new PrintWriter(new StringWriter()));
    assertThat(
            cl.execute(
                "restore", "--repo", empty.toString(), "--host", "h", "--root", empty.toString()))
        .isEqualTo(2);
  }

  @Test
  void aRootWithoutAPackageDatabaseIsExitTwo(@TempDir Path empty) {
    assertThat(KickdriftMain.commandLine().execute("scan", "--root", empty.toString()))
        .isEqualTo(2);
  }

  @Test
  void backendNamesAreAcceptedAsTheHelpSpellsThem(@TempDir Path empty) {
    CommandLine cl = KickdriftMain.commandLine();
    cl.setErr(new PrintWriter(new StringWriter()));
    // Parsed fine; exit 2 only because the root has no dpkg database.
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("scan", "--backend", "dpkg", "--root", empty.toString())).isEqualTo(2);
    assertThat(err.toString()).doesNotContain("Invalid value");
  }

  /** What a command line prints and exits with for {@code args}. */
  private static String answer(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return "exit " + exit + "\n" + out + "\n--- stderr\n" + err;
  }

  /**
   * main builds only the command its first argument names: each command's help and its bad usage
   * read exactly as with the whole tree, and anything else gets the whole tree.
   */
  @Test
  void theCommandAloneAnswersAsTheWholeTreeDoes() {
    List<String> names = List.copyOf(KickdriftMain.commandLine().getSubcommands().keySet());
    assertThat(names).contains("render", "serve", "scan", "state", "user").hasSizeGreaterThan(20);
    for (String name : names) {
      if (name.equals("config")) {
        continue; // it shows every command's options: built whole, as the loop below checks
      }
      for (String[] args :
          List.of(
              new String[] {name, "--help"},
              new String[] {name, "--no-such-option"},
              new String[] {name, "no-such-argument", "--json"})) {
        CommandLine alone = KickdriftMain.commandLine(args);
        assertThat(alone.getSubcommands()).as(name).containsOnlyKeys(name);
        assertThat(answer(alone, args))
            .as(String.join(" ", args))
            .isEqualTo(answer(KickdriftMain.commandLine(), args));
      }
    }
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"--help"},
            new String[] {"--version"},
            new String[] {"rendr", "--json"},
            new String[] {"--no-such-option", "render"},
            new String[] {"config", "show"})) {
      CommandLine all = KickdriftMain.commandLine(args);
      assertThat(all.getSubcommands()).containsOnlyKeys(names);
      assertThat(answer(all, args)).isEqualTo(answer(KickdriftMain.commandLine(), args));
    }
    assertThat(answer(KickdriftMain.commandLine("rendr"), "rendr")).contains("kickdrift render");
  }

  /**
   * The command alone reads the configuration as the whole tree does: another command's keys and
   * variables are neither refused nor left unchecked.
   */
  @Test
  void theCommandAloneChecksTheWholeConfiguration(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml");
    java.nio.file.Files.writeString(good, "serve:\n  http-port: 8080\nlint:\n  json: true\n");
    Path misspelt = dir.resolve("misspelt.yaml");
    java.nio.file.Files.writeString(misspelt, "serve:\n  http-prot: 8080\n");
    Path bad = dir.resolve("bad.yaml");
    java.nio.file.Files.writeString(bad, "serve:\n  http-port: many\n");
    Path nested = dir.resolve("nested.yaml");
    java.nio.file.Files.writeString(nested, "fleet:\n  scan:\n    parallel: many\n");
    Path none = dir.resolve("none.yaml");
    Path ks = dir.resolve("web01.ks");
    java.nio.file.Files.writeString(ks, "text\nreboot\n");
    List<java.util.Map<String, String>> envs =
        List.of(
            java.util.Map.of(),
            java.util.Map.of("KICKDRIFT_SERVE_HTTP_PORT", "many"),
            java.util.Map.of("KICKDRIFT_LINT_JSON", "true"),
            java.util.Map.of("KICKDRIFT_NO_SUCH_THING", "1"),
            java.util.Map.of("KICKDRIFT_STATE_DIR", dir.resolve("nowhere").toString()),
            java.util.Map.of("KICKDRIFT_FLEET_SCAN_PARALLEL", "many"));
    int compared = 0;
    for (Path file : List.of(good, misspelt, bad, nested, none)) {
      for (java.util.Map<String, String> env : envs) {
        String[] args = {"lint", ks.toString()};
        CommandLine alone = KickdriftMain.commandLine(env, file, args);
        assertThat(alone.getSubcommands()).containsOnlyKeys("lint");
        CommandLine whole = AgentMain.configure(KickdriftMain.tree(), env, file);
        assertThat(answer(alone, args))
            .as("%s with %s", file.getFileName(), env)
            .isEqualTo(answer(whole, args));
        compared++;
      }
    }
    assertThat(compared).isEqualTo(30);
    String[] lint = {"lint", ks.toString()};
    assertThat(answer(KickdriftMain.commandLine(java.util.Map.of(), misspelt, lint), lint))
        .startsWith("exit 2")
        .contains("unknown key serve.http-prot");
    assertThat(answer(KickdriftMain.commandLine(java.util.Map.of(), bad, lint), lint))
        .startsWith("exit 2")
        .contains("serve.http-port");
    assertThat(answer(KickdriftMain.commandLine(java.util.Map.of(), good, lint), lint))
        .doesNotContain("unknown key", "serve.http-port");
  }

  /** A key or variable is looked up among the commands it names; anything else: every command. */
  @Test
  void theOwnersOfKeysAndVariablesAreTheCommandsTheyName() {
    assertThat(KickdriftMain.owners(java.util.Set.of("serve.http-port")))
        .containsExactly(ServeCommand.class);
    assertThat(KickdriftMain.owners(java.util.Set.of("KICKDRIFT_SERVE_HTTP_PORT")))
        .containsExactly(ServeCommand.class);
    assertThat(KickdriftMain.owners(java.util.Set.of("fleet.scan.parallel")))
        .containsExactly(FleetCommand.class);
    assertThat(KickdriftMain.owners(java.util.Set.of("KICKDRIFT_STATE_DIR")))
        .containsExactly(StateCommand.class);
    assertThat(
            KickdriftMain.owners(
                new java.util.TreeSet<>(List.of("serve.http-port", "KICKDRIFT_LINT_JSON"))))
        .containsExactlyInAnyOrder(ServeCommand.class, LintCommand.class);
    assertThat(KickdriftMain.owners(java.util.Set.of("serve.http-port", "nosuch.key"))).isEmpty();
    assertThat(KickdriftMain.owners(java.util.Set.of("KICKDRIFT_NOSUCH"))).isEmpty();
    assertThat(KickdriftMain.owners(java.util.Set.of("serve"))).isEmpty();
    assertThat(KickdriftMain.owners(java.util.Set.of())).isEmpty();
  }

  /** The launchers' own variables, which need no look at other commands, are no option's. */
  @Test
  void theLaunchersVariablesAreTheScriptsAndNoOptions() throws Exception {
    String script =
        java.nio.file.Files.readString(Path.of("..", "dist", "src", "bin", "kickdrift"));
    java.util.Set<String> read = new java.util.TreeSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("KICKDRIFT_[A-Z_]+").matcher(script);
    while (m.find()) {
      read.add(m.group());
    }
    assertThat(read).containsExactlyInAnyOrderElementsOf(ConfigKeys.LAUNCHER_ENV);
    CommandLine whole = KickdriftMain.commandLine();
    java.util.Set<String> keys = Config.of(whole.getCommandSpec()).orElseThrow().keys().keySet();
    assertThat(keys).hasSizeGreaterThan(100);
    assertThat(keys)
        .extracting(ConfigKeys::env)
        .doesNotContainAnyElementsOf(ConfigKeys.LAUNCHER_ENV);
  }

  @Test
  void everyCommandFollowsTheConvention() {
    // every command of the tree, hidden ones (tftp, dhcp) and subcommands (dns sync) included
    assertThat(CliConvention.checkEveryCommand(KickdriftMain::commandLine))
        .isEqualTo(CliConvention.commands(KickdriftMain.commandLine()).size())
        .isGreaterThan(15);
  }

  @Test
  void configShowShowsEveryOptionOfEveryCommand() {
    assertThat(CliConvention.everyOptionIsShown(KickdriftMain::commandLine)).isGreaterThan(100);
  }

  @Test
  void aMisspeltOptionIsNamedEvenWhenARequiredOneIsMissing() {
    CliConvention.Run r = CliConvention.run(KickdriftMain::commandLine, List.of("render", "--jsn"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("Missing required options")
        .contains("Unknown option: '--jsn'")
        .contains("--json");
  }

  @Test
  void anUnknownCommandIsExitTwoWithASuggestion() {
    CliConvention.Run r = CliConvention.run(KickdriftMain::commandLine, List.of("rendr"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'rendr'", "Did you mean: kickdrift render");
  }

  @Test
  void noSubcommandIsAUsageError() {
    CommandLine cl = KickdriftMain.commandLine();
    cl.setErr(new PrintWriter(new StringWriter()));
    assertThat(cl.execute()).isEqualTo(2);
  }
}
