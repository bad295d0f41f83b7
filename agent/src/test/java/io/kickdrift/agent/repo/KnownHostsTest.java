package io.kickdrift.agent.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {
  private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 2222);

  private static PublicKey key() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    return ec.generateKeyPair().getPublic();
  }

  @Test
  void aRevokedKeyIsRefusedAsRevokedAKnownOneAccepted(@TempDir Path dir) throws Exception {
    PublicKey revoked = key();
    PublicKey known = key();
    Path file = dir.resolve("known_hosts");
    Files.writeString(
        file,
        "@revoked [127.0.0.1]:2222 "
            + PublicKeyEntry.toString(revoked)
            + "\n[127.0.0.1]:2222 "
            + PublicKeyEntry.toString(known)
            + "\n");
    KnownHosts hosts = new KnownHosts(file);

    assertThat(hosts.accept("[127.0.0.1]:2222", REMOTE, revoked, null, null)).isFalse();
    assertThat(hosts.refusal()).contains("is revoked in " + file);

    assertThat(hosts.accept("[127.0.0.1]:2222", REMOTE, known, null, null)).isTrue();
  }
}
