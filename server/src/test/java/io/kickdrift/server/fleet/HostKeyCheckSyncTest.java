package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host key learnt with --accept-new survives a power cut: strace(1) watches a child JVM record a
 * new key and sees the new known_hosts synced, renamed over the old one, and the directory synced,
 * in that order (the hand-written write before AtomicWrite renamed without any sync).
 */
class HostKeyCheckSyncTest {
  @TempDir Path dir;

  @Test
  void aLearntKeyIsSyncedRenamedAndItsDirectorySynced() throws Exception {
    Path known = dir.resolve("ssh").resolve("known_hosts");
    Files.createDirectories(known.getParent());
    Files.writeString(known, "old.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOld\n");
    Path trace = dir.resolve("strace.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv =
        List.of(
            "strace",
            "-f",
            "-y",
            "-e",
            "trace=fsync,fdatasync,rename,renameat,renameat2",
            "-o",
            trace.toString(),
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Learner.class.getName(),
            known.toString());
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(Files.readString(known)).startsWith("old.example ").contains("[127.0.0.1]:2222 ");

    // Only the calls on the known_hosts file, its temporary and its directory, in order.
    String d = known.getParent().toString();
    List<String> calls =
        Files.readAllLines(trace).stream()
            .filter(l -> l.contains("known_hosts") || l.contains("<" + d + ">"))
            .map(l -> l.replaceFirst("^\\d+\\s+", ""))
            .toList();
    int fileSync = indexOf(calls, "fsync(", ".known_hosts");
    int rename = indexOf(calls, "rename", d + "/known_hosts\"");
    int dirSync = indexOf(calls, "fsync(", "<" + d + ">)");
    assertThat(fileSync).as("fsync of the new file in %s", calls).isNotNegative();
    assertThat(rename).as("rename over known_hosts in %s", calls).isGreaterThan(fileSync);
    assertThat(dirSync).as("fsync of the directory in %s", calls).isGreaterThan(rename);
  }

  private static int indexOf(List<String> calls, String call, String about) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith(call) && calls.get(i).contains(about)) {
        return i;
      }
    }
    return -1;
  }

  /** Meets a new host with --accept-new, so that the check records its key. */
  public static final class Learner {
    public static void main(String[] args) throws Exception {
      PublicKey key = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic();
      String why =
          new HostKeyCheck(Path.of(args[0]), true)
              .check(new SshTarget("new", "127.0.0.1", 2222, "root"), key);
      if (why != null) {
        System.out.println(why);
        System.exit(1);
      }
    }
  }
}
