package io.kickdrift.server.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The console's and API's certificate: a PEM certificate chain (leaf first) and its PEM private
 * key, as {@code tls.cert} and {@code tls.key} name them, checked to belong together and turned
 * into the in-memory key store Jetty serves. Keys in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}); an encrypted key is
 * refused with the openssl line that decrypts it (serve starts unattended: nobody types a
 * passphrase).
 *
 * <pre>{@code
 * Tls tls = Tls.load(Path.of("/etc/kickdrift/tls.crt"), Path.of("/etc/kickdrift/tls.key"));
 * SslContextFactory.Server jetty = tls.jetty();
 * }</pre>
 */
record Tls(Path cert, Path key, KeyStore store, X509Certificate leaf) {
  /** A certificate or key that cannot be served, the file named in the message. */
  static final class TlsException extends IOException {
    TlsException(String message) {
      super(message);
    }
  }

  static final char[] NO_PASSWORD = new char[0];
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s:,-]*?)-----END \\1-----");

  /** Reads and checks the pair; every refusal names the file and what was wrong. */
  static Tls load(Path cert, Path key) throws TlsException {
    List<X509Certificate> chain = chain(cert);
    PrivateKey privateKey = privateKey(key);
    X509Certificate leaf = chain.get(0);
    if (!matches(privateKey, leaf.getPublicKey())) {
      throw new TlsException(
          key
              + ": this key does not belong to the first certificate of "
              + cert
              + " ("
              + subject(leaf)
              + ")");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "kickdrift", privateKey, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
      return new Tls(cert, key, store, leaf);
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException(cert + ": cannot be served: " + e.getMessage());
    }
  }

  /**
   * A warning when the leaf certificate is not valid at {@code now} (expired or not yet valid):
   * serving it beats not serving at all, but clients will refuse it.
   */
  java.util.Optional<String> validityWarning(Instant now) {
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      return java.util.Optional.of(
          cert
              + ": the certificate expired "
              + leaf.getNotAfter().toInstant()
              + "; clients will refuse it");
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      return java.util.Optional.of(
          cert + ": the certificate is valid only from " + leaf.getNotBefore().toInstant());
    }
    return java.util.Optional.empty();
  }

  /**
   * Jetty's TLS side for this pair: TLS 1.2 and 1.3 only, Jetty's excluded cipher suites, and no
   * SNI host check, because provisioning networks often reach serve by an address the certificate
   * names as an IP SAN, for which clients send no SNI at all.
   */
  SslContextFactory.Server jetty() {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(store);
    factory.setKeyStorePassword("");
    factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    factory.setSniRequired(false);
    factory.setRenegotiationAllowed(false);
    return factory;
  }

  /** The subject of a certificate, for messages. */
  static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }

  private static List<X509Certificate> chain(Path cert) throws TlsException {
    String text = read(cert);
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(text)) {
        if (b.type().equals("CERTIFICATE")) {
          chain.add(
              (X509Certificate)
                  factory.generateCertificate(new ByteArrayInputStream(der(cert, b))));
        }
      }
    } catch (CertificateException e) {
      throw new TlsException(cert + ": not a readable X.509 certificate: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new TlsException(
          cert + ": no certificate in it; expected PEM blocks -----BEGIN CERTIFICATE-----");
    }
    return chain;
  }

  private static PrivateKey privateKey(Path key) throws TlsException {
    String text = read(key);
    for (Block b : blocks(text)) {
      byte[] pkcs8;
      switch (b.type()) {
        case "PRIVATE KEY" -> pkcs8 = der(key, b);
        case "RSA PRIVATE KEY" -> {
          if (b.encrypted()) {
            throw encrypted(key);
          }
          pkcs8 =
              encode(
                  key,
                  new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                  () -> RSAPrivateKey.getInstance(der(key, b)));
        }
        case "EC PRIVATE KEY" -> {
          if (b.encrypted()) {
            throw encrypted(key);
          }
          ECPrivateKey ec = ECPrivateKey.getInstance(der(key, b));
          if (ec.getParametersObject() == null) {
            throw new TlsException(key + ": the EC key does not name its curve");
          }
          pkcs8 =
              encode(
                  key,
                  new AlgorithmIdentifier(
                      X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()),
                  () -> ec);
        }
        case "ENCRYPTED PRIVATE KEY" -> throw encrypted(key);
        default -> {
          continue;
        }
      }
      return fromPkcs8(key, pkcs8);
    }
    throw new TlsException(
        key
            + ": no private key in it; expected a PEM block -----BEGIN PRIVATE KEY----- (or RSA"
            + " PRIVATE KEY, EC PRIVATE KEY)");
  }

  private interface Der {
    ASN1Encodable get() throws TlsException;
  }

  private static byte[] encode(Path key, AlgorithmIdentifier algorithm, Der body)
      throws TlsException {
    try {
      return new PrivateKeyInfo(algorithm, body.get()).getEncoded();
    } catch (IOException | IllegalArgumentException e) {
      throw new TlsException(key + ": not a readable private key: " + e.getMessage());
    }
  }

  private static PrivateKey fromPkcs8(Path key, byte[] pkcs8) throws TlsException {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new TlsException(key + ": not a readable RSA, EC or Ed25519 private key");
  }

  private static TlsException encrypted(Path key) {
    return new TlsException(
        key
            + ": the key is encrypted and serve starts without anyone to type its passphrase;"
            + " decrypt it into a file only the service user reads: openssl pkey -in "
            + key
            + " -out NEW.key");
  }

  /** Whether {@code key} signs what {@code pub} verifies: the pair belongs together. */
  private static boolean matches(PrivateKey key, PublicKey pub) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null || !key.getAlgorithm().equals(pub.getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = "kickdrift".getBytes(StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(pub);
      verify.update(probe);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private record Block(String type, String body) {
    /** Traditional OpenSSL encryption: {@code Proc-Type: 4,ENCRYPTED} headers in the block. */
    boolean encrypted() {
      return body.contains("ENCRYPTED") || body.contains("DEK-Info");
    }
  }

  private static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      blocks.add(new Block(m.group(1), m.group(2)));
    }
    return blocks;
  }

  private static byte[] der(Path file, Block b) throws TlsException {
    try {
      return Base64.getMimeDecoder().decode(b.body().replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new TlsException(file + ": the " + b.type() + " block is not valid base64");
    }
  }

  private static String read(Path file) throws TlsException {
    try {
      if (Files.size(file) > 1024 * 1024) {
        throw new TlsException(file + ": larger than 1 MiB; not a PEM certificate or key");
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new TlsException(file + ": not PEM text (bytes outside ASCII)");
    } catch (IOException e) {
      throw new TlsException(file + ": cannot be read: " + e.getMessage());
    }
  }
}
