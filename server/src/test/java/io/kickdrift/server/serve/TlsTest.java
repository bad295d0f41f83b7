package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM pairs serve accepts for HTTPS, made by the real openssl, and the ones it refuses. */
class TlsTest {
  @TempDir static Path dir;
  static TestCa ca;

  @BeforeAll
  static void makeCa() throws Exception {
    ca = TestCa.create(dir.resolve("ca"));
  }

  @Test
  void takesPkcs1RsaSec1EcAndPkcs8KeysWithTheirChains() throws Exception {
    for (String type : new String[] {"rsa", "ec", "pkcs8"}) {
      Path[] pair = ca.server("srv-" + type, type, "serve-" + type);
      String header = Files.readString(pair[1]).lines().findFirst().orElseThrow();
      assertThat(header)
          .isEqualTo(
              switch (type) {
                case "rsa" -> "-----BEGIN RSA PRIVATE KEY-----";
                case "ec" -> "-----BEGIN EC PRIVATE KEY-----";
                default -> "-----BEGIN PRIVATE KEY-----";
              });
      Tls tls = Tls.load(pair[0], pair[1]);
      assertThat(Tls.subject(tls.leaf())).isEqualTo("CN=serve-" + type);
      assertThat(tls.store().getCertificateChain("kickdrift")).hasSize(2);
      assertThat(tls.validityWarning(Instant.now())).isEmpty();
      assertThat(tls.validityWarning(Instant.now().plusSeconds(3 * 86400)))
          .hasValueSatisfying(w -> assertThat(w).contains("expired"));
    }
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingTheKey() throws Exception {
    Path[] a = ca.server("a", "ec", "a");
    Path[] b = ca.server("b", "ec", "b");
    assertThatThrownBy(() -> Tls.load(a[0], b[1]))
        .isInstanceOf(Tls.TlsException.class)
        .hasMessageContaining(b[1].toString())
        .hasMessageContaining("does not belong to the first certificate of " + a[0])
        .hasMessageContaining("CN=a");
  }

  @Test
  void anEncryptedKeyIsRefusedWithTheLineThatDecryptsIt() throws Exception {
    Path[] pair = ca.server("enc", "pkcs8", "enc");
    Path encrypted = dir.resolve("enc-encrypted.key");
    Cmd.ok(
        "openssl",
        "pkey",
        "-in",
        pair[1].toString(),
        "-aes256",
        "-passout",
        "pass:secret",
        "-out",
        encrypted.toString());
    Path traditional = dir.resolve("enc-traditional.key");
    Cmd.ok(
        "openssl",
        "rsa",
        "-in",
        pair[1].toString(),
        "-traditional",
        "-aes256",
        "-passout",
        "pass:secret",
        "-out",
        traditional.toString());
    assertThat(Files.readString(traditional)).contains("Proc-Type: 4,ENCRYPTED");
    for (Path key : new Path[] {encrypted, traditional}) {
      assertThatThrownBy(() -> Tls.load(pair[0], key))
          .hasMessageContaining(key + ": the key is encrypted")
          .hasMessageContaining("openssl pkey -in " + key);
    }
  }

  @Test
  void filesWithoutPemSayWhatWasExpected() throws Exception {
    Path[] pair = ca.server("ok", "ec", "ok");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    Path garbage = Files.write(dir.resolve("garbage.pem"), new byte[] {(byte) 0xff, 0, 1, 2});
    Path badBase64 =
        Files.writeString(
            dir.resolve("bad64.pem"),
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> Tls.load(empty, pair[1]))
        .hasMessage(
            empty + ": no certificate in it; expected PEM blocks -----BEGIN CERTIFICATE-----");
    assertThatThrownBy(() -> Tls.load(pair[0], empty))
        .hasMessageStartingWith(empty + ": no private key in it");
    assertThatThrownBy(() -> Tls.load(garbage, pair[1]))
        .hasMessage(garbage + ": not PEM text (bytes outside ASCII)");
    assertThatThrownBy(() -> Tls.load(badBase64, pair[1])).hasMessageStartingWith(badBase64 + ": ");
    // the key swapped for the certificate: no key block there
    assertThatThrownBy(() -> Tls.load(pair[0], pair[0]))
        .hasMessageStartingWith(pair[0] + ": no private key in it");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> Tls.load(missing, pair[1]))
        .hasMessageStartingWith(missing + ": cannot be read");
  }
}
