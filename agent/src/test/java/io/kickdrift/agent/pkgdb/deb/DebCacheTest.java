package io.kickdrift.agent.pkgdb.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebCacheTest {
  /** apt's file names percent-encode ':' and '+'; a name that is not canonical has no key (-). */
  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "bash_5.2.15-2%2bb2_amd64.deb, bash_5.2.15-2+b2_amd64",
        "tzdata_2024a-0+deb12u1_all.deb, tzdata_2024a-0+deb12u1_all",
        "libc6_1%3a2.36-9_amd64.deb, libc6_1:2.36-9_amd64",
        "bash_5.2_amd64.udeb, -",
        "bash_amd64.deb, -",
        "a_b_c_d.deb, -",
        ".deb, -"
      })
  void keyOfAptFileNames(String fileName, String key) {
    assertThat(DebCache.keyOfFileName(fileName)).isEqualTo(key);
  }

  /** Only complete hex escapes are decoded; the rest is kept as it is. */
  @ParameterizedTest
  @CsvSource({"1%3a2%2B3, 1:2+3", "a+b, a+b", "100%, 100%", "x%4, x%4", "%zz%41, %zzA", "%41%, A%"})
  void percentDecodeOnlyDecodesCompleteHexEscapes(String encoded, String decoded) {
    assertThat(DebCache.percentDecode(encoded)).isEqualTo(decoded);
  }

  @Test
  void findMatchesNameVersionArchWithOrWithoutTheEpoch(@TempDir Path dir) throws IOException {
    Files.createFile(dir.resolve("foo_1%3a2.0-1_amd64.deb"));
    Files.createFile(dir.resolve("bar_3.0_all.deb"));
    Files.createFile(dir.resolve("notes.txt"));

    DebCache c = DebCache.scan(List.of(dir, dir.resolve("missing")));

    assertThat(c.size()).isEqualTo(2);
    assertThat(c.find("foo", "1:2.0-1", "amd64")).contains(dir.resolve("foo_1%3a2.0-1_amd64.deb"));
    assertThat(c.find("bar", "1:3.0", "all"))
        .as("dpkg-deb drops the epoch")
        .contains(dir.resolve("bar_3.0_all.deb"));
    assertThat(c.find("bar", "3.0", "amd64")).isEmpty();
    assertThat(c.find("foo", "2.0-1", "amd64")).isEmpty();
  }

  @Test
  void findWithoutArchTakesTheQualifiedAllOrTheOnlyOne(@TempDir Path dir) throws IOException {
    for (String f :
        List.of(
            "lib_1.0_amd64.deb",
            "lib_1.0_i386.deb",
            "tool_2.0_amd64.deb",
            "data_3.0_all.deb",
            "ep_1.5_arm64.deb")) {
      Files.createFile(dir.resolve(f));
    }
    DebCache c = DebCache.scan(List.of(dir));

    assertThat(c.find("lib:i386", "1.0")).contains(dir.resolve("lib_1.0_i386.deb"));
    assertThat(c.find("lib", "1.0")).as("two architectures: no guess").isEmpty();
    assertThat(c.find("tool", "2.0")).contains(dir.resolve("tool_2.0_amd64.deb"));
    assertThat(c.find("data", "3.0")).contains(dir.resolve("data_3.0_all.deb"));
    assertThat(c.find("ep", "2:1.5")).contains(dir.resolve("ep_1.5_arm64.deb"));
    assertThat(c.find("tool", "2.1")).isEmpty();
  }

  @Test
  void emptyWhenNoDirectoryExists(@TempDir Path dir) throws IOException {
    assertThat(DebCache.scan(List.of(dir.resolve("nope"))).isEmpty()).isTrue();
  }
}
