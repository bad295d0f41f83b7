package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UcfEntryTest {
  private static final String A = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String B = "0123456789abcdef0123456789abcdef";

  private final List<String> warnings = new ArrayList<>();

  @Test
  void joinsHashfileWithRegistry() {
    List<UcfEntry> e =
        UcfEntry.parse(
            A + "  /etc/ssh/sshd_config\n" + B + "  /etc/default/grub\n",
            "openssh-server /etc/ssh/sshd_config\ngrub-pc /etc/default/grub\n",
            warnings);

    assertThat(e)
        .containsExactly(
            new UcfEntry(
                "/etc/ssh/sshd_config", "openssh-server", Digest.of(DigestAlgorithm.MD5, A)),
            new UcfEntry("/etc/default/grub", "grub-pc", Digest.of(DigestAlgorithm.MD5, B)));
    assertThat(warnings).isEmpty();
  }

  @Test
  void entryWithoutRegistryLineHasNoPackage() {
    assertThat(UcfEntry.parse(A + "  /etc/x y\n", "", warnings))
        .containsExactly(new UcfEntry("/etc/x y", null, Digest.of(DigestAlgorithm.MD5, A)));
  }

  @Test
  void malformedLinesWarnWithFileAndLineAndTheRestIsKept() {
    List<UcfEntry> e =
        UcfEntry.parse(
            "garbage\n" + A + "  relative/path\n" + B + "  /etc/ok\n",
            "onlyaword\npkg /etc/ok\n",
            warnings);

    assertThat(e)
        .containsExactly(new UcfEntry("/etc/ok", "pkg", Digest.of(DigestAlgorithm.MD5, B)));
    assertThat(warnings)
        .containsExactly(
            "/var/lib/ucf/registry:1: expected '<package> <path>'; skipped",
            "/var/lib/ucf/hashfile:1: expected '<md5>  <path>'; skipped",
            "/var/lib/ucf/hashfile:2: expected '<md5>  <path>'; skipped");
  }
}
