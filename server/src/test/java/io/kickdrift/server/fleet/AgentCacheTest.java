package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent cache on hosts: which directory, and which files the clean-up removes (real sh). */
class AgentCacheTest {
  private static final String OLD = "agent-0123456789abcdef.jar";
  private static final String KEEP = "agent-fedcba9876543210.jar";

  @TempDir Path dir;

  @Test
  void theCacheDirectoryIsCheckedBeforeAnyHostIsContacted() {
    assertThat(AgentWay.cacheDir(null)).isEqualTo(".cache/kickdrift");
    assertThat(AgentWay.cacheDir("/var/cache/kickdrift-agent/"))
        .isEqualTo("/var/cache/kickdrift-agent");
    assertThat(AgentWay.cacheDir("~/.kickdrift")).isEqualTo(".kickdrift");
    assertThatThrownBy(() -> AgentWay.cacheDir(".cache/../../etc"))
        .hasMessage("--agent-cache .cache/../../etc: no .. in the directory");
    assertThatThrownBy(() -> AgentWay.cacheDir("/tmp/x; rm -rf /"))
        .hasMessageStartingWith("--agent-cache /tmp/x; rm -rf /: only letters, digits");
    assertThatThrownBy(() -> AgentWay.cacheDir("/tmp/$(id)")).hasMessageContaining("only letters");
    assertThatThrownBy(() -> AgentWay.cacheDir("/")).hasMessageContaining("a directory of its own");
    assertThatThrownBy(() -> AgentWay.cacheDir("~/"))
        .hasMessageContaining("a directory of its own");
  }

  @Test
  void theCleanUpRemovesOnlyOtherAgentJarsOfOurNaming() throws Exception {
    Path cache = Files.createDirectory(dir.resolve("cache dir 'quoted'"));
    Path outside = Files.writeString(dir.resolve("outside.jar"), "not ours");
    for (String name :
        List.of(
            OLD,
            KEEP,
            "agent-1234.jar",
            "agent-0123456789ABCDEF.jar",
            "agent-0123456789abcdef.jar.bak",
            "my-agent-0123456789abcdef.jar",
            "notes.txt")) {
      Files.writeString(cache.resolve(name), name);
    }
    Files.createSymbolicLink(cache.resolve("agent-1111111111111111.jar"), outside);
    Files.createDirectory(cache.resolve("agent-2222222222222222.jar"));

    Process sh =
        new ProcessBuilder("sh", "-c", AgentWay.removeOthers(cache.toString(), KEEP))
            .redirectErrorStream(true)
            .start();
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).as(new String(sh.getInputStream().readAllBytes())).isZero();
    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              KEEP,
              "agent-1234.jar",
              "agent-0123456789ABCDEF.jar",
              "agent-0123456789abcdef.jar.bak",
              "my-agent-0123456789abcdef.jar",
              "notes.txt",
              "agent-1111111111111111.jar",
              "agent-2222222222222222.jar");
    }
    assertThat(outside).hasContent("not ours");
  }
}
