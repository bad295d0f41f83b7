package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryLoader;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The installed GRUB's command (from the loaders manifest) in the rendered GRUB menus. */
class LoadersGrubMenuTest {
  private static final String R8 = "grub/grub.cfg-01-52-54-00-00-08-01";
  private static final String A9 = "grub/grub.cfg-01-52-54-00-00-09-01";

  private static SortedMap<String, byte[]> render(Inventory inventory) throws Exception {
    SiteModel site = Models.site(inventory, "sites.yaml", Fixtures.TOKENS);
    return new TreeRenderer(new Templates(null)).render(site);
  }

  private static Inventory sites() throws Exception {
    return InventoryLoader.load(Fixtures.resource("sites.yaml"));
  }

  @Test
  void withoutAManifestTheGuessApplies() throws Exception {
    SortedMap<String, byte[]> tree = render(sites());
    assertThat(Fixtures.text(tree, R8)).contains("  linuxefi ").contains("  initrdefi ");
    assertThat(Fixtures.text(tree, A9)).contains("  linux ").contains("  initrd ");
  }

  static Stream<Arguments> manifests() {
    return Stream.of(
        arguments("linuxefi", List.of("  linuxefi ", "  initrdefi "), List.of("  linux ")),
        arguments("linux", List.of("  linux ", "  initrd "), List.of("linuxefi", "initrdefi")));
  }

  @ParameterizedTest(name = "a manifest saying {0} yields {0}")
  @MethodSource("manifests")
  void aManifestSayingACommandYieldsItInEveryMenu(
      String installed, List<String> present, List<String> absent) throws Exception {
    SortedMap<String, byte[]> tree = render(sites().withInstalledGrubLinux(installed));
    for (String menu : List.of(R8, A9)) {
      assertThat(Fixtures.text(tree, menu)).as(menu).contains(present).doesNotContain(absent);
    }
  }

  @Test
  void aDistrosOwnGrubLinuxStillWins() throws Exception {
    Inventory loaded = sites();
    List<Distro> distros =
        loaded.distros().stream()
            .map(d -> d.name().equals("alma9") ? d.withGrubLinux("linuxefi") : d)
            .toList();
    Inventory explicit =
        new Inventory(
            loaded.server(),
            loaded.defaults(),
            distros,
            loaded.profiles(),
            loaded.hosts(),
            loaded.subnets(),
            loaded.dns());
    SortedMap<String, byte[]> tree = render(explicit.withInstalledGrubLinux("linux"));
    assertThat(Fixtures.text(tree, A9)).contains("  linuxefi ").contains("  initrdefi ");
    assertThat(Fixtures.text(tree, R8)).contains("  linux ").doesNotContain("linuxefi");
  }
}
