package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadersDecisionTest {
  private static final Optional<String> NONE = Optional.empty();

  @Test
  void anAbsentFileIsWritten() {
    assertThat(Decision.of(NONE, NONE, "new", false)).isEqualTo(Decision.WRITE);
    assertThat(Decision.of(NONE, Optional.of("old"), "new", false)).isEqualTo(Decision.WRITE);
  }

  @Test
  void theWantedContentIsLeftAlone() {
    assertThat(Decision.of(Optional.of("new"), NONE, "new", false)).isEqualTo(Decision.UNCHANGED);
    assertThat(Decision.of(Optional.of("new"), Optional.of("new"), "new", true))
        .isEqualTo(Decision.UNCHANGED);
  }

  @Test
  void kickdriftsOwnOutOfDateFileIsReplaced() {
    assertThat(Decision.of(Optional.of("old"), Optional.of("old"), "new", false))
        .isEqualTo(Decision.WRITE);
  }

  @Test
  void aFileNotInTheManifestIsTheUsersAndRefused() {
    assertThat(Decision.of(Optional.of("user"), NONE, "new", false)).isEqualTo(Decision.REFUSE);
  }

  @Test
  void aFileChangedSinceTheManifestIsTheUsersAndRefused() {
    assertThat(Decision.of(Optional.of("edited"), Optional.of("old"), "new", false))
        .isEqualTo(Decision.REFUSE);
  }

  @Test
  void forceReplacesTheUsersFile() {
    assertThat(Decision.of(Optional.of("user"), NONE, "new", true)).isEqualTo(Decision.WRITE);
    assertThat(Decision.of(Optional.of("edited"), Optional.of("old"), "new", true))
        .isEqualTo(Decision.WRITE);
  }
}
