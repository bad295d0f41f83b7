package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever bytes a Packages row (rpmdb.sqlite, or a .rpm's main header) holds: decoding, every
 * accessor on every tag and the mapping to the common file model fail only with {@link
 * RpmParseException}. Complements RpmHeaderPropertiesTest with coverage guidance. Inputs: {@code
 * RpmHeaderFuzzTestInputs/decode/}, seeded with the rows of fixtures/rpm/rpmdb.sqlite.
 */
class RpmHeaderFuzzTest {
  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void decode(byte[] blob) {
    RpmHeader h;
    RpmPackage p;
    try {
      h = RpmHeader.decode(blob);
      for (RpmTag tag : RpmTag.values()) {
        readEveryWay(h, tag);
      }
      p = RpmPackages.fromHeader(h);
    } catch (RpmParseException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    // The sqlite reader's path from here: packages to files, a bad one becomes a warning.
    var db =
        RpmRoot.database(
            io.kickdrift.agent.pkgdb.PackageSource.RPM_SQLITE, List.of(p), List.of(), Set.of());
    assertThat(db.files().size() + db.warnings().size()).isPositive();
  }

  private static void readEveryWay(RpmHeader h, RpmTag tag) {
    for (RpmHeaderPropertiesTest.Accessor a : RpmHeaderPropertiesTest.ACCESSORS) {
      try {
        a.read(h, tag);
      } catch (RpmParseException e) {
        assertThat(e.getMessage()).contains("type"); // only a type mismatch, once decoded
      }
    }
  }
}
