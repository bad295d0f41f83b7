package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

  /** A function, a value its reader would take for syntax, and what the function makes of it. */
  static Stream<Arguments> hostileValues() {
    return Stream.of(
        // grub quotes what it would read
        arguments("grub.word", "a;reboot", "'a;reboot'"),
        arguments("grub.word", "${x}", "'${x}'"),
        arguments("grub.word", "it's", "'it'\\''s'"),
        arguments("grub.word", "", "''"),
        arguments("grub.word", "if", "'if'"), // a reserved word
        arguments("grub.word", "a\nb", "'a?b'"),
        arguments("grub.inSingleQuotes", "web'01\u2028x", "web'\\''01?x"),
        arguments(
            "grub.args", "console=ttyS0 foo=\"a b\" x;y  z", "console=ttyS0 'foo=a b' 'x;y' z"),
        // ipxe neutralises what it has no quoting for
        arguments("ipxe.text", "a || b && c ; d #e f#g", "a ?? b ?? c ? d ?e f#g"),
        arguments("ipxe.text", "x${net0/ip}y $${z}", "x?{net0/ip}y $?{z}"),
        arguments("ipxe.text", "ends with \\", "ends with ?"),
        arguments("ipxe.word", "a b\nc", "a?b?c"),
        // kickstart quotes for shlex
        arguments("ks.word", "http://m/ --noverifyssl", "'http://m/ --noverifyssl'"),
        arguments("ks.word", "a#b", "'a#b'"),
        arguments("ks.word", "it's", "'it'\\''s'"),
        arguments("ks.line", "  %pre --x", "  ?pre --x"),
        arguments("ks.line", "%end\n%pre", "?end?%pre"),
        arguments("ks.line", "'%pre' x", "?%pre' x"), // shlex unquotes the header
        arguments("ks.line", "\\%pre", "?%pre"),
        arguments("ks.inDoubleQuotes", "k \"q\" \\", "k \\\"q\\\" \\\\"),
        arguments("sh.inDoubleQuotes", "$(id) `id` \"q\" \\", "\\$(id) \\`id\\` \\\"q\\\" \\\\"),
        // DHCP names and fields
        arguments("dhcpd.word", "a b", "\"a b\""),
        arguments("dhcpd/dnsmasq.name", "web01\nreboot; }", "web01-reboot---"),
        arguments("dhcpd/dnsmasq.name", "-x", "x-x"),
        arguments("dhcpd/dnsmasq.name", "", "x"),
        arguments("dnsmasq.field", "a,b #c\"d\\", "a?b??c?d?"),
        arguments("kea.string", "a\"b\\c\u2028", "a\\\"b\\\\c?"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hostileValues")
  void eachFunctionQuotesOrNeutralisesWhatItsReaderWouldTakeForSyntax(
      String function, String value, String expected) {
    assertThat(ALL.get(function).apply(value)).as(function).isEqualTo(expected);
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
