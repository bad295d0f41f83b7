package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountFilesTest {
  private static final String PASSWD =
      "root:x:0:0:root:/root:/bin/bash\nbind:x:104:111::/var/cache/bind:/usr/sbin/nologin\n"
          + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
  private static final String SHADOW = "root:*:19000:0:99999:7:::\nbind:!:19000::::::\n";

  @Test
  void systemAccountsOnlyAreGenerated() {
    Map<String, String> t = Map.of("/etc/passwd", PASSWD, "/etc/shadow", SHADOW);
    assertThat(AccountFiles.systemOnly("/etc/passwd", t)).startsWith("only system accounts");
    assertThat(AccountFiles.systemOnly("/etc/shadow", t)).startsWith("only system accounts");
  }

  @Test
  void aPersonsAccountMakesTheFileDriftButNotTheUntouchedShadow() {
    String withAlice = PASSWD + "alice:x:1000:1000::/home/alice:/bin/bash\n";
    Map<String, String> t = Map.of("/etc/passwd", withAlice, "/etc/shadow", SHADOW);
    assertThat(AccountFiles.systemOnly("/etc/passwd", t)).isNull();
    assertThat(AccountFiles.systemOnly("/etc/shadow", t)).startsWith("only system accounts");
    Map<String, String> both =
        Map.of("/etc/passwd", withAlice, "/etc/shadow", SHADOW + "alice:$y$j9T$x:19000::::::\n");
    assertThat(AccountFiles.systemOnly("/etc/shadow", both)).isNull();
  }

  @Test
  void aPasswordSetIsAPersonsChange() {
    Map<String, String> t =
        Map.of("/etc/passwd", PASSWD, "/etc/shadow", "root:$6$salt$hash:19000:0:99999:7:::\n");
    assertThat(AccountFiles.systemOnly("/etc/shadow", t)).isNull();
  }

  @Test
  void unreadableFilesAreNotClassified() {
    assertThat(AccountFiles.systemOnly("/etc/passwd", Map.of())).isNull();
    assertThat(AccountFiles.systemOnly("/etc/shadow", Map.of("/etc/passwd", PASSWD))).isNull();
  }
}
