package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through {@link SecretCipher} with keys made here (the IT uses real gpg). */
class SecretCipherTest {
  static final char[] PASS = "correct horse".toCharArray();
  static final byte[] SECRET =
      "root:$6$salt$hash:19000:0:99999:7:::\n\u0000\u00ff binary too\n"
          .getBytes(StandardCharsets.ISO_8859_1);

  @TempDir static Path dir;
  static Path pub;
  static Path sec;
  static Path otherSec;
  static Path signOnlyPub;

  @BeforeAll
  static void makeKeys() throws Exception {
    PGPKeyRingGenerator alice = keyRing("alice <alice@example.org>", true);
    pub = write("alice.asc", true, out -> alice.generatePublicKeyRing().encode(out));
    sec = write("alice-secret.gpg", false, out -> alice.generateSecretKeyRing().encode(out));
    PGPKeyRingGenerator bob = keyRing("bob <bob@example.org>", true);
    otherSec = write("bob-secret.gpg", false, out -> bob.generateSecretKeyRing().encode(out));
    PGPKeyRingGenerator carol = keyRing("carol <carol@example.org>", false);
    signOnlyPub = write("carol.gpg", false, out -> carol.generatePublicKeyRing().encode(out));
  }

  @Test
  void whatIsEncryptedDecryptsToTheSameBytes() throws Exception {
    SecretCipher.Recipient to = SecretCipher.recipient(pub);
    byte[] ct = SecretCipher.encrypt(SECRET, to);
    assertThat(new String(ct, StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN PGP MESSAGE-----\n")
        .doesNotContain("Version:", "root:$6$");
    assertThat(SecretCipher.decrypt(ct, sec, PASS)).isEqualTo(SECRET);
  }

  @Test
  void anEmptySecretRoundTrips() throws Exception {
    byte[] ct = SecretCipher.encrypt(new byte[0], SecretCipher.recipient(pub));
    assertThat(SecretCipher.decrypt(ct, sec, PASS)).isEmpty();
  }

  @Test
  void eachEncryptionDiffers() throws Exception {
    SecretCipher.Recipient to = SecretCipher.recipient(pub);
    assertThat(SecretCipher.encrypt(SECRET, to)).isNotEqualTo(SecretCipher.encrypt(SECRET, to));
  }

  @Test
  void theRecipientIsTheEncryptionSubkey() throws Exception {
    SecretCipher.Recipient to = SecretCipher.recipient(pub);
    assertThat(to.fingerprint()).matches("[0-9A-F]{40}");
    assertThat(to.keyId()).matches("[0-9A-F]{16}");
    // The primary key certifies and signs; the subkey encrypts.
    assertThat(to.fingerprint()).doesNotEndWith(to.keyId());
  }

  @Test
  void aWrongPassphraseIsNamed() throws Exception {
    byte[] ct = SecretCipher.encrypt(SECRET, SecretCipher.recipient(pub));
    assertThatThrownBy(() -> SecretCipher.decrypt(ct, sec, "wrong".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(sec.toString())
        .hasMessageContaining("wrong passphrase?");
  }

  @Test
  void anotherKeySaysWhichKeyTheMessageWants() throws Exception {
    SecretCipher.Recipient to = SecretCipher.recipient(pub);
    byte[] ct = SecretCipher.encrypt(SECRET, to);
    assertThatThrownBy(() -> SecretCipher.decrypt(ct, otherSec, PASS))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no secret key for this message")
        .hasMessageContaining(to.keyId());
  }

  @Test
  void anAlteredMessageIsRefused() throws Exception {
    byte[] ct = SecretCipher.encrypt(SECRET, SecretCipher.recipient(pub));
    String armored = new String(ct, StandardCharsets.US_ASCII);
    // Flip bits in the last full line of base64 before the checksum: the encrypted data packet.
    String[] lines = armored.split("\n");
    int i = lines.length - 3;
    char c = lines[i].charAt(5);
    lines[i] = lines[i].substring(0, 5) + (c == 'A' ? 'B' : 'A') + lines[i].substring(6);
    byte[] altered = String.join("\n", lines).getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> SecretCipher.decrypt(altered, sec, PASS))
        .isInstanceOf(IOException.class);
  }

  @Test
  void keyFilesThatCannotEncryptAreRefusedNamingTheFile() throws Exception {
    assertThatThrownBy(() -> SecretCipher.recipient(signOnlyPub))
        .hasMessageContaining(signOnlyPub.toString())
        .hasMessageContaining("no valid key that may encrypt");
    Path junk = Files.writeString(dir.resolve("junk.asc"), "not a key\n");
    assertThatThrownBy(() -> SecretCipher.recipient(junk)).hasMessageContaining(junk.toString());
    Path two = dir.resolve("two.gpg");
    Files.write(
        two, concat(Files.readAllBytes(signOnlyPub), Files.readAllBytes(dir.resolve("alice.gpg"))));
    assertThatThrownBy(() -> SecretCipher.recipient(two))
        .hasMessageContaining("2 public keys in the file");
  }

  @Test
  void aBinaryPublicKeyFileWorksToo() throws Exception {
    SecretCipher.Recipient armored = SecretCipher.recipient(pub);
    SecretCipher.Recipient binary = SecretCipher.recipient(dir.resolve("alice.gpg"));
    assertThat(binary.fingerprint()).isEqualTo(armored.fingerprint());
    assertThat(SecretCipher.decrypt(SecretCipher.encrypt(SECRET, binary), sec, PASS))
        .isEqualTo(SECRET);
  }

  // ---- keys ---------------------------------------------------------------------------------

  interface Encoder {
    void encode(OutputStream out) throws IOException;
  }

  /** Writes the key both binary ({@code name}) and, if asked, armored (name.asc → name.gpg). */
  static Path write(String name, boolean armored, Encoder e) throws IOException {
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    e.encode(bin);
    if (!armored) {
      return Files.write(dir.resolve(name), bin.toByteArray());
    }
    Files.write(dir.resolve(name.replace(".asc", ".gpg")), bin.toByteArray());
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (ArmoredOutputStream a = new ArmoredOutputStream(text)) {
      a.write(bin.toByteArray());
    }
    return Files.write(dir.resolve(name), text.toByteArray());
  }

  /** An RSA primary key (certify, sign) with an RSA encryption subkey when asked. */
  static PGPKeyRingGenerator keyRing(String uid, boolean withEncryptionSubkey) throws PGPException {
    RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
    rsa.init(
        new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 12));
    Date now = new Date();
    PGPKeyPair primary =
        new BcPGPKeyPair(
            PublicKeyPacket.VERSION_4, PGPPublicKey.RSA_GENERAL, rsa.generateKeyPair(), now);
    PGPSignatureSubpacketGenerator flags = new PGPSignatureSubpacketGenerator();
    flags.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
    PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
    PGPKeyRingGenerator gen =
        new PGPKeyRingGenerator(
            PGPSignature.POSITIVE_CERTIFICATION,
            primary,
            uid,
            sha1,
            flags.generate(),
            null,
            new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256),
            new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1)
                .build(PASS));
    if (withEncryptionSubkey) {
      PGPKeyPair sub =
          new BcPGPKeyPair(
              PublicKeyPacket.VERSION_4, PGPPublicKey.RSA_GENERAL, rsa.generateKeyPair(), now);
      PGPSignatureSubpacketGenerator subFlags = new PGPSignatureSubpacketGenerator();
      subFlags.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
      gen.addSubKey(sub, subFlags.generate(), null);
    }
    return gen;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
