package io.kickdrift.agent.pkgdb.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever bytes a .rpm file holds, reading its headers and then the payload's content of every
 * file it lists fails only with {@link RpmParseException}, and returns no file larger than asked.
 * Complements RpmArchivePropertiesTest with coverage guidance. Inputs: {@code
 * RpmArchiveFuzzTestInputs/contents/}, seeded with fixtures/rpm/kd-orig-{none,gzip}.rpm.
 */
class RpmArchiveFuzzTest {
  private static final long MAX_SIZE = 1 << 16;

  // A hang is a finding: Jazzer passes this on as libFuzzer's -timeout; replays get it too.
  @Timeout(10)
  @FuzzTest
  void contents(byte[] rpm) throws IOException {
    try {
      RpmArchive.Info info = RpmArchive.readHeaders(new ByteArrayInputStream(rpm));
      assertThat(info.paths()).allMatch(p -> p.startsWith("/"));
      Map<String, byte[]> files =
          RpmArchive.contents(new ByteArrayInputStream(rpm), Set.copyOf(info.paths()), MAX_SIZE);
      assertThat(files.keySet()).isSubsetOf(info.paths());
      assertThat(files.values()).allMatch(c -> c.length <= MAX_SIZE);
    } catch (RpmParseException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
