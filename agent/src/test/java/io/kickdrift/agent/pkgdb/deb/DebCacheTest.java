package io.kickdrift.agent.pkgdb.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebCacheTest {
  @Test
  void keyOfAptFileNames() {
    assertThat(DebCache.keyOfFileName("bash_5.2.15-2%2bb2_amd64.deb"))
        .isEqualTo("bash_5.2.15-2+b2_amd64");
    assertThat(DebCache.keyOfFileName("tzdata_2024a-0+deb12u1_all.deb"))
        .isEqualTo("tzdata_2024a-0+deb12u1_all");
    assertThat(DebCache.keyOfFileName("libc6_1%3a2.36-9_amd64.deb"))
        .isEqualTo("libc6_1:2.36-9_amd64");
  }

  @Test
  void namesThatAreNotCanonicalHaveNoKey() {
    assertThat(DebCache.keyOfFileName("bash_5.2_amd64.udeb")).isNull();
    assertThat(DebCache.keyOfFileName("bash_amd64.deb")).isNull();
    assertThat(DebCache.keyOfFileName("a_b_c_d.deb")).isNull();
    assertThat(DebCache.keyOfFileName(".deb")).isNull();
  }

  @Test
  void percentDecodeOnlyDecodesCompleteHexEscapes() {
    assertThat(DebCache.percentDecode("1%3a2%2B3")).isEqualTo("1:2+3");
    assertThat(DebCache.percentDecode("a+b")).isEqualTo("a+b");
    assertThat(DebCache.percentDecode("100%")).isEqualTo("100%");
    assertThat(DebCache.percentDecode("x%4")).isEqualTo("x%4");
    assertThat(DebCache.percentDecode("%zz%41")).isEqualTo("%zzA");
    assertThat(DebCache.percentDecode("%41%")).isEqualTo("A%");
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
