package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.repo.ManifestEntry.RedactedValue;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.InflaterInputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret values inside committed files (docs/config-repo.md, "Secrets"): replaced by keyed-digest
 * placeholders in every object, kept encrypted with {@code --encrypt-to}, put back by restore. The
 * detector here is the built-in one; its {@code password=} rule is enough for the repository side.
 */
class RedactionTest {
  static final String VALUE = "hunter2-Very-Secret";
  static final String APP = "# app\ndb_password=" + VALUE + "\nport = 8080\n";

  @TempDir static Path keys;
  static Path pub;
  static Path sec;

  @TempDir Path work;

  @BeforeAll
  static void key() throws Exception {
    PGPKeyRingGenerator g = SecretCipherTest.keyRing("ops <ops@example.org>", true);
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    try (ArmoredOutputStream a = new ArmoredOutputStream(bin)) {
      g.generatePublicKeyRing().encode(a);
    }
    pub = Files.write(keys.resolve("ops.asc"), bin.toByteArray());
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    g.generateSecretKeyRing().encode(s);
    sec = Files.write(keys.resolve("ops-secret.gpg"), s.toByteArray());
  }

  @Test
  void aValueReachesNoObjectAndItsPlaceholderNamesTheRuleAndAKeyedDigest() throws Exception {
    Path root = root("a", APP);
    Path repo = work.resolve("drift.git");
    ConfigRepo.Redaction r = redaction("state");
    record(repo, root, "web01", r, null);

    assertThat(objects(repo)).noneMatch(o -> o.contains(VALUE));
    HostSnapshot snap = HostSnapshot.read(repo, "web01", null);
    String stored = new String(snap.files().get("/etc/app.conf").content(), StandardCharsets.UTF_8);
    assertThat(stored)
        .matches("# app\ndb_password=kickdrift-secret\\.kv-password\\.[0-9a-f]{16}\nport = 8080\n");
    String placeholder =
        stored.substring(stored.indexOf("kickdrift-secret"), stored.indexOf("\nport"));
    ManifestEntry e = snap.manifest().files().get("/etc/app.conf");
    assertThat(e.secret()).isEqualTo("redacted");
    assertThat(e.redactions())
        .containsExactly(new RedactedValue(2, "db_password", "kv-password", placeholder));
    assertThat(e.values()).isNull();
    assertThat(e.digest())
        .isEqualTo(
            ConfigRepo.digest(DigestAlgorithm.SHA256, stored.getBytes(StandardCharsets.UTF_8))
                .toString());
    // The key was made once, 0600, in the state directory; never in the repository.
    Path keyFile = work.resolve("state/secret-digest.key");
    assertThat(Files.getPosixFilePermissions(keyFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String key = Files.readString(keyFile).strip();
    assertThat(objects(repo)).noneMatch(o -> o.contains(key));
  }

  @Test
  void theSameValueUnderOneKeyReadsTheSameOnTwoHostsAndARescanMakesNoCommit() throws Exception {
    Path repo = work.resolve("drift.git");
    ConfigRepo.Redaction r = redaction("state");
    record(repo, root("a", APP), "web01", r, null);
    record(repo, root("b", "db_password=" + VALUE + "\n"), "web02", r, null);
    String p1 = placeholders(repo, "web01");
    assertThat(p1).isEqualTo(placeholders(repo, "web02"));

    assertThat(record(repo, root("a", APP), "web01", redaction("state"), null).commits()).isEmpty();

    // Another installation's key names the same value otherwise: no dictionary across keys.
    record(repo, root("a", APP), "web01", redaction("other-state"), null);
    assertThat(placeholders(repo, "web01")).isNotEqualTo(p1);
  }

  @Test
  void withEncryptToTheValuesOpenWithTheKeyAndAnUnchangedValueKeepsItsMessage() throws Exception {
    Path repo = work.resolve("drift.git");
    Path root = root("a", APP);
    ConfigRepo.Redaction r = redaction("state");
    SecretCipher.Recipient to = SecretCipher.recipient(pub);
    record(repo, root, "web01", r, to);
    assertThat(objects(repo)).noneMatch(o -> o.contains(VALUE));
    ManifestEntry e =
        HostSnapshot.read(repo, "web01", null).manifest().files().get("/etc/app.conf");
    assertThat(e.values()).startsWith("-----BEGIN PGP MESSAGE-----");
    assertThat(e.recipient()).isEqualTo(to.fingerprint());
    byte[] plain =
        SecretCipher.decrypt(
            e.values().getBytes(StandardCharsets.US_ASCII), sec, SecretCipherTest.PASS);
    assertThat(RedactedFile.parseValues(plain).get(e.redactions().get(0).placeholder()))
        .isEqualTo(VALUE.getBytes(StandardCharsets.US_ASCII));

    // A rescan: same values, same key, so the message already committed serves; no commit.
    assertThat(record(repo, root, "web01", r, to).commits()).isEmpty();
    // A line edited elsewhere: a commit, and still the same message.
    Files.writeString(root.resolve("etc/app.conf"), APP.replace("8080", "9090"));
    assertThat(record(repo, root, "web01", r, to).commits()).hasSize(1);
    assertThat(
            HostSnapshot.read(repo, "web01", null).manifest().files().get("/etc/app.conf").values())
        .isEqualTo(e.values());
  }

  @Test
  void restoreWithTheKeyWritesTheFileBackByteForByte() throws Exception {
    Path repo = work.resolve("drift.git");
    String content = "a=1\r\nroot_password=\u00e9t\u00e9-42\nb=2\npassword=second\n";
    record(repo, root("a", content), "web01", redaction("state"), SecretCipher.recipient(pub));
    Path target = emptyRoot("target");
    Restore.Result res =
        Restore.run(
            repo,
            "web01",
            null,
            target,
            false,
            Restore.Decryptor.withKey(sec, SecretCipherTest.PASS),
            InlineSecrets.builtIn(),
            null,
            l -> {});
    assertThat(res.warnings()).isEmpty();
    assertThat(Files.readAllBytes(target.resolve("etc/app.conf")))
        .isEqualTo(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void restoreWithoutTheKeyKeepsTheHostsOwnValues() throws Exception {
    Path repo = work.resolve("drift.git");
    ConfigRepo.Redaction r = redaction("state");
    record(repo, root("a", APP), "web01", r, SecretCipher.recipient(pub));
    // The host's file since: the value rotated, the port edited; restore puts the port back only.
    Path target = root("target", "db_password=rotated-value\nport = 1\n");
    Restore.Result res =
        Restore.run(
            repo,
            "web01",
            null,
            target,
            false,
            null,
            InlineSecrets.builtIn(),
            r.digestKey(),
            l -> {});
    assertThat(res.warnings()).isEmpty();
    assertThat(Files.readString(target.resolve("etc/app.conf")))
        .isEqualTo(APP.replace(VALUE, "rotated-value"));
  }

  @Test
  void restoreWithoutTheKeyRefusesAFileWhoseValueTheHostLacksAndWritesNoPlaceholder()
      throws Exception {
    Path repo = work.resolve("drift.git");
    record(repo, root("a", APP), "web01", redaction("state"), null);
    Path target = root("target", "port = 1\n");
    List<String> actions = new ArrayList<>();
    Restore.Result res =
        Restore.run(
            repo, "web01", null, target, false, null, InlineSecrets.builtIn(), null, actions::add);
    assertThat(res.warnings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("/etc/app.conf: skipped: line 2 key db_password (rule kv-password):")
        .contains("scan with --encrypt-to KEYFILE");
    assertThat(actions).isEmpty();
    assertThat(Files.readString(target.resolve("etc/app.conf"))).isEqualTo("port = 1\n");

    // Values encrypted, but no key given: the message says which option opens them.
    record(repo, root("a", APP), "web01", redaction("state"), SecretCipher.recipient(pub));
    res =
        Restore.run(
            repo,
            "web01",
            null,
            emptyRoot("t2"),
            false,
            null,
            InlineSecrets.builtIn(),
            null,
            l -> {});
    assertThat(res.warnings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("line 2 key db_password", "give --decrypt-with KEYFILE");
  }

  @Test
  void aPlaceholderFoundOnTheHostIsCommittedAsItIsButNeverRestored() throws Exception {
    Path repo = work.resolve("drift.git");
    String copied = "password=kickdrift-secret.kv-password.0123456789abcdef\n";
    record(repo, root("a", copied), "web01", redaction("state"), null);
    Path target = emptyRoot("target");
    Restore.Result res = Restore.run(repo, "web01", null, target, false, null, l -> {});
    assertThat(res.warnings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .isEqualTo(
            "/etc/app.conf: skipped: line 1 holds the placeholder"
                + " kickdrift-secret.kv-password.0123456789abcdef, which restore never writes into"
                + " a live file");
    assertThat(target.resolve("etc/app.conf")).doesNotExist();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  ConfigRepo.Redaction redaction(String state) throws IOException {
    return ConfigRepo.Redaction.builtIn(work.resolve(state).resolve("secret-digest.key"));
  }

  Path emptyRoot(String name) throws IOException {
    Path root = Files.createDirectories(work.resolve(name).resolve("etc"));
    Files.writeString(root.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(root.resolve("group"), "root:x:0:\n");
    return root.getParent();
  }

  /** A root whose /etc/app.conf holds {@code app}. */
  Path root(String name, String app) throws IOException {
    Path root = work.resolve(name);
    if (!Files.exists(root)) {
      emptyRoot(name);
    }
    Files.writeString(root.resolve("etc/app.conf"), app);
    return root;
  }

  ConfigRepo.Result record(
      Path repo, Path root, String host, ConfigRepo.Redaction r, SecretCipher.Recipient to)
      throws IOException {
    ScanReport report = appReport(host, root);
    try (ConfigRepo cr = ConfigRepo.openOrCreate(repo)) {
      return cr.record(
          report,
          root,
          Originals.none(),
          new ConfigRepo.Settings("t", "t@t", "0", "scan", Clock.systemUTC(), to, r));
    }
  }

  /** What a scan of {@code host} finds in {@code root}: its /etc/app.conf, unowned. */
  static ScanReport appReport(String host, Path root) throws IOException {
    byte[] content = Files.readAllBytes(root.resolve("etc/app.conf"));
    Finding f =
        new Finding(
            "/etc/app.conf",
            Status.UNOWNED,
            Set.of(),
            Set.of(),
            null,
            null,
            false,
            null,
            null,
            new Finding.Observed(
                "regular",
                "0644",
                "root",
                "root",
                (long) content.length,
                1L,
                null,
                ConfigRepo.digest(DigestAlgorithm.SHA256, content)),
            null,
            null);
    return new ScanReport(
        ScanReport.SCHEMA,
        host,
        "/",
        PackageSource.DPKG,
        "config",
        true,
        new ScanReport.Stats(0, 0, 0, 0, 0),
        List.of(f),
        List.of(),
        List.of());
  }

  static String placeholders(Path repo, String host) throws IOException {
    return HostSnapshot.read(repo, host, null)
        .manifest()
        .files()
        .get("/etc/app.conf")
        .redactions()
        .toString()
        .replaceAll("line=\\d+, key=[^,]*, ", "");
  }

  /** Every loose object of the repository, inflated, as Latin-1 text. */
  static List<String> objects(Path repo) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (!p.getParent().getFileName().toString().matches("[0-9a-f]{2}")) {
          continue;
        }
        try (InputStream in = new InflaterInputStream(Files.newInputStream(p))) {
          out.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }
}
