package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Ssh;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshTargetTest {
  @Test
  void anInventoryHostIsReachedAtItsFirstIpWithItsSshUserAndPort() {
    Host h =
        new Host(
            "web01",
            List.of(
                new Interface("eth0", "52:54:00:00:00:01", null),
                new Interface("eth1", "52:54:00:00:00:02", "192.0.2.10")),
            "base",
            false,
            Map.of(),
            new Ssh("deploy", 2222));
    assertThat(SshTarget.of(h)).isEqualTo(new SshTarget("web01", "192.0.2.10", 2222, "deploy"));
  }

  @Test
  void withoutAnIpTheNameIsTheAddressAndRootAt22TheDefault() {
    Host h = new Host("db01.example.org", List.of(), "base", false, Map.of(), null);
    SshTarget t = SshTarget.of(h);
    assertThat(t).isEqualTo(new SshTarget("db01.example.org", "db01.example.org", 22, "root"));
    assertThat(t.knownHostsName()).isEqualTo("db01.example.org");
  }

  @Test
  void messagesAndKnownHostsNameTheHostAndPortAsOpenSshDoes() {
    assertThat(new SshTarget("web01", "192.0.2.10", 2222, "root"))
        .hasToString("web01 (192.0.2.10:2222)")
        .extracting(SshTarget::knownHostsName)
        .isEqualTo("[192.0.2.10]:2222");
    assertThat(new SshTarget("web02", "2001:db8::2", 22, "root"))
        .hasToString("web02 ([2001:db8::2]:22)");
  }

  @Test
  void aBadTargetNamesWhatIsWrong() {
    assertThatThrownBy(() -> new SshTarget("web01", "192.0.2.10", 0, "root"))
        .hasMessage("web01: port 0; expected 1 to 65535");
    assertThatThrownBy(() -> new SshTarget("web01", " ", 22, "root"))
        .hasMessage("web01: no address to connect to");
  }

  @org.junit.jupiter.api.Test
  void aJumpHostIsWrittenAsForSshDashJ() {
    assertThat(SshTarget.jump("web01", "admin@bastion.example.com:2200"))
        .isEqualTo(new SshTarget("jump host of web01", "bastion.example.com", 2200, "admin"));
    assertThat(SshTarget.jump("web01", "10.0.0.1"))
        .isEqualTo(new SshTarget("jump host of web01", "10.0.0.1", 22, "root"));
    assertThat(SshTarget.jump("web01", "ops@[2001:db8::1]:22"))
        .isEqualTo(new SshTarget("jump host of web01", "2001:db8::1", 22, "ops"));
    SshTarget t =
        new SshTarget("web01", "10.0.0.5", 22, "root", SshTarget.jump("web01", "10.0.0.1:2200"));
    assertThat(t.toString()).isEqualTo("web01 (10.0.0.5:22 via 10.0.0.1:2200)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new io.kickdrift.server.inventory.Ssh("root", 22, "bastion; rm -rf /"))
        .hasMessageContaining("expected [user@]host[:port]");
  }
}
