package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplatesTest {
  private static final Path SITES = Fixtures.resource("sites.yaml");

  @Test
  void theBuiltInTemplatesAreBothFoldersUnderTheirRelativeNamesWithNoNameInBoth() throws Exception {
    Path kickstart = Path.of("..", "kickstart");
    Path templates = Path.of("..", "templates");
    List<String> kickstarts = names(kickstart);
    List<String> others = names(templates);
    assertThat(kickstarts)
        .contains("rhel9.ks.ftl", "snippets/rootpw.ftl")
        .noneMatch(n -> n.startsWith("examples/"))
        .doesNotContainAnyElementsOf(others);
    assertThat(others)
        .contains("boot/grub.ftl", "dhcp/kea-dhcp4.conf.ftl", "dns/forward.ftl", "dns/reverse.ftl")
        .allMatch(
            n ->
                n.matches("(boot|dhcp|dns)/[^/]+\\.ftl")
                    || n.matches("web/[^/]+\\.ftlh")
                    || n.matches("web/static/console\\.(js|css)"),
            "boot/, dhcp/ or dns/, or the console's web/ pages and static files");

    Templates builtIn = new Templates(null);
    for (String name : kickstarts) {
      assertThat(builtIn.source(name)).as(name).hasValue(Files.readString(kickstart.resolve(name)));
    }
    for (String name : others) {
      assertThat(builtIn.source(name)).as(name).hasValue(Files.readString(templates.resolve(name)));
    }
  }

  /** The templates under {@code root}, by relative name; the example inventories excluded. */
  private static List<String> names(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .filter(n -> !n.startsWith("examples/"))
          .sorted()
          .toList();
    }
  }

  @Test
  void aUserSnippetReplacesTheBuiltInOneOnly(@TempDir Path dir) throws Exception {
    Fixtures.template(dir, "snippets/sshkey.ftl", "# site policy: no keys for [=host.shortName]\n");
    SortedMap<String, byte[]> tree = Fixtures.render(SITES, dir);
    String ks = Fixtures.text(tree, "kickstarts/r8.lab.example.com.ks");
    assertThat(ks).contains("# site policy: no keys for r8\n").doesNotContain("sshkey");
    assertThat(ks).contains("rootpw --iscrypted"); // the other snippets are the built-in ones
  }

  @Test
  void aLinkLeadingOutsideIsNamedEveryTimeItIsAskedFor(@TempDir Path dir) throws Exception {
    // Freemarker caches a failed lookup: the second render (another host, or a parallel one) gets
    // its "error on an earlier attempt" unless the refusal is looked for among the causes
    Path templates = Files.createDirectories(dir.resolve("templates"));
    Path outside = Files.writeString(dir.resolve("outside.ftl"), "# not ours\n");
    Path link = Files.createSymbolicLink(templates.resolve("top.ftl"), outside);
    Files.writeString(templates.resolve("a.ftl"), "<#include \"top.ftl\">\n");
    Templates t = new Templates(templates);
    for (String name : new String[] {"a.ftl", "a.ftl", "top.ftl", "top.ftl"}) {
      assertThatThrownBy(() -> t.render(name, java.util.Map.of(), "web01"))
          .as(name)
          .isInstanceOf(RenderException.class)
          .hasMessageContaining(link + " leads outside the template directory " + templates)
          .hasMessageNotContaining("earlier attempt");
    }
  }

  /** A template the render cannot use, and where its message says the error is. */
  static Stream<Arguments> brokenTemplates() {
    return Stream.of(
        Arguments.of(
            Named.of("a syntax error names the template and line", "boot/ipxe.ftl"),
            "#!ipxe\n# fine\n<#if host.netboot>\nboot\n",
            "template boot/ipxe.ftl line ",
            List.of("#if")),
        Arguments.of(
            Named.of("a missing value names template, line and host", "rhel9.ks.ftl"),
            "#version=RHEL9\n\n\nlang [=host.vars.nosuch]\n",
            "template rhel9.ks.ftl line 4 (for host a9.lab.example.com): ",
            List.of("host.vars.nosuch")),
        Arguments.of(
            Named.of("an error in an included snippet names the snippet", "snippets/locale.ftl"),
            "lang [=host.vars.lang?no_such_builtin]\n",
            "template snippets/locale.ftl line 1",
            List.of()),
        Arguments.of(
            Named.of("templates cannot reach Java classes", "fedora.ks.ftl"),
            "<#assign ex = \"freemarker.template.utility.Execute\"?new()>[=ex(\"id\")]\n",
            "template fedora.ks.ftl line 1",
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenTemplates")
  void aBrokenTemplateIsNamedWithItsLine(
      String name, String text, String start, List<String> named, @TempDir Path dir)
      throws Exception {
    AbstractThrowableAssert<?, ? extends Throwable> failure =
        renderFailsWith(dir, name, text).hasMessageStartingWith(start);
    for (String part : named) {
      failure.hasMessageContaining(part);
    }
  }

  @Test
  void aProfileNamingAMissingTemplateIsAClearError(@TempDir Path dir) throws Exception {
    Path inventory =
        Fixtures.sitesWith(dir, "    distro: fedora41\n", "    kickstart: nosuch.ks.ftl\n");
    assertThatThrownBy(() -> Fixtures.render(inventory, null))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("template nosuch.ks.ftl not found (for host f41.dmz.example.com)");
  }

  @Test
  void aTemplateThatWritesAValueUnquotedCannotSmuggleASectionIntoTheRender(@TempDir Path dir)
      throws Exception {
    // A user's header as the built-in one was: the distro name written as it is.
    Fixtures.template(
        dir, "snippets/header.ftl", "# Profile [=host.profile.name], distro [=host.distro.name]\n");
    assertThatThrownBy(() -> new TreeRenderer(new Templates(dir)).render(Hostile.site(true)))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining(":3: error: undeclared %pre: no template of profile web")
        .hasMessageContaining("starts it (a value injected into the kickstart?)")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void aMissingTemplateDirectoryIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> new Templates(dir.resolve("nope")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("nope: template directory not found");
  }

  @Test
  void aKickstartAnacondaWouldRejectFailsTheRender(@TempDir Path dir) throws Exception {
    renderFailsWith(dir, "snippets/rootpw.ftl", "rootpw changeme\n")
        .hasMessageContaining("would be rejected: kickstarts/")
        .hasMessageContaining("rootpw gives the root password in plain text");
  }

  @Test
  void lintWarningsAreKeptNotFatal(@TempDir Path dir) throws Exception {
    Fixtures.template(dir, "snippets/rootpw.ftl", "rootpw --lock\n");
    Fixtures.template(dir, "snippets/sshkey.ftl", "");
    TreeRenderer renderer = new TreeRenderer(new Templates(dir));
    renderer.render(Fixtures.site(SITES));
    assertThat(renderer.warnings())
        .hasSize(4)
        .allMatch(w -> w.matches("kickstarts/.*\\.ks:\\d+: warning: rootpw --lock .*"));
  }

  /** Renders sites.yaml with template {@code name} replaced by {@code text}: it must fail. */
  private static AbstractThrowableAssert<?, ? extends Throwable> renderFailsWith(
      Path dir, String name, String text) throws IOException {
    Fixtures.template(dir, name, text);
    return assertThatThrownBy(() -> Fixtures.render(SITES, dir))
        .isInstanceOf(RenderException.class);
  }
}
