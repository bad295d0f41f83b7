package io.kickdrift.server.serve;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For tests: a certificate authority and server certificates for 127.0.0.1 made by the real {@code
 * openssl} command in a directory: what an operator's own CA hands serve.
 */
final class TestCa {
  final Path dir;
  final Path cert;
  final Path key;

  private TestCa(Path dir) {
    this.dir = dir;
    this.cert = dir.resolve("ca.pem");
    this.key = dir.resolve("ca.key");
  }

  /** A new EC P-256 CA in {@code dir}. */
  static TestCa create(Path dir) throws Exception {
    Cmd.require("openssl", "openssl");
    Files.createDirectories(dir);
    TestCa ca = new TestCa(dir);
    ok(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        ca.key.toString(),
        "-out",
        ca.cert.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=kickdrift test CA");
    return ca;
  }

  /**
   * A server key of {@code keyType} ({@code rsa}: PKCS#1 "RSA PRIVATE KEY"; {@code ec}: SEC1 "EC
   * PRIVATE KEY"; {@code pkcs8}: an RSA key as "PRIVATE KEY") and a certificate for 127.0.0.1
   * signed by this CA, named {@code name}.crt/.key; the .crt holds the chain, leaf first.
   */
  Path[] server(String name, String keyType, String commonName) throws Exception {
    Path k = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path leaf = dir.resolve(name + ".leaf.pem");
    Path chain = dir.resolve(name + ".crt");
    switch (keyType) {
      case "rsa" -> ok("openssl", "genrsa", "-traditional", "-out", k.toString(), "2048");
      case "pkcs8" -> ok("openssl", "genpkey", "-algorithm", "RSA", "-out", k.toString());
      case "ec" ->
          ok(
              "openssl",
              "ecparam",
              "-name",
              "prime256v1",
              "-genkey",
              "-noout",
              "-out",
              k.toString());
      default -> throw new IllegalArgumentException(keyType);
    }
    ok(
        "openssl",
        "req",
        "-new",
        "-key",
        k.toString(),
        "-out",
        csr.toString(),
        "-subj",
        "/CN=" + commonName);
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    ok(
        "openssl",
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        cert.toString(),
        "-CAkey",
        key.toString(),
        "-CAcreateserial",
        "-out",
        leaf.toString(),
        "-days",
        "1",
        "-extfile",
        ext.toString());
    Files.writeString(chain, Files.readString(leaf) + Files.readString(cert));
    return new Path[] {chain, k};
  }

  private static void ok(String... command) throws IOException, InterruptedException {
    Cmd.ok(command);
  }
}
