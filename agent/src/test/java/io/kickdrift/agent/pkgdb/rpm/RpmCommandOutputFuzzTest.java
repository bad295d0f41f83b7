package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kickdrift.agent.fuzz.PickedText;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * What the rpm command prints, whatever it is: {@code rpm -V} output parses or fails with {@link
 * RpmVaParseException}; an {@code rpm -qa --queryformat} dump never throws, a line it cannot read
 * becomes a warning, and its packages map to files or to warnings. The first input byte, counted
 * from {@code '0'}, picks: 0 {@code rpm -V}, 1 the query dump; the rest is the output. Inputs:
 * {@code RpmCommandOutputFuzzTestInputs/parse/}.
 */
class RpmCommandOutputFuzzTest {
  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void parse(byte[] input) {
    PickedText picked = PickedText.of(input, 2);
    if (picked == null) {
      return;
    }
    String output = picked.text();
    if (picked.target() == 0) {
      try {
        assertThat(RpmVaParser.parse(output)).allMatch(l -> l.path().startsWith("/"));
      } catch (RpmVaParseException e) {
        assertThat(e).hasMessageStartingWith("line ");
      }
      return;
    }
    RpmQueryFormat.Parsed parsed = RpmQueryFormat.parse(output);
    assertThat(parsed.warnings()).allMatch(w -> w.startsWith("rpm query line "));
    var db =
        RpmRoot.database(
            io.kickdrift.agent.pkgdb.PackageSource.RPM_QUERY,
            parsed.packages(),
            List.of(),
            Set.of());
    assertThat(db.files()).allMatch(f -> f.path().startsWith("/"));
  }
}
