package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionerTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final String WEB01 = "web01.lab.example.com";
  private final CallbackTokens tokens = new CallbackTokens(new byte[32]);
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private Provisioner provisioner(Path inventory, StateStore state) throws Exception {
    return new Provisioner(
        inventory,
        inv -> inv,
        tokens,
        new TreeRenderer(new Templates(null)),
        state,
        Clock.systemUTC(),
        log::add);
  }

  /** Rewrites the file and moves its mtime, so the next check sees a change. */
  private static void edit(Path file, String from, String to, int second) throws Exception {
    Files.writeString(file, Files.readString(file).replace(from, to));
    Files.setLastModifiedTime(
        file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z").plusSeconds(second)));
    Thread.sleep(1100); // the provisioner looks at the file at most once a second
  }

  @Test
  void anEditedInventoryIsServedAndABrokenEditKeepsTheLastGoodOne(@TempDir Path dir)
      throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.copy(EXAMPLE, inventory);
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"))) {
      Provisioner p = provisioner(inventory, state);
      String token = tokens.token(WEB01);
      assertThat(p.kickstart(WEB01, token).orElseThrow()).contains("timezone UTC --utc");

      edit(inventory, "timezone: UTC", "timezone: Europe/Berlin", 1);
      assertThat(p.kickstart(WEB01, token).orElseThrow()).contains("timezone Europe/Berlin --utc");
      assertThat(log).anyMatch(l -> l.contains("reloaded: 3 hosts"));

      edit(inventory, "profile: web-rocky9", "profile: nosuch", 2);
      assertThat(p.kickstart(WEB01, token).orElseThrow()).contains("timezone Europe/Berlin --utc");
      assertThat(log)
          .anyMatch(
              l ->
                  l.startsWith("inventory not reloaded: ")
                      && l.contains("unknown profile 'nosuch'"));
    }
  }

  @Test
  void menusFollowTheHostsStateAndUnknownMacsGetNone(@TempDir Path dir) throws Exception {
    try (StateStore state = SqliteStateStore.open(dir)) {
      Provisioner p = provisioner(EXAMPLE, state);
      String path = "pxelinux.cfg/01-52-54-00-12-34-01";
      assertThat(text(p.menu(path, "tftp 192.0.2.21").orElseThrow())).contains("DEFAULT install");
      assertThat(p.installed(WEB01, "0".repeat(32), "192.0.2.21"))
          .isEqualTo(Provisioner.Callback.BAD_TOKEN);
      assertThat(p.installed("nosuch", tokens.token("nosuch"), "192.0.2.21"))
          .isEqualTo(Provisioner.Callback.UNKNOWN_HOST);
      assertThat(p.installed(WEB01, tokens.token(WEB01), "192.0.2.21"))
          .isEqualTo(Provisioner.Callback.INSTALLED);
      assertThat(text(p.menu("/" + path, "tftp 192.0.2.21").orElseThrow()))
          .contains("DEFAULT local");
      assertThat(text(p.menu("PXELINUX.CFG/01-52-54-00-12-34-01", "tftp 192.0.2.21").orElseThrow()))
          .contains("DEFAULT local");
      assertThat(p.menu("pxelinux.cfg/01-aa-bb-cc-dd-ee-ff", "tftp 192.0.2.21")).isEmpty();
      assertThat(p.menu("pxelinux.cfg/C000021", "tftp 192.0.2.21")).isEmpty();
      assertThat(p.menu("images/vmlinuz", "tftp 192.0.2.21")).isEmpty();
      assertThat(text(p.menu("grub/grub.cfg-52:54:00:12:34:01", "tftp 192.0.2.21").orElseThrow()))
          .contains("set default=local");
      assertThat(state.events(WEB01, 10))
          .extracting(e -> e.kind() + ": " + e.detail())
          .containsExactly(
              "boot-menu: grub local for 52:54:00:12:34:01 to tftp 192.0.2.21",
              "boot-menu: pxelinux local for 52:54:00:12:34:01 to tftp 192.0.2.21",
              "boot-menu: pxelinux local for 52:54:00:12:34:01 to tftp 192.0.2.21",
              "installed: install finished; callback from 192.0.2.21",
              "callback-refused: wrong token from 192.0.2.21",
              "boot-menu: pxelinux install for 52:54:00:12:34:01 to tftp 192.0.2.21");
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
