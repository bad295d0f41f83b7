package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRulesOptionTest {
  @TempDir Path dir;

  @Test
  void withoutTheOptionTheSystemFileIsUsedWhenItExists() throws IOException {
    SecretRulesOption o = new SecretRulesOption();
    o.systemFile = dir.resolve("secret-rules");
    assertThat(o.file()).isNull();
    Files.writeString(o.systemFile, "");
    assertThat(o.file()).isEqualTo(o.systemFile);
  }

  @Test
  void theOptionWinsAndMustExist() {
    SecretRulesOption o = new SecretRulesOption();
    o.given = dir.resolve("mine");
    assertThat(o.file()).isEqualTo(o.given);
    assertThatThrownBy(o::inlineSecrets)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(o.given.toString());
  }

  @Test
  void theDetectorIsBuiltOnce() throws IOException {
    SecretRulesOption o = new SecretRulesOption();
    o.systemFile = dir.resolve("absent");
    assertThat(o.inlineSecrets()).isSameAs(o.inlineSecrets());
  }
}
