package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.fleet.AgentlessVerify.Line;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentlessVerifyTest {
  @Test
  void parsesCapturedOutput() throws Exception {
    // dpkg 1.21.22 on Debian 12: dpkg --verify --verify-format rpm, first lines.
    String text;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/debian/dpkg-verify.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Line> lines = AgentlessVerify.parse("dpkg --verify", text);
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo(new Line("missing", 'c', "/etc/debuginfod/elfutils.urls"));
    assertThat(lines.get(0).missing()).isTrue();
    assertThat(lines.get(1))
        .isEqualTo(new Line("missing", ' ', "/usr/lib/node_modules/npm/.npmrc"));
    assertThat(lines.get(2).checks()).isEqualTo("??5??????");
    assertThat(lines.get(2).contentDiffers()).isTrue();
    assertThat(lines.get(2).attr()).isEqualTo(' ');
  }

  @Test
  void aNameWithANewlineContinuesThePreviousLine() throws Exception {
    String text = "??5?????? c /etc/a\nb.conf\nmissing   c /etc/c\n";
    assertThat(AgentlessVerify.parse("dpkg --verify", text))
        .containsExactly(
            new Line("??5??????", 'c', "/etc/a\nb.conf"), new Line("missing", 'c', "/etc/c"));
  }

  @Test
  void keepsTheErrorOfAMissingFileInThePath() throws Exception {
    // dpkg adds "(strerror)" when lstat failed for another reason than ENOENT; the caller strips
    // it when no such path is known.
    assertThat(AgentlessVerify.parse("dpkg --verify", "missing   c /etc/x (Permission denied)\n"))
        .containsExactly(new Line("missing", 'c', "/etc/x (Permission denied)"));
  }

  @Test
  void passedChecksAreNotContent() throws Exception {
    Line l = AgentlessVerify.parse("dpkg --verify", "..?......   /usr/bin/x\n").get(0);
    assertThat(l.contentDiffers()).isFalse();
    assertThat(l.missing()).isFalse();
  }

  @Test
  void readsRpmVaLines() throws Exception {
    // rpm -Va puts two spaces after the columns (rpm 4.18, as in the agent's RpmRootIT).
    String text =
        "S.5....T.  c /etc/kdit-sha/app.conf\n"
            + ".....UG..    /etc/kdit/chown.conf\n"
            + "missing   d /usr/share/doc/kdit/README\n"
            + "missing     /usr/share/kdit-sha/gone\n";
    assertThat(AgentlessVerify.parse("rpm -Va", text))
        .containsExactly(
            new Line("S.5....T.", 'c', "/etc/kdit-sha/app.conf"),
            new Line(".....UG..", ' ', "/etc/kdit/chown.conf"),
            new Line("missing", 'd', "/usr/share/doc/kdit/README"),
            new Line("missing", ' ', "/usr/share/kdit-sha/gone"));
  }

  @Test
  void emptyOutputIsNoLines() throws Exception {
    assertThat(AgentlessVerify.parse("dpkg --verify", "")).isEmpty();
  }

  @Test
  void rejectsAFirstLineThatIsNotAVerifyLine() {
    assertThatThrownBy(() -> AgentlessVerify.parse("dpkg --verify", "dpkg: warning: odd\n"))
        .isInstanceOf(AgentlessParseException.class)
        .hasMessage("dpkg --verify: line 1: not a verify line: 'dpkg: warning: odd'");
    assertThatThrownBy(() -> AgentlessVerify.parse("dpkg --verify", "??5?????? X /etc/a\n"))
        .hasMessage("dpkg --verify: line 1: not a verify line: '??5?????? X /etc/a'");
    assertThatThrownBy(() -> AgentlessVerify.parse("dpkg --verify", "??5?? ???   /etc/a\n"))
        .hasMessageStartingWith("dpkg --verify: line 1: ");
    assertThatThrownBy(() -> AgentlessVerify.parse("dpkg --verify", "??5??????   etc/a\n"))
        .hasMessageStartingWith("dpkg --verify: line 1: ");
  }
}
