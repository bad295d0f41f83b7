package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's template directory ({@code render --templates DIR}) mirrors the one namespace of the
 * built-in templates, whichever repository folder (kickstart/ or templates/) holds them: one file
 * there replaces the built-in one of the same relative name and nothing else. Checked against the
 * committed example tree of {@link ExampleTreeTest}.
 */
class TemplateOverridesTest {
  static final String HASH =
      "$6$breakglass$8RJeJdsTbKTRVX7vAJp2cpVQZcjjB.TBeZ3/BeyA7fM5WHL3Kk3dL3DknlkukIDk7DKGh1Oq40FopIpXeJ/7C/";

  @Test
  void aSnippetAloneInTheDirectoryReplacesThatSnippetOnly(@TempDir Path dir) throws Exception {
    Fixtures.template(
        dir,
        "snippets/rootpw.ftl",
        "<#-- site policy: hosts without their own hash get the break-glass one -->\n"
            + "rootpw --iscrypted [=ks.word(host.rootPasswordHash!\""
            + HASH
            + "\")]\n");

    SortedMap<String, byte[]> tree = ExampleTreeTest.renderExample(dir);

    assertThat(changedLines(tree))
        .containsExactly(
            "kickstarts/web01.lab.example.com.ks:15: expected \"rootpw --lock\\n\" but rendered"
                + " \"rootpw --iscrypted "
                + HASH
                + "\\n\"",
            "kickstarts/web02.lab.example.com.ks:16: expected \"rootpw --lock\\n\" but rendered"
                + " \"rootpw --iscrypted "
                + HASH
                + "\\n\"",
            "kickstarts/ws01.dmz.example.com.ks:14: expected \"rootpw --lock\\n\" but rendered"
                + " \"rootpw --iscrypted "
                + HASH
                + "\\n\"");
    // and nothing else: each kickstart is the committed one with that line replaced
    ExampleTreeTest.read(ExampleTreeTest.EXPECTED)
        .forEach(
            (path, bytes) ->
                assertThat(Fixtures.text(tree, path))
                    .as(path)
                    .isEqualTo(
                        new String(bytes, StandardCharsets.UTF_8)
                            .replace("rootpw --lock\n", "rootpw --iscrypted " + HASH + "\n")));
  }

  @Test
  void aZoneTemplateInTheDirectoryReplacesTheForwardZonesOnly(@TempDir Path dir) throws Exception {
    // the built-in head (dns/soa.ftl) is included from the user's forward.ftl by its relative name
    Fixtures.template(
        dir,
        "dns/forward.ftl",
        """
        <#include "soa.ftl">
        [="@"?right_pad(width)] IN MX 10 [=zonefile.word("mail." + zone.origin)]
        <#list zone.records as r>
        [=zonefile.word(r.owner)?right_pad(width)] IN [=r.type] [=zonefile.word(r.data)]
        </#list>
        """);

    SortedMap<String, byte[]> tree = ExampleTreeTest.renderExample(dir);

    assertThat(changedLines(tree))
        .containsExactly(
            "dns/db.dmz.example.com:7: expected \"ws01 IN A 192.0.2.141\\n\" but rendered"
                + " \"@    IN MX 10 mail.dmz.example.com.\\n\"",
            "dns/db.lab.example.com:7: expected \"web01      IN A 192.0.2.21\\n\" but rendered"
                + " \"@          IN MX 10 mail.lab.example.com.\\n\"");
    assertThat(Fixtures.text(tree, "dns/db.lab.example.com"))
        .endsWith(
            "@          IN MX 10 mail.lab.example.com.\n"
                + "web01      IN A 192.0.2.21\n"
                + "web02      IN A 192.0.2.22\n"
                + "eth1.web02 IN A 192.0.2.140\n");
  }

  @Test
  void anErrorInAZoneTemplateNamesTemplateLineAndZone(@TempDir Path dir) throws Exception {
    Fixtures.template(dir, "dns/reverse.ftl", "<#include \"soa.ftl\">\n[=zone.nosuch]\n");

    assertThatThrownBy(() -> ExampleTreeTest.renderExample(dir))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("template dns/reverse.ftl line 2 (for zone 2.0.192.in-addr.arpa): ")
        .hasMessageContaining("zone.nosuch");
  }

  /** The first changed line of each file that differs from the committed example tree. */
  private static List<String> changedLines(SortedMap<String, byte[]> tree) throws Exception {
    SortedMap<String, byte[]> expected = ExampleTreeTest.read(ExampleTreeTest.EXPECTED);
    assertThat(tree.keySet()).containsExactlyElementsOf(expected.keySet());
    List<String> changed = new ArrayList<>();
    expected.forEach(
        (path, bytes) ->
            ExampleTreeTest.firstDifference(path, bytes, tree.get(path)).ifPresent(changed::add));
    return changed;
  }
}
