package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kickdrift.agent.fuzz.PickedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * dpkg's other files: whatever their bytes, each parser returns what it could read, warning {@code
 * file:line: } about the rest, or throws its documented {@link DpkgParseException}. The first input
 * byte, counted from {@code '0'}, picks the file: 0 an {@code info/*.md5sums}, 1 {@code
 * diversions}, 2 {@code statoverride}, 3 ucf's {@code registry} and {@code hashfile} (split at the
 * first NUL), 4 an update-alternatives file; the rest is its content. Inputs: {@code
 * DpkgFilesFuzzTestInputs/parse/}.
 */
class DpkgFilesFuzzTest {
  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void parse(byte[] input) {
    PickedText picked = PickedText.of(input, 5);
    if (picked == null) {
      return;
    }
    String text = picked.text();
    List<String> warnings = new ArrayList<>();
    switch (picked.target()) {
      case 0 -> {
        String file = "/var/lib/dpkg/info/x.md5sums";
        assertThat(Md5sums.parse(file, text, warnings).keySet()).allMatch(p -> p.startsWith("/"));
        assertThat(warnings).allMatch(w -> w.startsWith(file + ":"));
      }
      case 1 -> {
        try {
          assertThat(Diversion.parse("d", text))
              .allMatch(d -> d.from().startsWith("/") && d.to().startsWith("/"));
        } catch (DpkgParseException e) {
          assertThat(e).hasMessageStartingWith("d:");
        }
      }
      case 2 -> {
        List<StatOverride> o = StatOverride.parse("o", text, warnings);
        assertThat(o).allMatch(x -> x.path().startsWith("/"));
        assertThat(warnings).allMatch(w -> w.startsWith("o:"));
      }
      case 3 -> {
        int nul = text.indexOf('\0');
        String registry = nul < 0 ? "" : text.substring(0, nul);
        String hashfile = nul < 0 ? text : text.substring(nul + 1);
        assertThat(UcfEntry.parse(hashfile, registry, warnings))
            .allMatch(e -> e.path().startsWith("/"));
        assertThat(warnings).allMatch(w -> w.startsWith("/var/lib/ucf/"));
      }
      default -> {
        List<String> links = Alternatives.managedLinks("editor", text);
        assertThat(links).startsWith("/etc/alternatives/editor");
        assertThat(links.subList(1, links.size()))
            .allMatch(l -> l.startsWith("/"), "absolute: " + Arrays.toString(input));
      }
    }
  }
}
