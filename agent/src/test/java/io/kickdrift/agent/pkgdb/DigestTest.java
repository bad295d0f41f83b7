package io.kickdrift.agent.pkgdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestTest {
  private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

  @Test
  void hexIsLowerCasedAndPrintedWithItsAlgorithm() {
    Digest d = Digest.of(DigestAlgorithm.MD5, EMPTY_MD5.toUpperCase());

    assertThat(d.hex()).isEqualTo(EMPTY_MD5);
    assertThat(d).hasToString("md5:" + EMPTY_MD5);
    assertThat(d)
        .isEqualTo(
            Digest.of(
                DigestAlgorithm.MD5,
                new byte[] {
                  (byte) 0xd4,
                  0x1d,
                  (byte) 0x8c,
                  (byte) 0xd9,
                  (byte) 0x8f,
                  0x00,
                  (byte) 0xb2,
                  0x04,
                  (byte) 0xe9,
                  (byte) 0x80,
                  0x09,
                  (byte) 0x98,
                  (byte) 0xec,
                  (byte) 0xf8,
                  0x42,
                  0x7e
                }));
  }

  @Test
  void wrongLengthOrNonHexIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> Digest.of(DigestAlgorithm.SHA256, EMPTY_MD5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a SHA256 digest (64 hex digits): " + EMPTY_MD5);
    assertThatThrownBy(() -> Digest.of(DigestAlgorithm.MD5, EMPTY_MD5.replace('d', 'g')))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isValid() {
    assertThat(Digest.isValid(DigestAlgorithm.MD5, EMPTY_MD5)).isTrue();
    assertThat(Digest.isValid(DigestAlgorithm.MD5, EMPTY_MD5.toUpperCase())).isTrue();
    assertThat(Digest.isValid(DigestAlgorithm.MD5, EMPTY_MD5 + "0")).isFalse();
    assertThat(Digest.isValid(DigestAlgorithm.MD5, "")).isFalse();
  }
}
