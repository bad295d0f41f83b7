package io.kickdrift.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one state rule of both CLIs (docs/cli.md). */
class StateDirTest {
  private static final Path HOME = Path.of("/home/ops");

  private static Path resolve(Path option, Map<String, String> env, String user) {
    return StateDir.resolve(option, env, user, HOME).dir();
  }

  @Test
  void theOptionWinsOverEverything() {
    assertThat(
            resolve(
                Path.of("/srv/kd"),
                Map.of("KICKDRIFT_STATE", "/env", "XDG_STATE_HOME", "/xdg"),
                "root"))
        .isEqualTo(Path.of("/srv/kd"));
  }

  @Test
  void thenTheEnvironmentVariable() {
    assertThat(resolve(null, Map.of("KICKDRIFT_STATE", "/env", "XDG_STATE_HOME", "/xdg"), "root"))
        .isEqualTo(Path.of("/env"));
    assertThat(resolve(null, Map.of("KICKDRIFT_STATE", " "), "ops"))
        .as("a blank variable is unset")
        .isEqualTo(HOME.resolve(".local/state/kickdrift"));
  }

  @Test
  void rootKeepsItsStateWhereServicesDo() {
    assertThat(resolve(null, Map.of("XDG_STATE_HOME", "/xdg"), "root"))
        .isEqualTo(Path.of("/var/lib/kickdrift"));
  }

  @Test
  void aUserKeepsItInTheXdgStateDirectory() {
    assertThat(resolve(null, Map.of("XDG_STATE_HOME", "/xdg"), "ops"))
        .isEqualTo(Path.of("/xdg/kickdrift"));
    assertThat(resolve(null, Map.of(), "ops")).isEqualTo(HOME.resolve(".local/state/kickdrift"));
  }

  @Test
  void everyFileHasOneNameInIt() {
    StateDir s = new StateDir(Path.of("/s"));
    assertThat(s.database()).isEqualTo(Path.of("/s/kickdrift.db"));
    assertThat(s.callbackKey()).isEqualTo(Path.of("/s/callback.key"));
    assertThat(s.adminToken()).isEqualTo(Path.of("/s/admin.token"));
    assertThat(s.knownHosts()).isEqualTo(Path.of("/s/known_hosts"));
    assertThat(s.servedRoot()).isEqualTo(Path.of("/s/root"));
    // the names scan used before the rule moved here: existing caches stay valid
    assertThat(s.statCache(Path.of("/"))).isEqualTo(Path.of("/s/statcache-8a5edab282632443"));
    assertThat(s.packageSnapshot(Path.of("/"), true).getFileName().toString())
        .isEqualTo("pkgdb-all-8a5edab282632443");
    assertThat(s.packageSnapshot(Path.of("/"), false).getFileName().toString())
        .isEqualTo("pkgdb-config-8a5edab282632443");
  }
}
