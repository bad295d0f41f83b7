package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HasherTest {
  private static boolean sniff(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return Hasher.looksLikePrivateKey(b, b.length);
  }

  @Test
  void digestOfAnEmptyAndALargeFile(@TempDir Path dir) throws IOException {
    Path empty = Files.createFile(dir.resolve("empty"));
    Path big = Files.write(dir.resolve("big"), new byte[Hasher.BUFFER * 2 + 3]);

    assertThat(Hasher.hash(empty, DigestAlgorithm.MD5, true))
        .isEqualTo(
            new Hasher.Result(
                Digest.of(DigestAlgorithm.MD5, "d41d8cd98f00b204e9800998ecf8427e"), false));
    assertThat(Hasher.hash(big, DigestAlgorithm.SHA256, false))
        .isEqualTo(
            new Hasher.Result(
                Digest.of(DigestAlgorithm.SHA256, sha256OfZeros(Hasher.BUFFER * 2 + 3)), null));
  }

  @Test
  void sniffingAloneReadsTheFirstBlock(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("k"), "-----BEGIN EC PRIVATE KEY-----\nMHc\n");
    Path text = Files.writeString(dir.resolve("t"), "just text\n");
    assertThat(Hasher.sniff(key)).isTrue();
    assertThat(Hasher.sniff(text)).isFalse();
    assertThat(Hasher.hash(key, DigestAlgorithm.MD5, true).privateKey()).isTrue();
  }

  @Test
  void privateKeySniffing() {
    assertThat(sniff("-----BEGIN PRIVATE KEY-----\nMII")).isTrue();
    assertThat(sniff("junk\n-----BEGIN RSA PRIVATE KEY-----\n")).isTrue();
    assertThat(sniff("-----BEGIN OPENSSH PRIVATE KEY-----")).isTrue();
    assertThat(sniff("-----BEGIN PUBLIC KEY-----\n")).isFalse();
    assertThat(sniff("-----BEGIN CERTIFICATE-----\n")).isFalse();
    assertThat(sniff("PRIVATE KEY----")).isFalse();
    assertThat(sniff("")).isFalse();
  }

  @Test
  void sniffingLooksOnlyAtTheFirst16KiB() {
    String pad = "x".repeat(1 << 14);

    assertThat(sniff(pad.substring(16) + "PRIVATE KEY-----")).isTrue();
    assertThat(sniff(pad + "PRIVATE KEY-----")).isFalse();
  }

  private static String sha256OfZeros(int n) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[n]));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
