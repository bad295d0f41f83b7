package io.kickdrift.agent.scan;

import static io.kickdrift.agent.scan.ScanReportAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.dpkg.DpkgRootBuilder;
import io.kickdrift.agent.report.JsonReport;
import io.kickdrift.agent.report.TextReport;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan reports secret values inside the content it would commit: where, never what. */
class InlineSecretsScanTest {
  private static final String VALUE = "Hunter2-inline-value";
  private static final String APP = "# app\nhost=db\ndb_password=" + VALUE + "\n";
  private static final String WGETRC = "# wgetrc\ntries=3\n";

  @TempDir Path root;

  @BeforeEach
  void host() throws IOException {
    DpkgRootBuilder.in(root)
        .pkg("wget")
        .version("1.21")
        .dir("/etc")
        .conffile("/etc/wgetrc", WGETRC)
        .conffile("/etc/other.conf", "password=packaged-default\n")
        .end()
        .build();
  }

  private ScanReport scan() throws IOException {
    ScanOptions o =
        new ScanOptions(
            root,
            false,
            List.of("/etc"),
            GlobRules.empty(),
            GlobRulesTest.builtIn("default-secrets.txt"),
            null,
            2);
    return Scanner.scan(DpkgReader.read(root), o, "test-host");
  }

  private void write(String abs, String content) throws IOException {
    Path p = root.resolve(abs.substring(1));
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  @Test
  void unownedAndModifiedConfigFilesCarryTheirSecretValuesByLineAndKey() throws IOException {
    write("/etc/app/app.env", APP);
    String wgetrc = WGETRC + "http_password=" + VALUE + "\n";
    write("/etc/wgetrc", wgetrc);

    ScanReport r = scan();

    Finding app = assertThat(r).hasUnowned("/etc/app/app.env").finding("/etc/app/app.env");
    assertThat(app.inlineSecrets())
        .isEqualTo(InlineSecrets.builtIn().find("/etc/app/app.env", bytes(APP)))
        .extracting(SecretMatch::line, SecretMatch::key)
        .contains(org.assertj.core.groups.Tuple.tuple(3, "db_password"));
    Finding conf = assertThat(r).hasModified("/etc/wgetrc", Problem.CONTENT).finding("/etc/wgetrc");
    assertThat(conf.inlineSecrets())
        .extracting(SecretMatch::line, SecretMatch::key)
        .contains(org.assertj.core.groups.Tuple.tuple(3, "http_password"));
    assertThat(r.holdingSecretValues()).isEqualTo(2);
    // An unchanged config file is no finding, so it is not read for values.
    assertThat(r).hasNoFindingFor("/etc/other.conf");
  }

  @Test
  void reportsNameRuleLineAndKeyButNeverTheValue() throws IOException {
    write("/etc/app/app.env", APP);
    ScanReport r = scan();
    String rule = assertThat(r).finding("/etc/app/app.env").inlineSecrets().get(0).rule();

    String text = text(r);
    assertThat(text)
        .contains("secret value at line 3: " + rule + " (key db_password)")
        .contains("1 file holds secret values")
        .doesNotContain(VALUE);
    String json = json(r);
    assertThat(json).contains("\"inlineSecrets\"", "\"db_password\"").doesNotContain(VALUE);
    assertThat(json).doesNotContain("\"start\"", "\"end\"");
  }

  @Test
  void aReportWithInlineSecretsReadsBack() throws IOException {
    write("/etc/app/app.env", APP);
    ScanReport r = scan();

    ScanReport back = JsonReport.read("report.json", json(r).getBytes(StandardCharsets.UTF_8));

    SecretMatch m = assertThat(back).finding("/etc/app/app.env").inlineSecrets().get(0);
    SecretMatch orig = assertThat(r).finding("/etc/app/app.env").inlineSecrets().get(0);
    assertThat(List.of(m.rule(), m.line(), m.key()))
        .isEqualTo(List.of(orig.rule(), orig.line(), orig.key()));
  }

  @Test
  void filesSecretAsAWholeAreNotSearchedAgain() throws IOException {
    write("/etc/shadow", "password=" + VALUE + "\n");
    ScanReport r = scan();
    assertThat(assertThat(r).finding("/etc/shadow").inlineSecrets()).isEmpty();
    assertThat(text(r)).contains("0 unreadable\n").doesNotContain("holds secret values");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ScanReport r) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    TextReport.print(r, new PrintStream(b, true, StandardCharsets.UTF_8));
    return b.toString(StandardCharsets.UTF_8);
  }

  private static String json(ScanReport r) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    JsonReport.write(r, b);
    return b.toString(StandardCharsets.UTF_8);
  }
}
