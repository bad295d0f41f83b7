package io.kickdrift.server.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Words against what it imitates: Python's {@code shlex.split(line, comments=True)}, the call
 * pykickstart splits each command line with, on 2,000 generated lines of quotes, backslashes,
 * comments and white space. Same words, or both refuse the line.
 */
class WordsPeersIT {
  private static final String ALPHABET = "ab #'\"\\\t$`%=-\u00a0\u3000";

  @Test
  void wordsSplitsAsShlexDoes(@TempDir Path dir) throws Exception {
    Cmd.require("python3", "python3");
    Random random = new Random(16);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder line = new StringBuilder();
      for (int n = random.nextInt(16); n > 0; n--) {
        line.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      lines.add(line.toString());
    }
    Path input = Files.write(dir.resolve("lines.txt"), lines);
    List<String> split =
        Python.run(
            dir,
            "import shlex, sys\n"
                + "for line in open(sys.argv[1], encoding='utf-8').read().split('\\n')[:-1]:\n"
                + "    try:\n"
                + "        print('\\x1f'.join(['ok'] + shlex.split(line, comments=True)))\n"
                + "    except ValueError:\n"
                + "        print('error')\n",
            input);
    List<String> expected = new ArrayList<>();
    for (String line : lines) {
      try {
        List<String> words = new ArrayList<>(List.of("ok"));
        words.addAll(Words.split(line));
        expected.add(String.join("\u001f", words));
      } catch (IllegalArgumentException e) {
        expected.add("error");
      }
    }
    assertThat(split).isEqualTo(expected);
  }
}
