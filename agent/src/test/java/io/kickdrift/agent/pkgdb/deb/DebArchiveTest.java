package io.kickdrift.agent.pkgdb.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebArchiveTest {
  @Test
  void normaliseTarNames() {
    assertThat(DebArchive.normalise("./etc/x")).isEqualTo("/etc/x");
    assertThat(DebArchive.normalise("etc/x/")).isEqualTo("/etc/x");
    assertThat(DebArchive.normalise("./usr/share/doc/")).isEqualTo("/usr/share/doc");
    assertThat(DebArchive.normalise("/abs//")).isEqualTo("/abs");
    assertThat(DebArchive.normalise("./")).isNull();
    assertThat(DebArchive.normalise(".")).isNull();
    assertThat(DebArchive.normalise("")).isNull();
  }

  @Test
  void notADebNamesTheFile(@TempDir Path dir) throws IOException {
    Path bogus = Files.writeString(dir.resolve("x.deb"), "not an ar archive");

    assertThatThrownBy(() -> DebArchive.read(bogus, Set.of("/etc/x")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(bogus.toString() + ": ");
  }
}
