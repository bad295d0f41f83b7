package io.kickdrift.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountsTest {
  @Test
  void namesComeFromTheRootsOwnFilesFirstNameWinning() {
    Accounts a =
        Accounts.parse(
            "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/:/bin/sh\n#c:x:5:5\nbad:x:notanumber:1\n"
                + "short:x\n:x:7:7\nweb:x:1001:1001::/srv:/bin/false",
            "root:x:0:\nssl-cert:x:110:web\n");

    assertThat(a.user(0)).isEqualTo("root");
    assertThat(a.user(1001)).isEqualTo("web");
    assertThat(a.user(5)).isEqualTo("#5");
    assertThat(a.user(7)).isEqualTo("#7");
    assertThat(a.user(4242)).isEqualTo("#4242");
    assertThat(a.group(110)).isEqualTo("ssl-cert");
    assertThat(a.group(1001)).isEqualTo("#1001");
  }

  @Test
  void namesBackToIdsForRestoreWithNumericFallback() {
    Accounts a =
        Accounts.parse(
            "root:x:0:0:root:/root:/bin/bash\nweb:x:1001:1001::/srv:/bin/false\n",
            "root:x:0:\nssl-cert:x:110:web\n");

    assertThat(a.uid("web")).isEqualTo(1001);
    assertThat(a.uid("root")).isZero();
    assertThat(a.uid("#4242")).isEqualTo(4242);
    assertThat(a.uid("nobody")).isNull();
    assertThat(a.uid("#x")).isNull();
    assertThat(a.uid("#-1")).isNull();
    assertThat(a.gid("ssl-cert")).isEqualTo(110);
    assertThat(a.gid("web")).isNull();
    assertThat(a.gid("#7")).isEqualTo(7);
  }
}
