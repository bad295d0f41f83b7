package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.lint.Python;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quoting functions against the parsers they write for, on 500 generated hostile values:
 * Python's shlex (as pykickstart splits a command line) for {@code ks.word} and {@code
 * ks.inDoubleQuotes}, bash for {@code sh.inDoubleQuotes}, grub-script-check for {@code grub.word}
 * and {@code grub.inSingleQuotes}. Each reads every value back as one word, equal to the value on
 * one line.
 */
class QuotingPeersIT {
  private static final String ALPHABET =
      " \t\n\r\u000b\u000c\u0085\u2028\u2029\u00a0'\"\\#$%{}[]();|&<>:=`*?!~^,@abcXYZ019-_./é€";

  @TempDir static Path dir;
  private static final List<String> VALUES = new ArrayList<>();

  @BeforeAll
  static void values() {
    Cmd.require("python3", "python3");
    Cmd.require("bash", "bash");
    Cmd.require("grub-script-check", "grub-common");
    Random random = new Random(16);
    VALUES.add("");
    for (int i = 0; i < 500; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(24); n > 0; n--) {
        s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      VALUES.add(s.toString());
    }
  }

  private static Path write(String name, List<String> lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  @Test
  void shlexReadsEachKickstartValueAsOneWord() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String v : VALUES) {
      lines.add("lang " + Quoting.ksWord(v) + " # a comment");
      lines.add("sshkey --username=root \"" + Quoting.ksInDoubleQuotes(v) + "\"");
    }
    Path ks = write("values.ks", lines);
    List<String> split =
        Python.run(
            dir,
            "import json, shlex, sys\n"
                + "for line in open(sys.argv[1], encoding='utf-8').read().splitlines():\n"
                + "    print(json.dumps(shlex.split(line, comments=True)))\n",
            ks);
    List<String> expected = new ArrayList<>();
    for (String v : VALUES) {
      expected.add(json("lang", Quoting.oneLine(v)));
      expected.add(json("sshkey", "--username=root", Quoting.oneLine(v)));
    }
    assertThat(split).as("pykickstart's lines are these lines").isEqualTo(expected);
  }

  /** Python's json.dumps of a list of strings (ensure_ascii). */
  private static String json(String... words) {
    StringBuilder out = new StringBuilder("[");
    for (String w : words) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append('"');
      for (char c : w.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20 || c > 0x7e) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
    return out.append(']').toString();
  }

  @Test
  void bashReadsEachShellValueAsOneArgument() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String v : VALUES) {
      lines.add("printf '%s\\0' \"" + Quoting.shInDoubleQuotes(v) + "\"");
    }
    Cmd.Result r = Cmd.run(List.of("bash", write("values.sh", lines).toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> expected = VALUES.stream().map(Quoting::oneLine).toList();
    assertThat(List.of(r.out().split("\0", -1)).subList(0, VALUES.size())).isEqualTo(expected);
  }

  @Test
  void grubScriptCheckReadsTheMenuWithEveryValue() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String v : VALUES) {
      lines.add("menuentry '" + Quoting.grubInSingleQuotes(v) + "' {");
      lines.add("  linux " + Quoting.grubWord(v) + " " + Quoting.grubArgs(v));
      lines.add("}");
    }
    Path menu = write("values.cfg", lines);
    Cmd.Result r = Cmd.run(List.of("grub-script-check", menu.toString()));
    assertThat(r.exit()).as("%s%s", r.out(), r.err()).isZero();
    assertThat(new String(Files.readAllBytes(menu), StandardCharsets.UTF_8).lines())
        .hasSize(3 * VALUES.size());
  }
}
