package io.kickdrift.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.scan.Check;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Problem;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import io.kickdrift.agent.scan.UnownedFinding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JsonReportReadTest {
  static ScanReport sample() {
    Finding modified =
        new Finding(
            "/etc/ssh/sshd_config",
            Status.MODIFIED,
            Set.of(Problem.CONTENT, Problem.MODE),
            Set.of(Check.MTIME),
            "openssh-server",
            "1:9.2p1-2",
            true,
            'c',
            new Finding.Observed(
                "regular",
                "0644",
                "root",
                "root",
                3200L,
                null,
                null,
                Digest.of(DigestAlgorithm.MD5, "d41d8cd98f00b204e9800998ecf8427e")),
            new Finding.Observed(
                "regular",
                "0600",
                "root",
                "root",
                3300L,
                1700000000L,
                null,
                Digest.of(DigestAlgorithm.MD5, "0cc175b9c0f1b6a831c399e269772661")),
            null,
            "a note");
    Finding unowned =
        UnownedFinding.of(
            "/etc/app/key.pem",
            new Finding.Observed("symlink", "0777", "#1001", "adm", null, 1L, "../x", null),
            "content: private key");
    return new ScanReport(
        ScanReport.SCHEMA,
        "web01",
        "/",
        io.kickdrift.agent.pkgdb.PackageSource.DPKG,
        "config",
        true,
        new ScanReport.Stats(10, 20, 30, 40, 50),
        List.of(modified, unowned),
        List.of("/etc/x.dpkg-dist"),
        List.of("a warning"));
  }

  static byte[] json(ScanReport r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonReport.write(r, out);
    return out.toByteArray();
  }

  @Test
  void readsWhatWriteWrote() throws IOException {
    ScanReport r = sample();
    assertThat(JsonReport.read("test", json(r))).isEqualTo(r);
  }

  @Test
  void unknownFieldNamesTheSourceAndLine() throws IOException {
    String s =
        new String(json(sample()), StandardCharsets.UTF_8)
            .replace("\"scope\" :", "\"hostname\" : \"x\",\n  \"scope\" :");
    assertThatThrownBy(
            () -> JsonReport.read("web01: agent output", s.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("web01: agent output:")
        .hasMessageContaining("hostname");
  }

  @Test
  void aReportOfAnAgentBeforeIssue18HasNoClassifiedCountAndReads() throws IOException {
    String s = new String(json(sample()), StandardCharsets.UTF_8);
    String old = s.replaceAll(",\\s*\"classified\" : 0", "");
    assertThat(old).isNotEqualTo(s);
    assertThat(JsonReport.read("old agent", old.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(sample());
  }

  @Test
  void missingFieldIsAnError() {
    byte[] bad = "{\"schema\": 1,\n \"host\": \"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> JsonReport.read("r", bad))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("r:2:");
  }

  @Test
  void otherSchemaIsRefused() throws IOException {
    String s =
        new String(json(sample()), StandardCharsets.UTF_8)
            .replace("\"schema\" : 1", "\"schema\" : 2");
    assertThatThrownBy(() -> JsonReport.read("r", s.getBytes(StandardCharsets.UTF_8)))
        .hasMessage("r: scan report schema 2, expected 1");
  }

  @Test
  void bytesJacksonCannotDecodeAreRefusedNamingTheSource() {
    byte[] ucs4 = {0x00, 0x00, (byte) 0xff, (byte) 0xfe, 0x7b, 0x7d};
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JsonReport.read("web01: agent report", ucs4))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("web01: agent report: not a scan report: ")
        .hasMessageContaining("UCS-4");
  }

  @Property(tries = 300)
  void mutatedReportsOnlyEverFailWithIoException(@ForAll("mutations") byte[] b) {
    try {
      JsonReport.read("m", b);
    } catch (IOException e) {
      assertThat(e.getMessage()).startsWith("m");
    }
  }

  @Provide
  Arbitrary<byte[]> mutations() throws IOException {
    byte[] good = json(sample());
    return Arbitraries.integers()
        .between(0, good.length - 1)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .flatMap(
            at ->
                Arbitraries.bytes()
                    .list()
                    .ofSize(at.size())
                    .map(
                        vals -> {
                          byte[] c = good.clone();
                          for (int i = 0; i < at.size(); i++) {
                            c[at.get(i)] = vals.get(i);
                          }
                          return c;
                        }));
  }
}
