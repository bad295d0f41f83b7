package io.kickdrift.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.testkit.SecretCorpus.Seeded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretCorpusTest {
  @Test
  void holdsAtLeast200ValuesInAtLeast30Formats() {
    List<Seeded> files = SecretCorpus.files(18);
    assertThat(files.stream().map(Seeded::format).distinct().count()).isGreaterThanOrEqualTo(30);
    assertThat(files.stream().mapToInt(s -> s.values().size()).sum()).isGreaterThanOrEqualTo(200);
    assertThat(files.stream().map(Seeded::path).distinct().count()).isEqualTo(files.size());
  }

  @Test
  void isDeterministic() {
    List<Seeded> a = SecretCorpus.files(7);
    List<Seeded> b = SecretCorpus.files(7);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).content()).isEqualTo(b.get(i).content());
    }
    assertThat(SecretCorpus.files(8).get(0).content()).isNotEqualTo(a.get(0).content());
  }

  @Test
  void appendsInTheFilesOwnSyntax() {
    Seeded json =
        SecretCorpus.appendTo(
            "/etc/x/a.json", "{\n  \"a\": 1\n}\n".getBytes(StandardCharsets.UTF_8));
    assertThat(json.text()).endsWith("\"\n}\n").contains("\"a\": 1,\n");
    assertThat(json.format()).isEqualTo("appended-json");
    Seeded ini =
        SecretCorpus.appendTo(
            "/etc/x/my.cnf", "[mysqld]\nport=3306".getBytes(StandardCharsets.UTF_8));
    assertThat(ini.text()).startsWith("[mysqld]\nport=3306\n").contains("\npassword = ");
    assertThat(SecretCorpus.appendTo("/etc/ssh/sshd_config", "Port 22\n".getBytes()).format())
        .isEqualTo("appended-directive");
    assertThat(ini.values()).hasSize(2);
  }

  @Test
  void needlesSplitKeyBlocksIntoTheirLines() {
    Seeded pem =
        SecretCorpus.files(18).stream()
            .filter(s -> s.format().equals("pem-middle"))
            .findFirst()
            .orElseThrow();
    assertThat(pem.needles()).hasSizeGreaterThan(pem.values().size());
    assertThat(pem.needles()).noneMatch(n -> n.startsWith("-----"));
  }
}
