package io.kickdrift.agent.scan.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The user's rule file: what it allows, what it adds, and how a bad line is reported. */
class InlineSecretsRulesTest {
  @TempDir Path dir;

  private InlineSecrets rules(String text) throws IOException {
    Path f = dir.resolve("inline-secrets.rules");
    Files.writeString(f, text);
    return InlineSecrets.withRules(f);
  }

  private static List<String> rulesFound(InlineSecrets s, String path, String text) {
    return s.find(path, text.getBytes(StandardCharsets.ISO_8859_1)).stream()
        .map(m -> m.rule() + "=" + text.substring(m.start(), m.end()))
        .toList();
  }

  @Test
  void allowEntriesExcuseWhatTheBuiltInRulesFind() throws IOException {
    InlineSecrets s =
        rules(
            "# test fixtures hold sample keys\n"
                + "allow path /etc/app/fixtures/**\n"
                + "allow key (?:.*\\.)?demo_password\n"
                + "allow value Sample-[0-9]+\n"
                + "\n"
                + "allow rule password-hash\n");
    String text =
        "app.demo_password = Lq2p9Zk\npassword = Sample-42\nroot:$1$saltsalt$abcdefghijklmnopqrstuv:1\n"
            + "password = Lq2p9Zk\n";
    assertThat(rulesFound(s, "/etc/app/x.conf", text)).containsExactly("kv-password=Lq2p9Zk");
    assertThat(rulesFound(s, "/etc/app/fixtures/a/x.conf", text)).isEmpty();
    assertThat(rulesFound(InlineSecrets.builtIn(), "/etc/app/x.conf", text)).hasSize(4);
  }

  @Test
  void ruleEntriesAddKeysAndValues() throws IOException {
    InlineSecrets s =
        rules(
            "rule snmp-community key [rw]ocommunity6?\nrule acme-key value \\bacme_([0-9a-f]{32})\\b\n");
    String text =
        "rocommunity Lq2p9Zk\nrocommunity6 public\nx acme_0123456789abcdef0123456789abcdef y\n";
    assertThat(rulesFound(s, "/etc/snmp/snmpd.conf", text))
        .containsExactly("snmp-community=Lq2p9Zk", "acme-key=0123456789abcdef0123456789abcdef");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "allow|:1: expected `allow path|key|value|rule ARG` or `rule NAME key|value REGEX`, got allow",
        "allow thing x|:1: expected allow path|key|value|rule, got allow thing",
        "allow key (unclosed|:1: bad regular expression (unclosed",
        "rule Bad_Name key x|:1: expected a rule name of [a-z0-9-], got Bad_Name",
        "rule ok keys x|:1: expected rule NAME key|value REGEX, got rule ok keys x",
        "deny key x|:1: expected `allow path|key|value|rule ARG`",
      })
  void aBadLineNamesFileLineAndWhatWasExpected(String line, String message) throws IOException {
    Path f = dir.resolve("bad.rules");
    Files.writeString(f, line + "\n");
    assertThatThrownBy(() -> InlineSecrets.withRules(f))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(f + message);
  }

  @Test
  void theLineNumberCountsCommentsAndBlankLines() throws IOException {
    Path f = dir.resolve("r.rules");
    Files.writeString(f, "# c\n\nallow key ok\nrule x value [\n");
    assertThatThrownBy(() -> InlineSecrets.withRules(f)).hasMessageStartingWith(f + ":4: ");
  }

  @Test
  void aMissingFileIsAnIoException() {
    assertThatThrownBy(() -> InlineSecrets.withRules(dir.resolve("none")))
        .isInstanceOf(IOException.class);
  }
}
