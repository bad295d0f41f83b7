package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import org.junit.jupiter.api.Test;

class ConffileTest {
  private static final String HASH = "0123456789abcdef0123456789abcdef";
  private static final Digest MD5 = Digest.of(DigestAlgorithm.MD5, HASH);

  @Test
  void plainEntry() {
    assertThat(Conffile.parse(" /etc/ssh/sshd_config " + HASH))
        .isEqualTo(new Conffile("/etc/ssh/sshd_config", MD5, false, false));
  }

  @Test
  void pathWithSpacesIsParsedFromTheRight() {
    assertThat(Conffile.parse("/etc/my app/a b.conf " + HASH))
        .isEqualTo(new Conffile("/etc/my app/a b.conf", MD5, false, false));
  }

  @Test
  void upperCaseHashIsNormalised() {
    assertThat(Conffile.parse("/etc/x " + HASH.toUpperCase()).md5()).isEqualTo(MD5);
  }

  @Test
  void obsolete() {
    assertThat(Conffile.parse("/etc/old.conf " + HASH + " obsolete"))
        .isEqualTo(new Conffile("/etc/old.conf", MD5, true, false));
  }

  @Test
  void removeOnUpgrade() {
    assertThat(Conffile.parse("/etc/gone.conf " + HASH + " remove-on-upgrade"))
        .isEqualTo(new Conffile("/etc/gone.conf", MD5, false, true));
  }

  @Test
  void bothFlagsInEitherOrder() {
    Conffile expected = new Conffile("/etc/a b", MD5, true, true);
    assertThat(Conffile.parse("/etc/a b " + HASH + " obsolete remove-on-upgrade"))
        .isEqualTo(expected);
    assertThat(Conffile.parse("/etc/a b " + HASH + " remove-on-upgrade obsolete"))
        .isEqualTo(expected);
  }

  @Test
  void newconffilePlaceholderHasNoDigest() {
    assertThat(Conffile.parse("/etc/fresh.conf newconffile"))
        .isEqualTo(new Conffile("/etc/fresh.conf", null, false, false));
  }

  @Test
  void pathNamedLikeAFlagIsStillAPath() {
    assertThat(Conffile.parse("/etc/obsolete " + HASH))
        .isEqualTo(new Conffile("/etc/obsolete", MD5, false, false));
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
