package io.kickdrift.server.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.render.Templates;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Host values as template variables: found whole only, and rendered back byte for byte. */
class TemplatingTest {
  private static final Host WEB01 =
      new Host(
          "web01.lab.example.com",
          List.of(
              new Interface("eth0", "52:54:00:12:34:01", "192.0.2.11", "2001:db8::11"),
              new Interface("eth1", "52:54:00:12:34:a1", "192.0.2.111")),
          "web",
          false,
          Map.of(),
          null);
  private static final Map<String, String> VALUES = HostValues.of(WEB01);
  private static final Templates TEMPLATES = templates();

  @Test
  void theHostValuesAreItsNamesAndEachInterfacesAddresses() {
    assertThat(VALUES)
        .containsExactly(
            Map.entry("fqdn", "web01.lab.example.com"),
            Map.entry("hostname", "web01"),
            Map.entry("domain", "lab.example.com"),
            Map.entry("ip", "192.0.2.11"),
            Map.entry("ip6", "2001:db8::11"),
            Map.entry("mac", "52:54:00:12:34:01"),
            Map.entry("eth0_ip", "192.0.2.11"),
            Map.entry("eth0_ip6", "2001:db8::11"),
            Map.entry("eth0_mac", "52:54:00:12:34:01"),
            Map.entry("eth1_ip", "192.0.2.111"),
            Map.entry("eth1_mac", "52:54:00:12:34:a1"));
  }

  @Test
  void valuesBecomeVariablesOnlyWhenWhole() {
    Templating.Template t =
        Templating.of(
            "ServerName web01.lab.example.com\n"
                + "Alias web01 web010 mail.web01.example.org web01-old\n"
                + "Listen 192.0.2.11:80 192.0.2.110 192.0.2.111\n"
                + "HWADDR=52:54:00:12:34:01 # 52:54:00:12:34:A1\n"
                + "See web01.\n",
            VALUES);
    assertThat(t.text())
        .isEqualTo(
            "ServerName [=host.fqdn]\n"
                + "Alias [=host.hostname] web010 mail.web01.example.org web01-old\n"
                + "Listen [=host.ip]:80 192.0.2.110 [=host.eth1_ip]\n"
                + "HWADDR=[=host.mac] # [=host.eth1_mac?upper_case]\n"
                + "See [=host.hostname].\n");
    assertThat(t.variables())
        .containsExactly("eth1_ip", "eth1_mac", "fqdn", "hostname", "ip", "mac");
    assertThat(Templating.of("nothing of the host here\n", VALUES).templated()).isFalse();
  }

  @Test
  void theTextsOwnTemplateSyntaxStaysLiteral() throws Exception {
    String text = "<#if x>[=y] [#list] <@m/> </#if> [/#list] ${HOME} #{x} web01\n";
    Templating.Template t = Templating.of(text, VALUES);
    assertThat(render(t)).isEqualTo(text);
  }

  @Test
  void binaryOrNonUtf8BytesAreNoText() {
    assertThat(Templating.of(new byte[] {'a', 0, 'b'}, VALUES)).isEmpty();
    assertThat(Templating.of(new byte[] {'a', (byte) 0xff, 'b'}, VALUES)).isEmpty();
    assertThat(Templating.of("é web01".getBytes(StandardCharsets.UTF_8), VALUES))
        .hasValueSatisfying(t -> assertThat(t.text()).isEqualTo("é [=host.hostname]"));
  }

  @Property(tries = 400)
  void renderingTheTemplateWithItsHostsValuesGivesTheTextBack(@ForAll("texts") String text)
      throws Exception {
    assertThat(render(Templating.of(text, VALUES))).isEqualTo(text);
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(12),
            Arbitraries.of(
                "web01",
                "web01.lab.example.com",
                "192.0.2.11",
                "192.0.2.111",
                "52:54:00:12:34:01",
                "52:54:00:12:34:A1",
                "2001:db8::11",
                ".",
                "-",
                "[",
                "=",
                "<",
                "#",
                "@",
                "/",
                "]",
                "$",
                "{",
                "}",
                "\"",
                "\\",
                "\n",
                " ",
                "[=",
                "<#",
                "</@",
                "[#",
                "${",
                "?"));
    return Combinators.combine(piece.list().ofMaxSize(30), Arbitraries.just(""))
        .as((parts, none) -> String.join("", parts));
  }

  private static String render(Templating.Template t) throws Exception {
    return TEMPLATES.renderSource("test.ftl", t.text(), Map.of("host", VALUES), "web01");
  }

  private static Templates templates() {
    try {
      return new Templates(null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
