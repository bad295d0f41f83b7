package io.kickdrift.agent.pkgdb.dpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusParserTest {
  private static final String FILE = "/var/lib/dpkg/status";
  private static final String A = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String B = "0123456789abcdef0123456789abcdef";

  private final List<String> warnings = new ArrayList<>();

  @Test
  void installedPackageWithConffiles() {
    String text =
        "Package: openssh-server\n"
            + "Status: install ok installed\n"
            + "Architecture: amd64\n"
            + "Version: 1:9.2p1-2\n"
            + "Conffiles:\n"
            + " /etc/ssh/moduli "
            + A
            + "\n"
            + " /etc/old.conf "
            + B
            + " obsolete\n";

    assertThat(StatusParser.parse(FILE, text, warnings))
        .containsExactly(
            new InstalledPackage(
                "openssh-server",
                "amd64",
                false,
                "1:9.2p1-2",
                "installed",
                List.of(
                    new Conffile(
                        "/etc/ssh/moduli", Digest.of(DigestAlgorithm.MD5, A), false, false),
                    new Conffile("/etc/old.conf", Digest.of(DigestAlgorithm.MD5, B), true, false)),
                1));
    assertThat(warnings).isEmpty();
  }

  @Test
  void multiArchSameIsNamedWithItsArchitecture() {
    List<InstalledPackage> p =
        StatusParser.parse(
            FILE,
            "Package: libc6\nStatus: install ok installed\nMulti-Arch: same\nArchitecture: i386\n"
                + "Version: 2.36\n\n"
                + "Package: bash\nStatus: install ok installed\nMulti-Arch: foreign\n"
                + "Architecture: amd64\nVersion: 5.2\n",
            warnings);

    assertThat(p).extracting(InstalledPackage::infoName).containsExactly("libc6:i386", "bash");
    assertThat(p).extracting(InstalledPackage::multiArchSame).containsExactly(true, false);
    assertThat(p).extracting(InstalledPackage::key).containsExactly("libc6:i386", "bash:amd64");
  }

  @Test
  void configFilesStateKeepsItsFiles() {
    InstalledPackage p =
        StatusParser.parse(
                FILE,
                "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n"
                    + "Conffiles:\n /etc/gone.conf "
                    + A
                    + "\n",
                warnings)
            .get(0);

    assertThat(p.state()).isEqualTo("config-files");
    assertThat(p.hasFiles()).isTrue();
    assertThat(p.arch()).isEmpty();
    assertThat(p.conffiles()).extracting(Conffile::path).containsExactly("/etc/gone.conf");
  }

  @Test
  void notInstalledHasNoFiles() {
    InstalledPackage p =
        StatusParser.parse(FILE, "Package: x\nStatus: purge ok not-installed\n", warnings).get(0);

    assertThat(p.hasFiles()).isFalse();
  }

  @Test
  void badStatusWarnsAndSkipsOnlyThatPackage() {
    List<InstalledPackage> p =
        StatusParser.parse(
            FILE,
            "Package: ok1\nStatus: install ok installed\n\n"
                + "Package: bad\nStatus: install ok\n\n"
                + "Package: nostatus\nVersion: 1\n\n"
                + "Package: ok2\nStatus: install ok installed\n",
            warnings);

    assertThat(p).extracting(InstalledPackage::name).containsExactly("ok1", "ok2");
    assertThat(warnings)
        .containsExactly(
            FILE + ":4: package bad: expected 'Status: want flag state', got 'install ok'; skipped",
            FILE + ":7: package nostatus: expected 'Status: want flag state', got 'null'; skipped");
  }

  @Test
  void stanzaWithoutPackageWarns() {
    assertThat(StatusParser.parse(FILE, "Version: 1\nStatus: install ok installed\n", warnings))
        .isEmpty();
    assertThat(warnings).containsExactly(FILE + ":1: stanza without a Package field skipped");
  }

  @Test
  void badConffileLineIsSkippedWithAWarningNamingItsLine() {
    String text =
        "Package: p\n"
            + "Status: install ok installed\n"
            + "Version: 1\n"
            + "Description: d\n"
            + "Conffiles:\n"
            + " /etc/good "
            + A
            + "\n"
            + " garbage\n";

    InstalledPackage p = StatusParser.parse(FILE, text, warnings).get(0);

    assertThat(p.conffiles()).extracting(Conffile::path).containsExactly("/etc/good");
    assertThat(warnings)
        .containsExactly(
            FILE + ":7: package p: conffile line 'garbage' is not '<path> <md5> [flags]'; skipped");
  }
}
