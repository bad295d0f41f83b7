package io.kickdrift.server.lint;

import static io.kickdrift.server.lint.KickstartLintTest.ks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which script sections templates declare, and what lint says of the others. */
class DeclaredSectionsTest {
  private static final Map<String, String> TEMPLATES =
      Map.of(
          "rhel9.ks.ftl",
          "#version=RHEL9\n<#include \"snippets/post.ftl\">\n<#-- %pre in a comment -->\n",
          "snippets/post.ftl",
          "<#include \"../snippets/pre.ftl\">\n"
              + "%post --log=/root/[=host.name].log\necho hi\n%end\n",
          "snippets/pre.ftl",
          "  %pre<#if x> --erroronfail</#if>\n%end\n",
          "other.ks.ftl",
          "%onerror\n%end\n");

  private static DeclaredSections declared(String... templates) throws IOException {
    return DeclaredSections.of(List.of(templates), name -> Optional.ofNullable(TEMPLATES.get(name)))
        .as("no template of profile web");
  }

  @Test
  void aTemplateDeclaresTheSectionsItAndItsIncludesStart() throws IOException {
    assertThat(declared("rhel9.ks.ftl").lines())
        .containsExactly(
            "snippets/post.ftl: %post --log=/root/[=host.name].log",
            "snippets/pre.ftl: %pre<#if x> --erroronfail</#if>");
  }

  @Test
  void aHeaderAsTheTemplateRendersItIsDeclared() throws IOException {
    String text =
        ks("RHEL9", "%pre --erroronfail", "%end", "%post --log=/root/web01.log", "echo hi", "%end");
    assertThat(KickstartLint.lint("ks.cfg", text, declared("rhel9.ks.ftl"))).isEmpty();
  }

  @Test
  void aSectionNoTemplateStartsIsAnErrorAtItsLine() throws IOException {
    String text = ks("RHEL9", "%onerror", "reboot", "%end", "%post --nochroot", "%end");
    assertThat(KickstartLint.lint("ks.cfg", text, declared("rhel9.ks.ftl")))
        .extracting(LintProblem::toString)
        .containsExactly(
            "ks.cfg:5: error: undeclared %onerror: no template of profile web starts it (a value"
                + " injected into the kickstart?)",
            "ks.cfg:8: error: undeclared %post: no template of profile web starts it (a value"
                + " injected into the kickstart?)");
  }

  @Test
  void eachDeclaringLineAccountsForOneSection() throws IOException {
    String text = ks("RHEL9", "%pre", "%end", "%pre", "%end");
    assertThat(KickstartLint.lint("ks.cfg", text, declared("rhel9.ks.ftl")))
        .extracting(LintProblem::line)
        .containsExactly(7);
  }

  @Test
  void withoutDeclaredSectionsNothingIsChecked() {
    assertThat(KickstartLint.lint("ks.cfg", ks("RHEL9", "%pre", "%end"), null)).isEmpty();
  }

  @Test
  void includesResolveAsFreemarkerDoes() {
    assertThat(DeclaredSections.resolve("snippets/a.ftl", "b.ftl")).isEqualTo("snippets/b.ftl");
    assertThat(DeclaredSections.resolve("snippets/a.ftl", "/b.ftl")).isEqualTo("b.ftl");
    assertThat(DeclaredSections.resolve("snippets/a.ftl", "../b.ftl")).isEqualTo("b.ftl");
    assertThat(DeclaredSections.resolve("rhel9.ks.ftl", "snippets/c.ftl"))
        .isEqualTo("snippets/c.ftl");
  }
}
