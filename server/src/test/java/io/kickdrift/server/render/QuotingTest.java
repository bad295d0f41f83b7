package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/** The quoting functions templates call: ordinary values pass unchanged, hostile ones stay put. */
class QuotingTest {
  /** Every function, by the name templates call it. */
  static final Map<String, UnaryOperator<String>> ALL =
      Map.ofEntries(
          Map.entry("grub.word", Quoting::grubWord),
          Map.entry("grub.args", Quoting::grubArgs),
          Map.entry("grub.inSingleQuotes", Quoting::grubInSingleQuotes),
          Map.entry("*.comment", Quoting::oneLine),
          Map.entry("ipxe.word", Quoting::ipxeWord),
          Map.entry("ipxe.text", Quoting::ipxeText),
          Map.entry("pxelinux.word", Quoting::pxelinuxWord),
          Map.entry("cmdline.word", Quoting::cmdlineWord),
          Map.entry("ks.word", Quoting::ksWord),
          Map.entry("ks.inDoubleQuotes", Quoting::ksInDoubleQuotes),
          Map.entry("ks.line", Quoting::ksLine),
          Map.entry("sh.inDoubleQuotes", Quoting::shInDoubleQuotes),
          Map.entry("dhcpd.word", Quoting::dhcpdWord),
          Map.entry("dhcpd/dnsmasq.name", Quoting::hostName),
          Map.entry("dhcpd.inDoubleQuotes", Quoting::dhcpdInDoubleQuotes),
          Map.entry("kea.string", Quoting::keaString),
          Map.entry("dnsmasq.field", Quoting::dnsmasqField),
          Map.entry("zonefile.word", Quoting::zoneWord));

  private static final String HASH = Hostile.HASH;

  @Test
  void ordinaryValuesPassUnchanged() {
    List<String> urls =
        List.of(
            "http://192.0.2.10/trees/rocky9",
            "https://dl.fedoraproject.org/pub/epel/9/Everything/x86_64/",
            "http://192.0.2.10/ks/web01.lab.example.com/a282f3ccdb2ddd0d6b978842e31803c7");
    List<String> names =
        List.of("web01.lab.example.com", "web01", "rocky9-x86_64", "base_rocky9", "pxelinux.0");
    List<String> words =
        List.of(
            "52:54:00:12:34:01",
            "01-52-54-00-12-34-01",
            "192.0.2.21",
            "en_US.UTF-8",
            "Europe/Berlin",
            "console=ttyS0,115200n8",
            "@core",
            "-postfix",
            "sda");
    for (String v : concat(urls, names, words)) {
      for (String fn :
          List.of(
              "grub.word",
              "grub.args",
              "grub.inSingleQuotes",
              "*.comment",
              "ipxe.word",
              "ipxe.text",
              "pxelinux.word",
              "cmdline.word",
              "ks.word",
              "ks.inDoubleQuotes",
              "ks.line",
              "sh.inDoubleQuotes",
              "dhcpd.inDoubleQuotes",
              "kea.string",
              "dnsmasq.field",
              "zonefile.word")) {
        if (fn.equals("dnsmasq.field") && v.contains(",")) {
          continue; // a comma separates dnsmasq's fields: the template writes each one
        }
        assertThat(ALL.get(fn).apply(v)).as("%s(%s)", fn, v).isEqualTo(v);
      }
    }
    for (String v : concat(names, List.of("192.0.2.21", "52:54:00:12:34:01"))) {
      assertThat(Quoting.dhcpdWord(v)).as(v).isEqualTo(v);
    }
    for (String v : names.subList(0, 4)) {
      assertThat(Quoting.hostName(v)).as(v).isEqualTo(v);
    }
    assertThat(Quoting.grubWord("(http,192.0.2.10,8080)/trees/x/vmlinuz"))
        .isEqualTo("(http,192.0.2.10,8080)/trees/x/vmlinuz");
    assertThat(Quoting.ksWord("192.0.2.2,192.0.2.3")).isEqualTo("192.0.2.2,192.0.2.3");
    assertThat(Quoting.ksWord(HASH)).isEqualTo(HASH);
    assertThat(Quoting.ksLine("autopart --type=lvm")).isEqualTo("autopart --type=lvm");
    assertThat(Quoting.ksInDoubleQuotes("ssh-ed25519 AAAAC3Nza kickdrift@example"))
        .isEqualTo("ssh-ed25519 AAAAC3Nza kickdrift@example");
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }

  @Test
  void grubQuotesWhatItWouldRead() {
    assertThat(Quoting.grubWord("a;reboot")).isEqualTo("'a;reboot'");
    assertThat(Quoting.grubWord("${x}")).isEqualTo("'${x}'");
    assertThat(Quoting.grubWord("it's")).isEqualTo("'it'\\''s'");
    assertThat(Quoting.grubWord("")).isEqualTo("''");
    assertThat(Quoting.grubWord("if")).as("a reserved word").isEqualTo("'if'");
    assertThat(Quoting.grubWord("a\nb")).isEqualTo("'a?b'");
    assertThat(Quoting.grubInSingleQuotes("web'01\u2028x")).isEqualTo("web'\\''01?x");
    assertThat(Quoting.grubArgs("console=ttyS0 foo=\"a b\" x;y  z"))
        .isEqualTo("console=ttyS0 'foo=a b' 'x;y' z");
  }

  @Test
  void ipxeNeutralisesWhatItHasNoQuotingFor() {
    assertThat(Quoting.ipxeText("a || b && c ; d #e f#g")).isEqualTo("a ?? b ?? c ? d ?e f#g");
    assertThat(Quoting.ipxeText("x${net0/ip}y $${z}")).isEqualTo("x?{net0/ip}y $?{z}");
    assertThat(Quoting.ipxeText("ends with \\")).isEqualTo("ends with ?");
    assertThat(Quoting.ipxeWord("a b\nc")).isEqualTo("a?b?c");
  }

  @Test
  void kickstartQuotesForShlex() {
    assertThat(Quoting.ksWord("http://m/ --noverifyssl")).isEqualTo("'http://m/ --noverifyssl'");
    assertThat(Quoting.ksWord("a#b")).isEqualTo("'a#b'");
    assertThat(Quoting.ksWord("it's")).isEqualTo("'it'\\''s'");
    assertThat(Quoting.ksLine("  %pre --x")).isEqualTo("  ?pre --x");
    assertThat(Quoting.ksLine("%end\n%pre")).isEqualTo("?end?%pre");
    assertThat(Quoting.ksLine("'%pre' x")).as("shlex unquotes the header").isEqualTo("?%pre' x");
    assertThat(Quoting.ksLine("\\%pre")).isEqualTo("?%pre");
    assertThat(Quoting.ksInDoubleQuotes("k \"q\" \\")).isEqualTo("k \\\"q\\\" \\\\");
    assertThat(Quoting.shInDoubleQuotes("$(id) `id` \"q\" \\"))
        .isEqualTo("\\$(id) \\`id\\` \\\"q\\\" \\\\");
  }

  @Test
  void dhcpNamesAndFields() {
    assertThat(Quoting.dhcpdWord("a b")).isEqualTo("\"a b\"");
    assertThat(Quoting.hostName("web01\nreboot; }")).isEqualTo("web01-reboot---");
    assertThat(Quoting.hostName("-x")).isEqualTo("x-x");
    assertThat(Quoting.hostName("")).isEqualTo("x");
    assertThat(Quoting.dnsmasqField("a,b #c\"d\\")).isEqualTo("a?b??c?d?");
    assertThat(Quoting.keaString("a\"b\\c\u2028")).isEqualTo("a\\\"b\\\\c?");
  }

  @Test
  void zoneFilesEscapeWhatNamedReadsAsSyntax() {
    Map<String, String> words = new LinkedHashMap<>();
    for (String presentation :
        List.of(
            "@",
            "lab.example.com.",
            "eth1.web01",
            "21",
            "2001:db8:0:0:0:0:0:21",
            "a\\.b\\032c\\\"d\\(")) {
      words.put(presentation, presentation);
    }
    words.put("a b;c(d)\"e", "a\\032b\\059c\\040d\\041\\034e");
    words.put("x\nIN A 1.2.3.4", "x\\010IN\\032A\\0321.2.3.4");
    words.put("$ORIGIN", "\\036ORIGIN");
    words.put("a$b", "a$b");
    words.put("ends\\", "ends\\092");
    words.put("a\\ b", "a\\092\\032b");
    words.put("x\u2028", "x\\226\\128\\168");
    words.put("", "\"\"");

    words.forEach((in, out) -> assertThat(Quoting.zoneWord(in)).as(in).isEqualTo(out));
  }

  @Property(tries = 2000)
  void aZoneFileReadsAWordBackAsOneWord(@ForAll("hostile") String s) throws Exception {
    Tokenizer t = new Tokenizer(Quoting.zoneWord(s) + " next\n");
    Tokenizer.Token word = t.get();
    assertThat(word.isString()).as(word.toString()).isTrue();
    assertThat(word.value).doesNotStartWith("$");
    assertThat(t.get().value).isEqualTo("next");
    assertThat(t.get().isEOL()).isTrue();
  }

  @Property(tries = 2000)
  void aNameAsDnsjavaWritesItPassesUnchanged(@ForAll("hostile") String s) throws Exception {
    byte[] label = s.getBytes(StandardCharsets.UTF_8);
    label = Arrays.copyOf(label, Math.min(label.length, 63));
    byte[] wire = new byte[label.length + 2];
    wire[0] = (byte) label.length;
    System.arraycopy(label, 0, wire, 1, label.length);
    String name = new Name(new DNSInput(wire)).toString();

    assertThat(Quoting.zoneWord(name)).isEqualTo(name);
  }

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings()
            .withChars(" \t\n\r\u000b\u000c\u0085\u2028\u2029\u00a0\u3000'\"\\#$%{};|&<>:=`()abc-")
            .ofMaxLength(60));
  }

  @Property(tries = 2000)
  void everyFunctionKeepsAValueOnOneLine(@ForAll("hostile") String s) {
    ALL.forEach(
        (fn, f) -> {
          String out = f.apply(s);
          for (char c : out.toCharArray()) {
            assertThat(Quoting.breaksLine(c)).as("%s(%s) = %s", fn, s, out).isFalse();
          }
        });
  }

  @Property(tries = 2000)
  void grubReadsAWordBackAsOneArgument(@ForAll("hostile") String s) {
    assertThat(HostileValuesTest.GrubWords.split(Quoting.grubWord(s)))
        .containsExactly(Quoting.oneLine(s));
  }

  @Property(tries = 2000)
  void grubReadsACommandLineBackAsTheKernelsWords(@ForAll("hostile") String s) {
    assertThat(HostileValuesTest.GrubWords.split(Quoting.grubArgs(s)))
        .isEqualTo(Quoting.kernelWords(Quoting.oneLine(s)));
  }

  @Property(tries = 2000)
  void ipxeSeesNoSyntaxInAValue(@ForAll("hostile") String s) {
    String out = Quoting.ipxeText(s);
    assertThat(out).doesNotContain("${").doesNotEndWith("\\");
    for (String token : out.split(" ")) {
      assertThat(token).isNotIn("||", "&&", ";").doesNotStartWith("#");
    }
    assertThat(Quoting.ipxeWord(s)).doesNotContain(" ");
  }

  @Property(tries = 2000)
  void namesAreNamesAndFieldsAreFields(@ForAll("hostile") String s) {
    assertThat(Quoting.hostName(s))
        .matches("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9][A-Za-z0-9_-]*)*");
    assertThat(Quoting.dnsmasqField(s)).doesNotContain(" ", ",", "#", "\"", "\\");
    assertThat(Quoting.pxelinuxWord(s)).doesNotContain(" ");
    assertThat(Quoting.cmdlineWord(s)).doesNotContain(" ", "\"");
    assertThat(Quoting.ksLine(s).replaceFirst("^[\\s\\p{Z}]+", ""))
        .doesNotStartWith("%")
        .doesNotStartWith("'")
        .doesNotStartWith("\"")
        .doesNotStartWith("\\");
  }
}
