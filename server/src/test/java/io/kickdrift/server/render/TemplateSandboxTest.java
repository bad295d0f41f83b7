package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user template probing for Java through the object wrapper (classes, methods, constructors, the
 * data model, templates made from values): each probe fails with a one-line error, or renders
 * nothing that names a Java type or runs a command.
 */
class TemplateSandboxTest {
  @TempDir static Path dir;
  private static Path inventory;

  @BeforeAll
  static void inventoryWithExpressionsInVariables() throws Exception {
    inventory =
        Fixtures.sitesWith(
            dir,
            "    timezone: Europe/Berlin\n",
            "    probe: host.getClass().getName()\n"
                + "    probe-template: '[=host.getClass().getName()] [=host.class.name]'\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[=host.class]",
        "[=host.class.name]",
        "[=host.getClass()]",
        "[=host.getClass().getName()]",
        "[=host.distro.family.declaringClass]",
        "[=host.distro.family.declaringClass.name]",
        "[=host.distro.family.getDeclaringClass().getName()]",
        "[=host?api.getClass().getName()]",
        "[=host.distro?api]",
        "<#assign ex = \"freemarker.template.utility.Execute\"?new()>[=ex(\"id\")]",
        "<#assign ob = \"freemarker.template.utility.ObjectConstructor\"?new()>"
            + "[=ob(\"java.io.File\", \"/\")]",
        "[=.data_model.host.class.name]",
        "[=.data_model.host.getClass().getName()]",
        "[=.globals.host.getClass().getName()]",
        "[=.globals.site.server.class.name]",
        "[=.locale_object]",
        "[=.locale_object.class.name]",
        "[=host.vars.probe?eval]",
        "<@host.vars[\"probe-template\"]?interpret />",
        "[=host]",
        "[=host?string]",
        "[=host.profile?string]",
        "[=site.server?string]",
        "[=host.distro.grubLinuxCommand()]",
        "[=host.distro.withGrubLinux(\"x\").name]",
        "[=site.server.baseUrl(\"x\")]",
        "[=host.nics?api.getClass().getName()]",
        "[=host.vars?api.getClass().getName()]",
        "<#list host?keys as k>[=k] </#list>",
        "<#list host.vars?values as v>[=v?eval] </#list>"
      })
  void aProbeFailsInOneLineOrRendersNothingOfJava(String probe) throws Exception {
    Path templates = dir.resolve("t" + Integer.toHexString(probe.hashCode()));
    Files.createDirectories(templates.resolve("boot"));
    Files.writeString(templates.resolve("boot/ipxe.ftl"), "#!ipxe\n" + probe + "\n");
    SortedMap<String, byte[]> tree;
    try {
      tree = new TreeRenderer(new Templates(templates)).render(Fixtures.site(inventory));
    } catch (RenderException e) {
      assertThat(e.getMessage()).as("one line").doesNotContain("\n");
      assertThat(e.getMessage()).doesNotContainIgnoringCase("io.kickdrift").doesNotContain("uid=");
      return;
    }
    String menu = Fixtures.text(tree, "ipxe/01-52-54-00-00-41-01.ipxe");
    assertThat(menu)
        .as("rendered %s", probe)
        .doesNotContainIgnoringCase("io.kickdrift")
        .doesNotContain("java.", "freemarker.", "uid=", "HostModel", "$6$", "class ");
  }
}
