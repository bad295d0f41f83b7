package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Ssh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigTest {
  @TempDir Path dir;

  static Host host(String name, String ip, Ssh ssh) {
    return new Host(
        name,
        ip == null ? List.of() : List.of(new Interface("eth0", "52:54:00:00:00:01", ip)),
        "p",
        false,
        Map.of(),
        ssh);
  }

  SshConfig config(String text) throws Exception {
    return SshConfig.read(Files.writeString(dir.resolve("config"), text));
  }

  @Test
  void theFileFillsWhatTheInventoryLeavesAtItsDefaults() throws Exception {
    SshConfig c =
        config(
            "Host db01\n  HostName 10.9.9.9\n  ProxyJump admin@bastion.example.com:2200\n"
                + "Host web* db*\n  User deploy\n  Port 2222\n"
                + "Host *\n  User nobody\n  Port 2\n");
    assertThat(c.target(host("web01", "10.0.0.1", Ssh.DEFAULT)))
        .isEqualTo(new SshTarget("web01", "10.0.0.1", 2222, "deploy"));
    SshTarget db = c.target(host("db01", "10.0.0.3", Ssh.DEFAULT));
    assertThat(db.address()).isEqualTo("10.9.9.9");
    assertThat(db.user()).isEqualTo("deploy");
    assertThat(db.jump())
        .isEqualTo(new SshTarget("jump host of db01", "bastion.example.com", 2200, "admin"));
    // The inventory's own values win.
    assertThat(c.target(host("web02", "10.0.0.2", new Ssh("ops", 2022))))
        .isEqualTo(new SshTarget("web02", "10.0.0.2", 2022, "ops"));
    // First match wins, as in OpenSSH: Host * comes last.
    assertThat(c.target(host("mail01", null, Ssh.DEFAULT)))
        .isEqualTo(new SshTarget("mail01", "mail01", 2, "nobody"));
  }

  @Test
  void noFileIsTheInventoryAlone() {
    assertThat(
            SshConfig.none().target(host("web01", "10.0.0.1", new Ssh("root", 22, "10.0.0.254"))))
        .isEqualTo(
            new SshTarget(
                "web01",
                "10.0.0.1",
                22,
                "root",
                new SshTarget("jump host of web01", "10.0.0.254", 22, "root")));
  }

  @Test
  void aChainOfJumpHostsIsRefusedByName() throws Exception {
    SshConfig c = config("Host web01\n  ProxyJump a.example.com,b.example.com\n");
    assertThatThrownBy(() -> c.target(host("web01", "10.0.0.1", Ssh.DEFAULT)))
        .hasMessage(
            "web01: ProxyJump a.example.com,b.example.com: chains of jump hosts are not supported");
  }
}
