package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever the bytes of a status file (or a .deb's control file, an updates journal entry): the
 * lenient parse never throws and warns {@code file:line: }; the strict parse fails exactly when the
 * lenient one warns, with its first warning; the status parser never throws. Complements
 * DpkgParserPropertiesTest with coverage guidance. Inputs: {@code
 * StatusParserFuzzTestInputs/parse/}.
 */
class StatusParserFuzzTest {
  private static final String FILE = "/var/lib/dpkg/status";

  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void parse(byte[] input) {
    // As DpkgReader reads it.
    String text = new String(input, StandardCharsets.UTF_8);
    List<String> warnings = new ArrayList<>();
    List<Stanza> stanzas = ControlParser.parse(FILE, text, warnings);
    assertThat(warnings).allMatch(w -> w.startsWith(FILE + ":"), "file:line: prefix");
    for (Stanza s : stanzas) {
      assertThat(s.fields()).isNotEmpty();
      assertThat(s.line()).isPositive();
    }

    Throwable strict = catchThrowable(() -> ControlParser.parse(FILE, text));
    if (warnings.isEmpty()) {
      assertThat(strict).isNull();
    } else {
      assertThat(strict).isInstanceOf(DpkgParseException.class).hasMessage(warnings.get(0));
    }

    List<String> statusWarnings = new ArrayList<>();
    List<InstalledPackage> packages = StatusParser.parse(FILE, text, statusWarnings);
    assertThat(statusWarnings).allMatch(w -> w.startsWith(FILE + ":"), "file:line: prefix");
    assertThat(packages).allSatisfy(p -> assertThat(p.name()).isNotEmpty());
  }
}
