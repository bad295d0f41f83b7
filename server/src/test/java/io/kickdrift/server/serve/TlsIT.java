package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's console and API over HTTPS with a certificate from the operator's own CA, checked by the
 * real {@code curl} and {@code openssl s_client}: trusted with {@code --cacert}, refused without;
 * plain HTTP sends the console and API to HTTPS but keeps serving what firmware fetches; TLS 1.1 is
 * refused; a renewed certificate is served after SIGHUP, a broken one is not.
 */
class TlsIT {
  private static final Pattern HTTP_AT =
      Pattern.compile("http listening on http://127.0.0.1:(\\d+)/");
  private static final Pattern HTTPS_AT =
      Pattern.compile("https listening on https://127.0.0.1:(\\d+)/");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();
  private Path log;
  private int http;
  private int https;

  @BeforeAll
  static void requirePeers() {
    Cmd.requireAll("curl=curl", "openssl=openssl");
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theConsoleAndApiAnswerOverHttpsAndPlainHttpOnlyServesFirmware() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    Path[] pair = ca.server("serve", "rsa", "kickdrift serve");
    Process p = serve(pair);
    String token = Files.readString(dir.resolve("state/admin.token")).strip();

    Cmd.Result trusted =
        Cmd.run(
            List.of(
                "curl",
                "-sS",
                "-D",
                "-",
                "--cacert",
                ca.cert.toString(),
                "-H",
                "Authorization: Bearer " + token,
                "https://127.0.0.1:" + https + "/api/v1/whoami"));
    assertThat(trusted.exit()).as(trusted.err()).isZero();
    assertThat(trusted.out())
        .startsWith("HTTP/1.1 200")
        .contains("Strict-Transport-Security: max-age=31536000")
        .contains("\"user\"");

    Cmd.Result untrusted =
        Cmd.run(List.of("curl", "-sS", "https://127.0.0.1:" + https + "/healthz"));
    assertThat(untrusted.exit()).as("curl without the CA: %s", untrusted.err()).isEqualTo(60);

    for (String path : List.of("/api/v1/hosts", "/metrics", "/", "/ui/", "/ui/hosts?q=web")) {
      Cmd.Result r =
          Cmd.run(
              List.of(
                  "curl",
                  "-sS",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code} %{redirect_url}",
                  "http://127.0.0.1:" + http + path));
      assertThat(r.out()).isEqualTo("308 https://127.0.0.1:" + https + path);
    }
    // what firmware fetches and the probes stay on plain HTTP, answered, not redirected
    assertThat(code("http://127.0.0.1:" + http + "/" + ServeOnLoopback.MENU)).isEqualTo("200");
    assertThat(code("http://127.0.0.1:" + http + "/ks/web01.lab.example.com/nope"))
        .isEqualTo("404");
    assertThat(code("http://127.0.0.1:" + http + "/healthz")).isEqualTo("200");

    Cmd.Result old =
        Cmd.run(
            List.of(
                "sh",
                "-c",
                "openssl s_client -connect 127.0.0.1:"
                    + https
                    + " -tls1_1 -CAfile '"
                    + ca.cert
                    + "' </dev/null"));
    assertThat(old.exit()).as("TLS 1.1 handshake: %s", old.out()).isNotZero();
    assertThat(subject(ca)).contains("CN = kickdrift serve").contains("CN = kickdrift test CA");

    // a renewed certificate: served after SIGHUP, without a restart
    Path[] renewed = ca.server("renewed", "ec", "kickdrift renewed");
    Files.move(renewed[0], pair[0], StandardCopyOption.REPLACE_EXISTING);
    Files.move(renewed[1], pair[1], StandardCopyOption.REPLACE_EXISTING);
    hangup(p);
    await("the renewed certificate", () -> subject(ca).contains("CN = kickdrift renewed"));

    // a broken renewal (the key of another certificate) keeps the one served
    Path[] other = ca.server("other", "ec", "other");
    Files.copy(other[1], pair[1], StandardCopyOption.REPLACE_EXISTING);
    hangup(p);
    await(
        "the refusal in the log",
        () -> read(log).contains("still serving the certificate loaded before"));
    assertThat(subject(ca)).contains("CN = kickdrift renewed");
    assertThat(p.isAlive()).isTrue();
  }

  @Test
  void halfATlsConfigurationOrAnEncryptedKeyStopsServeWithExit2() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    Path[] pair = ca.server("serve", "pkcs8", "kickdrift serve");
    Cmd.Result half = run("--tls-cert", pair[0].toString());
    assertThat(half.exit()).isEqualTo(2);
    assertThat(half.err()).contains("serve: --tls-cert needs --tls-key (tls.key)");

    Path encrypted = dir.resolve("encrypted.key");
    Cmd.ok(
        "openssl",
        "pkey",
        "-in",
        pair[1].toString(),
        "-aes256",
        "-passout",
        "pass:x",
        "-out",
        encrypted.toString());
    Cmd.Result locked = run("--tls-cert", pair[0].toString(), "--tls-key", encrypted.toString());
    assertThat(locked.exit()).isEqualTo(2);
    assertThat(locked.err()).contains(encrypted + ": the key is encrypted");
  }

  private Cmd.Result run(String... tls) throws Exception {
    Path inventory = ServeOnLoopback.exampleWithWeb01At127002(dir.resolve("inventory.yaml"));
    List<String> more = new ArrayList<>(List.of("--no-dns-sync", "--https-port", "0"));
    more.addAll(List.of(tls));
    return Cmd.run(
        ServeOnLoopback.serveCommand(
            List.of(), inventory, 0, 0, dir.resolve("state"), more.toArray(String[]::new)));
  }

  private Process serve(Path[] pair) throws Exception {
    Path inventory = ServeOnLoopback.exampleWithWeb01At127002(dir.resolve("inventory.yaml"));
    log = dir.resolve("serve.log");
    Process p =
        new ProcessBuilder(
                ServeOnLoopback.serveCommand(
                    List.of(),
                    inventory,
                    0,
                    0,
                    dir.resolve("state"),
                    "--no-dns-sync",
                    "--tls-cert",
                    pair[0].toString(),
                    "--tls-key",
                    pair[1].toString(),
                    "--https-port",
                    "0"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(p);
    await("serve started", () -> read(log).contains("state in ") || !p.isAlive());
    Matcher h = HTTP_AT.matcher(read(log));
    Matcher s = HTTPS_AT.matcher(read(log));
    assertThat(h.find() && s.find()).as("listening lines in%n%s", read(log)).isTrue();
    http = Integer.parseInt(h.group(1));
    https = Integer.parseInt(s.group(1));
    return p;
  }

  private String code(String url) throws Exception {
    return Cmd.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", url)).out();
  }

  /** The subjects of the chain serve presents now, as openssl s_client prints them. */
  private String subject(TestCa ca) {
    try {
      Cmd.Result r =
          Cmd.run(
              List.of(
                  "sh",
                  "-c",
                  "openssl s_client -connect 127.0.0.1:"
                      + https
                      + " -CAfile '"
                      + ca.cert
                      + "' -verify_return_error -showcerts </dev/null"));
      return r.exit() == 0 ? r.out() : "s_client exit " + r.exit() + ": " + r.err();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static void hangup(Process p) throws Exception {
    Cmd.ok("kill", "-HUP", Long.toString(p.pid()));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(end);
      Thread.sleep(100);
    }
  }
}
