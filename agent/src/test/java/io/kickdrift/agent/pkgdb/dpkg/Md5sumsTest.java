package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Md5sumsTest {
  private static final String FILE = "/var/lib/dpkg/info/bash.md5sums";
  private static final String A = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String B = "0123456789abcdef0123456789abcdef";

  private final List<String> warnings = new ArrayList<>();

  private static Digest md5(String hex) {
    return Digest.of(DigestAlgorithm.MD5, hex);
  }

  @Test
  void twoSpaceForm() {
    Map<String, Digest> m =
        Md5sums.parse(FILE, A + "  bin/bash\n" + B + "  usr/share/doc/bash/README\n", warnings);

    assertThat(m)
        .containsOnly(entry("/bin/bash", md5(A)), entry("/usr/share/doc/bash/README", md5(B)));
    assertThat(warnings).isEmpty();
  }

  @Test
  void binaryStarForm() {
    assertThat(Md5sums.parse(FILE, A + " *usr/bin/x\n", warnings))
        .containsOnly(entry("/usr/bin/x", md5(A)));
  }

  @Test
  void pathsWithSpacesAndLeadingSlashAreKept() {
    assertThat(Md5sums.parse(FILE, A + "  usr/share/a b\n" + B + "  /opt/abs\n", warnings))
        .containsOnly(entry("/usr/share/a b", md5(A)), entry("/opt/abs", md5(B)));
  }

  @Test
  void malformedLineWarnsWithFileAndLineAndTheRestIsKept() {
    String text = A + "  bin/a\n" + "not a checksum line\n" + B + "  bin/c\n";

    Map<String, Digest> m = Md5sums.parse(FILE, text, warnings);

    assertThat(m).containsOnly(entry("/bin/a", md5(A)), entry("/bin/c", md5(B)));
    assertThat(warnings)
        .containsExactly(
            FILE
                + ":2: expected '<32 hex digits>  <path>', got 'not a checksum line'; line skipped");
  }

  @Test
  void oneSpaceOrNonHexHashIsMalformed() {
    String text =
        A + " bin/one-space\n" + A.replace('d', 'x') + "  bin/nonhex\n" + A + "\tbin/tab\n";

    assertThat(Md5sums.parse(FILE, text, warnings)).isEmpty();
    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(0)).startsWith(FILE + ":1: ");
    assertThat(warnings.get(1)).startsWith(FILE + ":2: ");
    assertThat(warnings.get(2)).startsWith(FILE + ":3: ");
  }

  @Test
  void lastLineWithoutNewlineIsKeptWithAWarningThatTheFileMayBeTruncated() {
    assertThat(Md5sums.parse(FILE, A + "  bin/a\n" + B + "  bin/b", warnings))
        .containsOnly(entry("/bin/a", md5(A)), entry("/bin/b", md5(B)));
    assertThat(warnings)
        .containsExactly(FILE + ":2: no newline at the end; the file may be truncated");
  }

  @Test
  void lastLineTruncatedInsideTheHashWarns() {
    Map<String, Digest> m = Md5sums.parse(FILE, A + "  bin/a\n" + "d41d8cd9", warnings);

    assertThat(m).containsOnly(entry("/bin/a", md5(A)));
    assertThat(warnings)
        .containsExactly(
            FILE + ":2: expected '<32 hex digits>  <path>', got 'd41d8cd9'; line skipped");
  }

  @Test
  void hashWithSeparatorButNoPathWarns() {
    assertThat(Md5sums.parse(FILE, A + "  \n", warnings)).isEmpty();
    assertThat(warnings).hasSize(1).allMatch(w -> w.startsWith(FILE + ":1: "));
  }

  @Test
  void emptyLinesAreIgnoredButCounted() {
    Md5sums.parse(FILE, "\n\nbad\n", warnings);

    assertThat(warnings).hasSize(1).allMatch(w -> w.startsWith(FILE + ":3: "));
  }
}
