package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever the bytes of an inventory file, {@link InventoryLoader#load} returns an inventory or
 * throws an {@link InventoryException} whose every problem starts {@code file:line:column: } with a
 * line inside the file. The first input byte, counted from {@code '0'}, picks the format as the
 * file name does: 0 YAML, 1 JSON; the rest is the file. Through {@code load} itself, from a file,
 * so that the size limit and the decoding in front of the parser are fuzzed too. Inputs: {@code
 * InventoryLoaderFuzzTestInputs/load/}.
 */
class InventoryLoaderFuzzTest {
  private static final Path DIR;
  private static final Path YAML;
  private static final Path JSON;
  private static final Pattern PROBLEM = Pattern.compile("(?s)(.*?):(\\d+):(\\d+): .+");

  static {
    try {
      DIR = Files.createTempDirectory("inventory-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    YAML = DIR.resolve("inventory.yaml");
    JSON = DIR.resolve("inventory.json");
  }

  @AfterAll
  static void removeFiles() throws IOException {
    Files.deleteIfExists(YAML);
    Files.deleteIfExists(JSON);
    Files.deleteIfExists(DIR);
  }

  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void load(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    Path file = Math.floorMod(input[0] - '0', 2) == 0 ? YAML : JSON;
    byte[] text = Arrays.copyOfRange(input, 1, input.length);
    Files.write(file, text);
    try {
      InventoryLoader.load(file);
    } catch (InventoryException e) {
      assertThat(e.problems()).isNotEmpty();
      long lines = 1 + countNewlines(text);
      for (String problem : e.problems()) {
        Matcher m = PROBLEM.matcher(problem);
        assertThat(m.matches()).as("problem without file:line:column: %s", problem).isTrue();
        assertThat(m.group(1)).isEqualTo(file.toString());
        assertThat(Long.parseLong(m.group(2))).as(problem).isBetween(1L, lines + 1);
      }
    }
  }

  /** An upper bound: every character a YAML 1.1 parser may take for a line break. */
  private static long countNewlines(byte[] text) {
    return new String(text, StandardCharsets.UTF_8)
        .chars()
        .filter(c -> c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029')
        .count();
  }
}
