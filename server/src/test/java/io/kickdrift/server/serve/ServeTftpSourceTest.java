package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.SqliteStateStore;
import io.kickdrift.server.state.StateStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which TFTP requests serve puts first when TFTP is busy: known machines' own menus. */
class ServeTftpSourceTest {
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.21", 2070);

  @Test
  void aKnownMacsMenuIsPriorityAndNothingElseIs(@TempDir Path dir) throws Exception {
    try (StateStore state = SqliteStateStore.open(dir.resolve("state"))) {
      Provisioner p =
          new Provisioner(
              EXAMPLE,
              inv -> inv,
              new CallbackTokens(new byte[32]),
              new TreeRenderer(new Templates(null)),
              state,
              Clock.systemUTC(),
              line -> {});
      ServeTftpSource source = new ServeTftpSource(p, dir.resolve("root"));
      // web01's MAC, as pxelinux, GRUB (both spellings) and iPXE ask for its menu
      for (String path :
          new String[] {
            "pxelinux.cfg/01-52-54-00-12-34-01",
            "/pxelinux.cfg/01-52-54-00-12-34-01",
            "grub/grub.cfg-01-52-54-00-12-34-01",
            "grub/grub.cfg-52:54:00:12:34:01",
            "ipxe/01-52-54-00-12-34-01.ipxe",
            "PXELINUX.CFG/01-52-54-00-12-34-01"
          }) {
        assertThat(source.priority(path, CLIENT)).as(path).isTrue();
      }
      for (String path :
          new String[] {
            "pxelinux.cfg/01-52-54-00-99-99-99", // a MAC the inventory does not list
            "pxelinux.cfg/default",
            "grub/grub.cfg",
            "pxelinux.0",
            "pxelinux.cfg/01-52-54-00-12-34-01/../../big.img"
          }) {
        assertThat(source.priority(path, CLIENT)).as(path).isFalse();
      }
    }
  }
}
