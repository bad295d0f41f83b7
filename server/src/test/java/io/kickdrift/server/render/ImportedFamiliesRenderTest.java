package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian and Ubuntu distros (from kickdrift import) boot, but have no kickstart template. */
class ImportedFamiliesRenderTest {
  private static final String INVENTORY =
      """
      server: {address: 192.0.2.10}
      distros:
        - name: debian12
          family: debian
          version: "12"
          kernel: distros/debian12/vmlinuz
          initrd: distros/debian12/initrd.img
          install-tree: http://deb.debian.org/debian
      profiles:
        - {name: deb, distro: debian12}
      subnets:
        - {network: 192.0.2.0/25, next-server: 192.0.2.10}
      hosts:
        - name: d1.lab.example.com
          profile: deb
          netboot: true
          interfaces: [{name: eth0, mac: 52:54:00:00:00:01, ip: 192.0.2.31}]
      """;

  @Test
  void aDebianHostGetsAClearKickstartErrorButItsMenus(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, INVENTORY);
    SiteModel site = Fixtures.site(file);
    HostModel host = site.hosts().get(0);
    TreeRenderer renderer = new TreeRenderer(new Templates(null));
    assertThatThrownBy(() -> renderer.renderKickstart(site, host))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith(
            "no kickstart template for family debian; host d1.lab.example.com uses distro"
                + " debian12");
    assertThatThrownBy(() -> renderer.render(site))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("no kickstart template for family debian;");
    for (TreeRenderer.Menu menu : TreeRenderer.Menu.values()) {
      assertThat(renderer.renderMenu(site, host, host.nics().get(0), menu))
          .as(menu.name())
          .contains("distros/debian12/vmlinuz");
    }
  }
}
