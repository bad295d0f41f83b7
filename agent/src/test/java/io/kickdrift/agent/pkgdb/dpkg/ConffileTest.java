package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConffileTest {
  private static final String HASH = "0123456789abcdef0123456789abcdef";
  private static final Digest MD5 = Digest.of(DigestAlgorithm.MD5, HASH);

  /**
   * A line | its path | whether it has the digest (newconffile: none) | obsolete |
   * remove-on-upgrade. The path is taken from the right, so it may hold spaces or be named like a
   * flag; the flags come in either order.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        " /etc/ssh/sshd_config " + HASH + "|/etc/ssh/sshd_config|true|false|false",
        "/etc/my app/a b.conf " + HASH + "|/etc/my app/a b.conf|true|false|false",
        "/etc/old.conf " + HASH + " obsolete|/etc/old.conf|true|true|false",
        "/etc/gone.conf " + HASH + " remove-on-upgrade|/etc/gone.conf|true|false|true",
        "/etc/a b " + HASH + " obsolete remove-on-upgrade|/etc/a b|true|true|true",
        "/etc/a b " + HASH + " remove-on-upgrade obsolete|/etc/a b|true|true|true",
        "/etc/fresh.conf newconffile|/etc/fresh.conf|false|false|false",
        "/etc/obsolete " + HASH + "|/etc/obsolete|true|false|false"
      })
  void parsesAnEntry(
      String line, String path, boolean digest, boolean obsolete, boolean removeOnUpgrade) {
    assertThat(Conffile.parse(line))
        .isEqualTo(new Conffile(path, digest ? MD5 : null, obsolete, removeOnUpgrade));
  }

  @Test
  void upperCaseHashIsNormalised() {
    assertThat(Conffile.parse("/etc/x " + HASH.toUpperCase()).md5()).isEqualTo(MD5);
  }

  @Test
  void garbageIsNull() {
    assertThat(Conffile.parse("")).isNull();
    assertThat(Conffile.parse("   ")).isNull();
    assertThat(Conffile.parse("garbage")).isNull();
    assertThat(Conffile.parse(HASH)).isNull();
    assertThat(Conffile.parse("/etc/x")).isNull();
    assertThat(Conffile.parse("etc/relative " + HASH)).isNull();
    assertThat(Conffile.parse("/etc/x " + HASH.substring(1))).isNull();
    assertThat(Conffile.parse("/etc/x " + HASH.replace('a', 'g'))).isNull();
    assertThat(Conffile.parse("/etc/x " + HASH + " bogusflag")).isNull();
    assertThat(Conffile.parse(" obsolete")).isNull();
    assertThat(Conffile.parse(HASH + " obsolete")).isNull();
  }
}
