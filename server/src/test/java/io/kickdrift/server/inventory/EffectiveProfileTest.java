package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EffectiveProfileTest {
  private static final String TEXT =
      """
      distros:
        - {name: r8, family: rocky, version: "8", kernel: k, initrd: i, install-tree: http://t/}
        - {name: r9, family: rocky, version: "9.4", kernel: k, initrd: i, install-tree: http://t/}
      profiles:
        - name: root
          distro: r8
          kickstart: site.ks.ftl
          partitioning: autopart
          packages: [a, b, -c]
          repos: [{name: x, baseurl: http://x/root}, {name: y, baseurl: http://y/}]
        - name: mid
          parent: root
          distro: r9
          packages: [-b, c]
          repos: [{name: x, baseurl: http://x/mid}]
        - name: leaf
          parent: mid
          partitioning: "part / --size=1 --grow"
          packages: [d]
      """;

  @Test
  void nearestWinsListsAccumulateAndRemovalsReplaceAdditions() throws Exception {
    Inventory inventory = InventoryLoader.parseYaml("inv.yaml", TEXT);
    EffectiveProfile leaf = inventory.effective(inventory.profile("leaf").orElseThrow());
    assertThat(leaf.distro().name()).isEqualTo("r9");
    assertThat(leaf.kickstart()).isEqualTo("site.ks.ftl");
    assertThat(leaf.partitioning()).isEqualTo("part / --size=1 --grow");
    assertThat(leaf.packages()).containsExactly("a", "-b", "c", "d");
    assertThat(leaf.repos())
        .containsExactly(new Repo("x", "http://x/mid"), new Repo("y", "http://y/"));
  }

  @Test
  void grubCommandsFollowTheFamilyUnlessGiven() throws Exception {
    Inventory inventory = InventoryLoader.parseYaml("inv.yaml", TEXT);
    assertThat(inventory.distro("r8").orElseThrow().grubLinuxCommand()).isEqualTo("linuxefi");
    assertThat(inventory.distro("r8").orElseThrow().grubInitrdCommand()).isEqualTo("initrdefi");
    assertThat(inventory.distro("r9").orElseThrow().grubLinuxCommand()).isEqualTo("linux");
    assertThat(inventory.distro("r9").orElseThrow().major()).isEqualTo(9);
    Inventory given =
        InventoryLoader.parseYaml(
            "inv.yaml",
            TEXT.replace("version: \"9.4\",", "version: \"9.4\", grub-linux: linuxefi,"));
    assertThat(given.distro("r9").orElseThrow().grubLinuxCommand()).isEqualTo("linuxefi");
  }
}
