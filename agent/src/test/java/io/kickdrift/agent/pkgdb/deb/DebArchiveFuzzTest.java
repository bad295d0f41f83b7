package io.kickdrift.agent.pkgdb.deb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kickdrift.agent.pkgdb.FileMeta;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever bytes a .deb holds, reading the metadata of its data member's entries and then their
 * content fails only with an {@link IOException} that names the file, and returns no file larger
 * than asked. Inputs: {@code DebArchiveFuzzTestInputs/read/}, seeded with small .debs built by
 * dpkg-deb.
 */
class DebArchiveFuzzTest {
  private static final String NAME = "fuzz.deb";
  private static final long MAX_SIZE = 1 << 16;

  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void read(byte[] deb) {
    try {
      Map<String, FileMeta> entries = DebArchive.read(NAME, new ByteArrayInputStream(deb), null);
      assertThat(entries.keySet()).allMatch(p -> p.startsWith("/"));
      Map<String, byte[]> files =
          DebArchive.contents(NAME, new ByteArrayInputStream(deb), entries.keySet(), MAX_SIZE);
      assertThat(files.keySet()).isSubsetOf(entries.keySet());
      assertThat(files.values()).allMatch(c -> c.length <= MAX_SIZE);
    } catch (IOException e) {
      assertThat(e).hasMessageStartingWith(NAME + ": ");
    }
  }
}
