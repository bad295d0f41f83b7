package io.kickdrift.server.desired.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.cli.Cmd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vault 1.1 AES256 texts: what ansible-vault itself reads and writes. */
class AnsibleVaultTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();

  @Test
  void ansibleVaultReadsWhatWeWriteAndWeReadWhatItWrites(@TempDir Path dir) throws Exception {
    Cmd.require("ansible-vault", "ansible-core");
    Path password = Files.writeString(dir.resolve("password"), "correct horse\n");
    String secret = "db_password: s3cr€t\nline two\n";
    Path ours =
        Files.writeString(
            dir.resolve("ours.yml"),
            AnsibleVault.encrypt(secret.getBytes(StandardCharsets.UTF_8), PASSWORD));
    Cmd.Result view =
        Cmd.run(
            List.of(
                "ansible-vault",
                "view",
                "--vault-password-file",
                password.toString(),
                ours.toString()),
            java.util.Map.of("HOME", dir.toString(), "ANSIBLE_LOCAL_TEMP", dir.toString()));
    assertThat(view.exit()).as(view.err()).isZero();
    assertThat(view.out()).isEqualTo(secret);

    Path theirs = Files.writeString(dir.resolve("theirs.yml"), secret);
    Cmd.Result encrypt =
        Cmd.run(
            List.of(
                "ansible-vault",
                "encrypt",
                "--vault-password-file",
                password.toString(),
                theirs.toString()),
            java.util.Map.of("HOME", dir.toString(), "ANSIBLE_LOCAL_TEMP", dir.toString()));
    assertThat(encrypt.exit()).as(encrypt.err()).isZero();
    String text = Files.readString(theirs);
    assertThat(text).startsWith("$ANSIBLE_VAULT;1.1;AES256\n");
    assertThat(new String(AnsibleVault.decrypt(text, PASSWORD), StandardCharsets.UTF_8))
        .isEqualTo(secret);
  }

  @Test
  void aWrongPasswordOrAnotherTextIsRefusedSayingWhy() {
    String text = AnsibleVault.encrypt("x".getBytes(StandardCharsets.UTF_8), PASSWORD);
    assertThat(text.lines().skip(1)).allMatch(l -> l.length() <= 80 && l.matches("[0-9a-f]+"));
    assertThatThrownBy(() -> AnsibleVault.decrypt(text, "wrong".toCharArray()))
        .hasMessageContaining("the HMAC differs");
    assertThatThrownBy(() -> AnsibleVault.decrypt("hello\n", PASSWORD))
        .hasMessageStartingWith("not an Ansible Vault AES256 text");
  }

  @Property(tries = 50)
  void whatIsEncryptedDecryptsToItself(@ForAll byte[] plain) {
    assertThat(AnsibleVault.decrypt(AnsibleVault.encrypt(plain, PASSWORD), PASSWORD))
        .isEqualTo(plain);
  }
}
