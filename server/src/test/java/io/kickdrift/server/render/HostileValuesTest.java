package io.kickdrift.server.render;

import static io.kickdrift.server.render.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.server.lint.KickstartLint;
import io.kickdrift.server.lint.LintProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile values (line breaks of every kind, section headers, GRUB, iPXE, shell and DHCP syntax)
 * written by the built-in templates, against the same inventory with ordinary values: every file
 * keeps its lines, commands, menu entries and sections. The tools that read them check the same
 * files in HostileValuesPeersIT.
 */
class HostileValuesTest {
  private static final String MAC = "01-52-54-00-66-00-01";
  private static SortedMap<String, byte[]> ordinary;
  private static SortedMap<String, byte[]> hostile;

  @BeforeAll
  static void render() throws Exception {
    ordinary = new TreeRenderer(new Templates(null)).render(Hostile.site(false));
    hostile = new TreeRenderer(new Templates(null)).render(Hostile.site(true));
  }

  /** The hostile tree's path of an ordinary one (only the evil host's kickstart is renamed). */
  private static String hostilePath(String path) {
    return path.replace(Hostile.evilHost(false), Hostile.evilHost(true));
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  /** The first word of each line: the command, keyword or comment sign that gives it its role. */
  private static List<String> roles(List<String> lines) {
    return lines.stream()
        .map(String::strip)
        .map(l -> l.isEmpty() ? "" : l.split("[\\s=]", 2)[0])
        .collect(Collectors.toList());
  }

  @Test
  void everyFileKeepsItsLinesAndTheRoleOfEachLine() {
    assertThat(hostile.keySet())
        .containsExactlyInAnyOrderElementsOf(
            ordinary.keySet().stream().map(HostileValuesTest::hostilePath).toList());
    for (String path : ordinary.keySet()) {
      List<String> plain = lines(text(ordinary, path));
      List<String> evil = lines(text(hostile, hostilePath(path)));
      assertThat(evil).as(path).hasSameSizeAs(plain);
      if (path.startsWith("kickstarts/")) {
        continue; // package lines are values; kickstartsKeepTheirCommandsAndSections checks them
      }
      assertThat(roles(evil)).as(path).isEqualTo(roles(plain));
    }
  }

  @Test
  void kickstartsKeepTheirCommandsAndSectionsAndLintClean() {
    String path = "kickstarts/" + Hostile.evilHost(false) + ".ks";
    List<String> plain = lines(text(ordinary, path));
    String evilText = text(hostile, hostilePath(path));
    List<String> evil = lines(evilText);
    assertThat(sections(evil)).isEqualTo(sections(plain));
    assertThat(sections(evil))
        .containsExactly(
            "%packages",
            "%end", "%post --nochroot --log=/mnt/sysimage/root/kickdrift-callback.log", "%end");
    assertThat(commands(evil)).isEqualTo(commands(plain));
    // The render itself linted it with the sections the templates declare; Anaconda's rules too:
    List<LintProblem> errors =
        KickstartLint.lint("ks", evilText).stream()
            .filter(p -> p.severity() == LintProblem.Severity.ERROR)
            .toList();
    assertThat(errors).isEmpty();
  }

  /** The section header lines, in order. */
  private static List<String> sections(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("%")).toList();
  }

  /** The first word of each line outside sections: the commands. */
  private static List<String> commands(List<String> lines) {
    List<String> commands = new ArrayList<>();
    boolean inSection = false;
    for (String l : lines) {
      if (l.startsWith("%")) {
        inSection = !l.equals("%end");
      } else if (!inSection) {
        commands.add(l.isEmpty() ? "" : l.split("\\s", 2)[0]);
      }
    }
    return commands;
  }

  @Test
  void theGrubMenuHasOneInstallEntryWithTheArgumentsAsGiven() {
    String menu = text(hostile, "grub/grub.cfg-" + MAC);
    assertThat(menu.lines().filter(l -> l.startsWith("menuentry "))).hasSize(2);
    assertThat(menu.lines().filter(l -> l.contains("--id install {"))).hasSize(1);
    String linux = menu.lines().filter(l -> l.startsWith("  linux ")).findFirst().orElseThrow();
    List<String> words = GrubWords.split(linux);
    assertThat(words.get(0)).isEqualTo("linux");
    assertThat(words.get(1))
        .isEqualTo("(http,192.0.2.10)/trees/rocky9/images/pxeboot/vmlinuz" + oneLine(Hostile.TAIL));
    assertThat(
            words.subList(
                words.size() - Hostile.KERNEL_ARGS_AS_GRUB_SEES_THEM.size(), words.size()))
        .isEqualTo(Hostile.KERNEL_ARGS_AS_GRUB_SEES_THEM);
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]", "?");
  }

  @Test
  void theIpxeScriptKeepsItsLabelAndItsThreeFallbacks() {
    String script = text(hostile, "ipxe/" + MAC + ".ipxe");
    assertThat(script.lines().filter(l -> l.startsWith(":"))).containsExactly(":failed");
    for (String line : script.lines().toList()) {
      if (line.startsWith("#")) {
        continue;
      }
      List<String> tokens = List.of(line.strip().split(" +"));
      long terminators =
          tokens.stream().filter(t -> t.equals("||") || t.equals("&&") || t.equals(";")).count();
      assertThat(terminators).as(line).isLessThanOrEqualTo(1);
      assertThat(tokens.stream().skip(1).filter(t -> t.startsWith("#"))).as(line).isEmpty();
      assertThat(line).as(line).doesNotContain("${").doesNotEndWith("\\");
    }
    assertThat(script).contains(" || goto failed\n");
    assertThat(script.lines().filter(l -> l.endsWith(" || goto failed"))).hasSize(3);
  }

  @Test
  void theKeaConfigIsStillOneSubnetWithTwoReservations() throws Exception {
    String kea =
        text(hostile, "dhcp/kea-dhcp4.conf")
            .lines()
            .filter(l -> !l.startsWith("//"))
            .collect(Collectors.joining("\n"));
    JsonNode dhcp4 = new ObjectMapper().readTree(kea).get("Dhcp4");
    assertThat(dhcp4.get("subnet4")).hasSize(1);
    assertThat(dhcp4.get("subnet4").get(0).get("reservations")).hasSize(2);
    assertThat(dhcp4.get("subnet4").get(0).get("reservations").get(0).get("hostname").asText())
        .as("the name on one line")
        .isEqualTo(
            oneLine(Hostile.evilHost(true).substring(0, Hostile.evilHost(true).indexOf('.'))));
  }

  @Test
  void dhcpdAndDnsmasqKeepTwoHosts() {
    assertThat(text(hostile, "dhcp/dhcpd.conf").lines().filter(l -> l.startsWith("host ")))
        .hasSize(2);
    assertThat(text(hostile, "dhcp/dnsmasq.conf").lines().filter(l -> l.startsWith("dhcp-host=")))
        .hasSize(2);
  }

  /** GRUB's reading of the words Quoting writes: plain words and '…' strings, '\'' for a quote. */
  static final class GrubWords {
    private GrubWords() {}

    static List<String> split(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == ' ') {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
        } else if (c == '\'') {
          int close = line.indexOf('\'', i + 1);
          word.append(line, i + 1, close);
          i = close;
          inWord = true;
        } else if (c == '\\') {
          word.append(line.charAt(++i));
          inWord = true;
        } else {
          word.append(c);
          inWord = true;
        }
      }
      if (inWord) {
        words.add(word.toString());
      }
      return words;
    }
  }
}
