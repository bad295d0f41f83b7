package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What becomes of a loader file, from what is on disk, what the manifest says, and --force. */
class LoadersDecisionTest {
  /** Why | the file on disk | its content in kickdrift's manifest | force | the decision. */
  @ParameterizedTest(name = "{0}: {1}, manifest {2}, force {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      quoteCharacter = '"',
      value = {
        "an absent file is written|-|-|false|WRITE",
        "an absent file is written|-|old|false|WRITE",
        "the wanted content is left alone|new|-|false|UNCHANGED",
        "the wanted content is left alone|new|new|true|UNCHANGED",
        "kickdrift's own out-of-date file is replaced|old|old|false|WRITE",
        "a file not in the manifest is the user's and refused|user|-|false|REFUSE",
        "a file changed since the manifest is the user's and refused|edited|old|false|REFUSE",
        "force replaces the user's file|user|-|true|WRITE",
        "force replaces the user's file|edited|old|true|WRITE"
      })
  void decides(String why, String onDisk, String inManifest, boolean force, Decision expected) {
    assertThat(
            Decision.of(Optional.ofNullable(onDisk), Optional.ofNullable(inManifest), "new", force))
        .as(why)
        .isEqualTo(expected);
  }
}
