package io.kickdrift.server.manual;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import io.kickdrift.server.cli.KickdriftMain;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class ManPageTest {
  private static final LocalDate DATE = LocalDate.of(2026, 12, 4);
  private static final CommandLine KICKDRIFT = KickdriftMain.commandLine();

  private static ManPage page(String... path) {
    CommandLine cl = KICKDRIFT;
    for (String name : path) {
      cl = cl.getSubcommands().get(name);
    }
    return new ManPage(
        cl.getCommandSpec(), "0.1.0-SNAPSHOT", DATE, "/etc/kickdrift/kickdrift.yaml");
  }

  @Test
  void aSubcommandsPageIsNamedByItsPathAndListsOptionsWithTheirKeys() {
    ManPage serve = page("serve");
    assertThat(serve.name()).isEqualTo("kickdrift-serve");
    assertThat(serve.roff())
        .contains(".TH KICKDRIFT\\-SERVE 1 \"2026-12-04\" \"kickdrift 0.1.0\\-SNAPSHOT\"")
        .contains(".SH NAME\nkickdrift\\-serve \\- Serves what bare metal boots from.\n")
        .contains("\\fB\\-\\-inventory\\fR=\\fIFILE\\fR\n[\\fB\\-\\-bind\\fR=\\fIADDR\\fR]")
        .contains(
            "\\fB\\-\\-http\\-port\\fR=\\fIN\\fR\n",
            "Config key: \\fBserve.http\\-port\\fR (environment \\fBKICKDRIFT_SERVE_HTTP_PORT\\fR).")
        .contains("Config key: \\fBstate.dir\\fR (environment \\fBKICKDRIFT_STATE_DIR\\fR).")
        .contains("Default: \\fBAUTO\\fR. Config key: \\fBserve.scan\\-way\\fR")
        // said in words by the text ("default: 60s"), not again as the field's PT1M
        .doesNotContain("PT1M")
        .doesNotContain("FILES");
  }

  @Test
  void nestedCommandsTakeTheirPathAsKeyAndTheRootPageNamesTheConfigFile() {
    assertThat(page("fleet", "scan").roff())
        .contains(".SH NAME\nkickdrift\\-fleet\\-scan \\-")
        .containsPattern("Config key: \\\\fBfleet\\.scan\\.[a-z]");
    String root = page().roff();
    assertThat(root)
        .contains(".SH COMMANDS\n", "\\fBserve\\fR\n", "See \\fBkickdrift\\-serve\\fR(1).")
        .contains(".SH FILES\n.TP\n.I /etc/kickdrift/kickdrift.yaml\n")
        .doesNotContain("Config key: \\fBhelp");
  }

  @Test
  void textCannotStartARoffRequestOrLoseABackslash() {
    assertThat(ManPage.escape(".hidden\n'quote\na\\b-c"))
        .isEqualTo("\\&.hidden\n\\&'quote\na\\eb\\-c");
  }

  @Test
  void theAgentsPagesAreItsOwnTree() {
    CommandSpec scan = AgentMain.commandLine().getSubcommands().get("scan").getCommandSpec();
    ManPage page = new ManPage(scan, "1", DATE, "/etc/kickdrift/agent.yaml");
    assertThat(page.name()).isEqualTo("kickdrift-agent-scan");
    assertThat(page.roff()).contains("Config key: \\fBscan.repo\\fR");
  }

  @Test
  void bashCompletionHasNoInterpreterLineAndZshLoadsIt() {
    assertThat(Manual.bash("kickdrift", KICKDRIFT))
        .doesNotStartWith("#!")
        .contains("complete -F _complete_kickdrift -o default kickdrift");
    assertThat(Manual.zsh("kickdrift-agent"))
        .startsWith("#compdef kickdrift-agent\n")
        .contains("source /usr/share/bash-completion/completions/kickdrift-agent\n")
        .contains("_bash_complete -F _complete_kickdrift-agent");
  }
}
