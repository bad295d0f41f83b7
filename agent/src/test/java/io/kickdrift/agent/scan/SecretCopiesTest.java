package io.kickdrift.agent.scan;

import static io.kickdrift.agent.scan.ScanReportAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.testkit.DebBuilder;
import io.kickdrift.testkit.DpkgTestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies and hard links of files secret by path rule are secret too, whatever their name. */
class SecretCopiesTest {
  private static final String SHADOW = "root:$y$j9T$copiedshadowhash:19000:0:99999:7:::\n";
  private static final String SITE_KEY = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n";

  @TempDir Path work;

  @Test
  void copiesAndHardLinksOfPathRuleSecretsAreSecretNamingTheOriginal() throws Exception {
    Path debs = Files.createDirectories(work.resolve("debs"));
    Path root = work.resolve("root");
    // site.key is packaged and unchanged: no finding of its own, yet its copies are secret.
    Path deb =
        DebBuilder.deb("sslsite", "1.0", "all")
            .file("/etc/ssl/private/site.key", SITE_KEY, 0600, 0, 0)
            .build(work.resolve("build"), debs);
    DpkgTestRoot.create(root).install(List.of(deb));
    write(root, "/etc/shadow", SHADOW);
    write(root, "/etc/backup/shadow.bak", SHADOW);
    Files.createLink(at(root, "/etc/app/linked"), at(root, "/etc/shadow"));
    write(root, "/etc/app/site.pem", SITE_KEY);
    Files.createLink(at(root, "/etc/app/site-link.pem"), at(root, "/etc/ssl/private/site.key"));
    // Same size as the shadow file, other content: not a copy.
    write(root, "/etc/app/same-size", SHADOW.replace('c', 'x'));

    ScanReport r = scan(root);

    assertThat(r).hasNoFindingFor("/etc/ssl/private/site.key");
    assertThat(assertThat(r).finding("/etc/shadow").secret()).isEqualTo("/etc/shadow");
    assertThat(assertThat(r).finding("/etc/backup/shadow.bak").secret())
        .isEqualTo("copy of /etc/shadow");
    assertThat(assertThat(r).finding("/etc/app/linked").secret()).isEqualTo("copy of /etc/shadow");
    assertThat(assertThat(r).finding("/etc/app/site.pem").secret())
        .isEqualTo("copy of /etc/ssl/private/site.key");
    assertThat(assertThat(r).finding("/etc/app/site-link.pem").secret())
        .isEqualTo("copy of /etc/ssl/private/site.key");
    assertThat(assertThat(r).finding("/etc/app/same-size").secret()).isNull();
  }

  private static ScanReport scan(Path root) throws Exception {
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

  private static Path at(Path root, String abs) throws Exception {
    Path p = root.resolve(abs.substring(1));
    Files.createDirectories(p.getParent());
    return p;
  }

  private static void write(Path root, String abs, String content) throws Exception {
    Files.writeString(at(root, abs), content);
  }
}
