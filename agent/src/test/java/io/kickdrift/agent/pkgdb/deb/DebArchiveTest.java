package io.kickdrift.agent.pkgdb.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /**
   * Found by DebArchiveFuzzTest: a data.tar.zst member that is not zstd made the zstd reader throw
   * its unchecked MalformedInputException out of read() and contents(), past every caller's
   * handling of a bad .deb.
   */
  @Test
  void aCorruptZstdMemberIsAnIoErrorNamingTheFile(@TempDir Path dir) throws IOException {
    Path deb = Files.write(dir.resolve("x.deb"), ar("data.tar.zst", "not zstd at all"));

    assertThatThrownBy(() -> DebArchive.read(deb, null))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(deb + ": not a readable .deb (");
    assertThatThrownBy(() -> DebArchive.contents(deb, Set.of("/etc/x"), 100))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(deb + ": not a readable .deb (");
  }

  /** An ar archive (the .deb container) of one member. */
  private static byte[] ar(String member, String content) {
    String header =
        String.format(
            "%-16s%-12s%-6s%-6s%-8s%-10d`\n", member, "0", "0", "0", "100644", content.length());
    String body = content.length() % 2 == 0 ? content : content + "\n";
    return ("!<arch>\n" + header + body).getBytes(StandardCharsets.US_ASCII);
  }
}
