package io.kickdrift.server.desired.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.desired.Templating;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adopt's templates as Jinja2: rendered by Jinja2 itself (Python's, as Ansible's template module
 * sets it up: trim_blocks, trailing newline kept) with a host's values, they give the host's text
 * back.
 */
class JinjaTemplateTest {
  private static final Map<String, String> VALUES =
      Map.of(
          "fqdn", "web01.lab.example.com",
          "hostname", "web01",
          "ip", "192.0.2.11",
          "mac", "52:54:00:12:34:01");
  private static final List<String> PIECES =
      List.of(
          "web01",
          "web01.lab.example.com",
          "192.0.2.11",
          "52:54:00:12:34:01",
          "52:54:00:12:34:01".toUpperCase(),
          "{",
          "}",
          "{{",
          "}}",
          "{%",
          "%}",
          "{#",
          "#}",
          "[=",
          "<#",
          "[#",
          "${",
          "'",
          "\"",
          "\\",
          "\n",
          " ",
          "\t",
          "x",
          "é",
          "-",
          ".",
          "%",
          "#",
          "raw",
          "{% raw %}",
          "{% endraw %}");

  @Test
  void jinjaRendersTheTemplatesBackToTheText(@TempDir Path dir) throws Exception {
    Cmd.require("python3", "python3");
    Random random = new Random(21);
    List<String> texts = new ArrayList<>();
    List<String> templates = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder t = new StringBuilder();
      for (int n = random.nextInt(25); n > 0; n--) {
        t.append(PIECES.get(random.nextInt(PIECES.size())));
      }
      texts.add(t.toString());
      templates.add(JinjaTemplate.of("test", Templating.of(t.toString(), VALUES).text()));
    }
    ObjectMapper json = new ObjectMapper();
    Path in = dir.resolve("templates.json");
    json.writeValue(in.toFile(), Map.of("templates", templates, "host", VALUES));
    Path script =
        Files.writeString(
            dir.resolve("render.py"),
            "import json, sys, jinja2\n"
                + "d = json.load(open(sys.argv[1]))\n"
                + "env = jinja2.Environment(trim_blocks=True, keep_trailing_newline=True,"
                + " undefined=jinja2.StrictUndefined)\n"
                + "out = [env.from_string(t).render(kickdrift_host=d['host']) for t in"
                + " d['templates']]\n"
                + "json.dump(out, open(sys.argv[2], 'w'))\n");
    Path out = dir.resolve("rendered.json");
    Cmd.Result r =
        Cmd.run(List.of("/usr/bin/python3", script.toString(), in.toString(), out.toString()));
    assertThat(r.exit())
        .as("python3 with jinja2 (python3-jinja2, which ansible-core needs): " + r.err())
        .isZero();
    List<?> rendered = json.readValue(out.toFile(), List.class);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(rendered.get(i)).as("template %s", templates.get(i)).isEqualTo(texts.get(i));
    }
  }

  @Test
  void aTemplateWithOtherFreemarkerIsRefusedNamingTheLine() {
    assertThatThrownBy(() -> JinjaTemplate.of("t.ftl", "a\n<#if x>b</#if>\n"))
        .hasMessageStartingWith("t.ftl:2: Freemarker other than adopt's");
    assertThat(JinjaTemplate.of("t.ftl", "[=host.mac?upper_case] [=\"<\"]#"))
        .isEqualTo("{{ kickdrift_host.mac | upper }} <#");
  }
}
