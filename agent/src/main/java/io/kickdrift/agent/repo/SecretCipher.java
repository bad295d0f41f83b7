package io.kickdrift.agent.repo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * Secrets as OpenPGP messages (BouncyCastle): encrypted to one public key when a scan commits them,
 * opened by {@code gpg --decrypt} or by {@link #decrypt} when a host is restored.
 *
 * <p>Example: {@code byte[] clear = SecretCipher.decrypt(blob, Path.of("secret.asc"), new
 * char[0]);}
 */
public final class SecretCipher {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretCipher() {}

  /**
   * The key secrets are encrypted to: read from a public key file, as {@code gpg --export} writes
   * it (armored or binary).
   */
  public static final class Recipient {
    private final String fingerprint;
    private final PGPPublicKey key;

    private Recipient(String fingerprint, PGPPublicKey key) {
      this.fingerprint = fingerprint;
      this.key = key;
    }

    /** The fingerprint of the primary key, upper-case hex, as {@code gpg --list-keys} shows. */
    public String fingerprint() {
      return fingerprint;
    }

    /** The id of the (sub)key that encrypts, 16 upper-case hex digits, as gpg prints it. */
    public String keyId() {
      return SecretCipher.keyId(key.getKeyID());
    }

    @Override
    public String toString() {
      return fingerprint + " (encryption key " + keyId() + ")";
    }
  }

  /**
   * Reads the single public key in {@code keyFile} and picks its encryption (sub)key.
   *
   * @throws IOException naming the file: unreadable, not a public key, several keys, or no key that
   *     may encrypt
   */
  public static Recipient recipient(Path keyFile) throws IOException {
    PGPPublicKeyRingCollection rings;
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(keyFile))) {
      rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
    } catch (PGPException | RuntimeException e) {
      throw new IOException(keyFile + ": not an OpenPGP public key: " + e.getMessage(), e);
    }
    List<PGPPublicKeyRing> list = new ArrayList<>();
    rings.getKeyRings().forEachRemaining(list::add);
    if (list.size() != 1) {
      throw new IOException(
          keyFile
              + ": "
              + (list.isEmpty() ? "no OpenPGP public key" : list.size() + " public keys")
              + " in the file; give exactly one (gpg --export KEYID > FILE)");
    }
    PGPPublicKeyRing ring = list.get(0);
    PGPPublicKey primary = ring.getPublicKey();
    if (primary.hasRevocation()) {
      throw new IOException(keyFile + ": key " + hex(primary.getFingerprint()) + " is revoked");
    }
    PGPPublicKey chosen = null;
    for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
      PGPPublicKey k = it.next();
      if (k.isEncryptionKey() && !k.hasRevocation() && !expired(k) && mayEncrypt(k)) {
        chosen = k; // the last one: gpg's own choice is the newest encryption subkey
      }
    }
    if (chosen == null) {
      throw new IOException(
          keyFile
              + ": key "
              + hex(primary.getFingerprint())
              + " has no valid key that may encrypt (an encryption subkey)");
    }
    return new Recipient(hex(primary.getFingerprint()), chosen);
  }

  /**
   * An ASCII-armored OpenPGP message of {@code plaintext} for {@code to}: AES-256 with an integrity
   * check (MDC), not compressed. Different every time (a new session key), so callers that want an
   * unchanged secret to keep its blob compare digests, not ciphertexts.
   */
  public static byte[] encrypt(byte[] plaintext, Recipient to) throws IOException {
    PGPEncryptedDataGenerator gen =
        new PGPEncryptedDataGenerator(
            new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                .setWithIntegrityPacket(true)
                .setSecureRandom(RANDOM));
    gen.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(to.key).setSecureRandom(RANDOM));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(plaintext.length + 1024);
    ArmoredOutputStream armor = new ArmoredOutputStream(bytes);
    // No "Version:" header: the blob should not change with the library's version.
    armor.clearHeaders();
    try {
      try (OutputStream enc = gen.open(armor, new byte[1 << 12]);
          OutputStream lit =
              new PGPLiteralDataGenerator()
                  .open(enc, PGPLiteralData.BINARY, "", plaintext.length, new Date(0))) {
        lit.write(plaintext);
      }
      armor.close();
    } catch (PGPException e) {
      throw new IOException("cannot encrypt to " + to + ": " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /**
   * Opens an OpenPGP message (armored or binary, as {@link #encrypt} or {@code gpg --encrypt}
   * writes it) with a secret key file as {@code gpg --export-secret-keys} writes it.
   *
   * @param passphrase the secret key's passphrase; empty for an unprotected key
   * @return the plaintext
   * @throws IOException naming the key file: no secret key for the message's recipients, a wrong
   *     passphrase, a message that is not OpenPGP, or one whose integrity check fails
   */
  public static byte[] decrypt(byte[] ciphertext, Path secretKeyFile, char[] passphrase)
      throws IOException {
    PGPSecretKeyRingCollection keys;
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(secretKeyFile))) {
      keys = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
    } catch (PGPException | RuntimeException e) {
      throw new IOException(secretKeyFile + ": not an OpenPGP secret key: " + e.getMessage(), e);
    }
    try {
      PGPEncryptedDataList list = encryptedDataList(ciphertext);
      List<String> wanted = new ArrayList<>();
      for (PGPEncryptedData d : list) {
        if (!(d instanceof PGPPublicKeyEncryptedData pk)) {
          continue;
        }
        PGPSecretKey sk = keys.getSecretKey(pk.getKeyID());
        if (sk == null) {
          wanted.add(keyId(pk.getKeyID()));
          continue;
        }
        PGPPrivateKey priv;
        try {
          priv =
              sk.extractPrivateKey(
                  new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                      .build(passphrase));
        } catch (PGPException e) {
          throw new IOException(
              secretKeyFile
                  + ": cannot unlock secret key "
                  + keyId(pk.getKeyID())
                  + " (wrong passphrase?): "
                  + e.getMessage(),
              e);
        }
        if (priv == null) {
          throw new IOException(
              secretKeyFile + ": key " + keyId(pk.getKeyID()) + " has no secret part");
        }
        return open(pk, priv, secretKeyFile);
      }
      throw new IOException(
          secretKeyFile
              + ": no secret key for this message; it is encrypted to "
              + (wanted.isEmpty() ? "no public key" : String.join(", ", wanted)));
    } catch (PGPException | RuntimeException e) {
      throw new IOException("not an OpenPGP message this key opens: " + e.getMessage(), e);
    }
  }

  private static PGPEncryptedDataList encryptedDataList(byte[] ciphertext) throws IOException {
    BcPGPObjectFactory f =
        new BcPGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(ciphertext)));
    Object o = f.nextObject();
    while (o instanceof PGPMarker) {
      o = f.nextObject();
    }
    if (o instanceof PGPEncryptedDataList list) {
      return list;
    }
    throw new IOException("not an OpenPGP encrypted message");
  }

  private static byte[] open(PGPPublicKeyEncryptedData pk, PGPPrivateKey priv, Path keyFile)
      throws IOException, PGPException {
    if (!pk.isIntegrityProtected()) {
      throw new IOException("the message has no integrity check (MDC); refused");
    }
    byte[] plain = null;
    try (InputStream clear = pk.getDataStream(new BcPublicKeyDataDecryptorFactory(priv))) {
      BcPGPObjectFactory f = new BcPGPObjectFactory(clear);
      Object o = f.nextObject();
      while (o != null && plain == null) {
        if (o instanceof PGPCompressedData c) {
          f = new BcPGPObjectFactory(c.getDataStream());
        } else if (o instanceof PGPLiteralData lit) {
          try (InputStream in = lit.getDataStream()) {
            plain = in.readAllBytes();
          }
        } else if (!(o instanceof PGPOnePassSignatureList) && !(o instanceof PGPSignatureList)) {
          throw new IOException("unexpected OpenPGP packet " + o.getClass().getSimpleName());
        }
        if (plain == null) {
          o = f.nextObject();
        }
      }
      // Read to the end, so that the integrity check covers the whole message.
      clear.readAllBytes();
    }
    if (plain == null) {
      throw new IOException("the message holds no data");
    }
    if (!pk.verify()) {
      throw new IOException(
          "integrity check failed: the message was altered (key " + keyFile + ")");
    }
    return plain;
  }

  /** Key flags, where the key's self-signatures have them, must allow encryption. */
  private static boolean mayEncrypt(PGPPublicKey k) {
    boolean anyFlags = false;
    for (Iterator<PGPSignature> it = k.getSignatures(); it.hasNext(); ) {
      PGPSignatureSubpacketVector v = it.next().getHashedSubPackets();
      if (v == null || v.getKeyFlags() == 0) {
        continue;
      }
      anyFlags = true;
      if ((v.getKeyFlags() & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0) {
        return true;
      }
    }
    return !anyFlags;
  }

  private static boolean expired(PGPPublicKey k) {
    long valid = k.getValidSeconds();
    return valid > 0 && k.getCreationTime().getTime() + valid * 1000 < System.currentTimeMillis();
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT);
  }

  private static String keyId(long id) {
    return String.format(Locale.ROOT, "%016X", id);
  }
}
