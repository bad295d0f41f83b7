package io.kickdrift.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.AgentMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine;

/**
 * Whatever a configuration file holds, loading it never throws: it gives settings or problems, and
 * each problem names the file (and a line when the text has one).
 */
class ConfigFilePropertiesTest {
  private static List<String> problems(String text) {
    try {
      Path f = Files.createTempFile("config", ".yaml");
      try {
        Files.writeString(f, text);
        CommandLine cl = AgentMain.configure(new CommandLine(new AgentMain()), Map.of(), f);
        Config config = Config.of(cl.getCommandSpec()).orElseThrow();
        List<String> problems = config.problems();
        assertThat(problems).allSatisfy(p -> assertThat(p).startsWith(f.toString()));
        return problems;
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 200)
  void anyTextGivesSettingsOrProblemsNamingTheFile(@ForAll("yamlish") String text) {
    problems(text);
  }

  @Provide
  Arbitrary<String> yamlish() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "scan:",
            "  repo: /r",
            "  all: true",
            "  threads: x",
            "state.dir: /s",
            "- a",
            "[",
            "{",
            "}",
            "]",
            ": :",
            "\t",
            "  ",
            "scan.paths: [/etc, /usr]",
            "log: {level: debug}",
            "&a b",
            "*a",
            "'",
            "\"",
            "!!binary x",
            "scan: [1, 2]",
            "---",
            "...",
            "#c",
            "%YAML 1.2");
    return pieces.list().ofMaxSize(8).map(l -> String.join("\n", l) + "\n");
  }
}
