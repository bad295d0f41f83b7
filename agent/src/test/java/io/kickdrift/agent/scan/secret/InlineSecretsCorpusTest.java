package io.kickdrift.agent.scan.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.testkit.SecretCorpus;
import io.kickdrift.testkit.SecretCorpus.Seeded;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every value of the seeded corpus is inside a match, and nothing else of its lines is. */
class InlineSecretsCorpusTest {
  private final InlineSecrets secrets = InlineSecrets.builtIn();

  @Test
  void findsEverySeededValue() {
    List<String> missed = new ArrayList<>();
    for (long seed : new long[] {18, 19, 20}) {
      for (Seeded s : SecretCorpus.files(seed)) {
        missed.addAll(uncovered(s));
      }
    }
    assertThat(missed).isEmpty();
  }

  @Test
  void findsValuesAppendedToConffiles() {
    List<String> missed = new ArrayList<>();
    String[][] conffiles = {
      {"/etc/app/a.json", "{\n  \"listen\": 80\n}\n"},
      {"/etc/app/b.yaml", "listen: 80\n"},
      {"/etc/app/c.xml", "<config>\n  <listen>80</listen>\n</config>\n"},
      {"/etc/app/d.toml", "[server]\nlisten = 80\n"},
      {"/etc/app/e.properties", "listen=80\n"},
      {"/etc/mysql/my.cnf", "[mysqld]\nport = 3306\n"},
      {"/etc/wgetrc", "#passive_ftp = off\ntries = 3\n"},
      {"/etc/ssh/sshd_config", "Port 22\nPasswordAuthentication no\n"},
    };
    for (String[] c : conffiles) {
      Seeded s = SecretCorpus.appendTo(c[0], c[1].getBytes(StandardCharsets.UTF_8));
      missed.addAll(uncovered(s));
      assertThat(secrets.find(c[0], c[1].getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
    assertThat(missed).isEmpty();
  }

  private List<String> uncovered(Seeded s) {
    List<SecretMatch> found = secrets.find(s.path(), s.content());
    String text = s.text();
    List<String> missed = new ArrayList<>();
    for (String v : s.values()) {
      int at = text.indexOf(v);
      boolean covered = found.stream().anyMatch(m -> m.start() <= at && at + v.length() <= m.end());
      if (!covered) {
        missed.add(s.format() + " " + s.path() + ": " + v + "  found=" + found);
      }
    }
    return missed;
  }
}
