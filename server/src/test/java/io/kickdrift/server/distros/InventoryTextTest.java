package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.Family;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class InventoryTextTest {
  static final Distro DEB =
      new Distro(
          "debian12",
          Family.DEBIAN,
          "12",
          "x86_64",
          "distros/debian12/vmlinuz",
          "distros/debian12/initrd.img",
          "http://deb.debian.org/debian",
          null);

  /** The inventory entry of the Debian 12 netboot tree, as import writes it. */
  public static final String ENTRY =
      """
        - name: debian12
          family: debian
          version: "12"
          arch: x86_64
          kernel: distros/debian12/vmlinuz
          initrd: distros/debian12/initrd.img
          install-tree: http://deb.debian.org/debian
      """;

  static final String SITE =
      """
      # the lab   \s
      distros:
        # Rocky, from the local mirror
        - name: rocky9
          family: rocky   # keep this comment
          version: '9'
          kernel: http://192.0.2.10/r9/vmlinuz
          initrd: http://192.0.2.10/r9/initrd.img
          install-tree: http://192.0.2.10/r9

        # trailing comment of the list
      profiles:
        - {name: base, distro: rocky9}
      """;

  @Test
  void appendsAfterTheLastItemKeepingEverythingElse() throws Exception {
    String after = InventoryText.withDistro(SITE, DEB, false);
    int cut = SITE.indexOf("\n\n  # trailing") + 1;
    assertThat(after).isEqualTo(SITE.substring(0, cut) + ENTRY + SITE.substring(cut));
    assertThat(load(after).distros())
        .extracting(Distro::name)
        .containsExactly("rocky9", "debian12");
    assertThat(load(after).distros().get(1)).isEqualTo(DEB);
  }

  @Test
  void withoutADistrosKeyOneIsAdded() {
    assertThat(InventoryText.withDistro("hosts: []\n# end", DEB, false))
        .isEqualTo("hosts: []\n# end\ndistros:\n" + ENTRY);
    assertThat(InventoryText.withDistro("distros: []  # none yet\nhosts: []\n", DEB, false))
        .isEqualTo("distros:\n" + ENTRY + "hosts: []\n");
  }

  @Test
  void itemsAtColumnZeroKeepTheirIndentation() {
    String text = "distros:\n- name: a\n  family: rocky\nhosts: []\n";
    assertThat(InventoryText.withDistro(text, DEB, false))
        .isEqualTo(
            "distros:\n- name: a\n  family: rocky\n"
                + ENTRY.replaceAll("(?m)^  ", "")
                + "hosts: []\n");
  }

  @Test
  void aSameNamedItemIsAnErrorUnlessReplaced() throws Exception {
    String text = InventoryText.withDistro(SITE, DEB, false);
    assertThatThrownBy(() -> InventoryText.withDistro(text, DEB, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line 10: a distro named debian12 is already there");
    Distro newer =
        new Distro(
            "rocky9",
            Family.ROCKY,
            "9.4",
            "x86_64",
            "distros/rocky9/vmlinuz",
            "distros/rocky9/initrd.img",
            "http://192.0.2.10/r9",
            null);
    String replaced = InventoryText.withDistro(text, newer, true);
    assertThat(replaced)
        .startsWith(SITE.substring(0, SITE.indexOf("  - name: rocky9\n")) + "  - name: rocky9\n")
        .contains("version: \"9.4\"")
        .doesNotContain("keep this comment")
        .contains("\n\n  # trailing comment of the list\n");
    assertThat(load(replaced).distros()).containsExactly(newer, DEB);
  }

  @Test
  void aFlowStyleListIsRefused() {
    assertThatThrownBy(() -> InventoryText.withDistro("distros: [{name: a}]\n", DEB, false))
        .hasMessageStartingWith("line 1: distros: is written in flow style");
  }

  @Test
  void oddValuesAreQuoted() throws Exception {
    Distro odd = new Distro("12", Family.UBUNTU, "24.04", "x86_64", "k", "i", "http://h/a b", null);
    String entry = InventoryText.entry(odd, "");
    assertThat(entry).contains("- name: \"12\"\n").contains("install-tree: \"http://h/a b\"\n");
  }

  @Test
  void prepareValidatesAndCommitsAtomically(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, SITE);
    try (InventoryUpdate update = InventoryUpdate.prepare(file, DEB, false).orElseThrow()) {
      assertThat(Files.readString(file)).isEqualTo(SITE);
      update.commit();
    }
    assertThat(Files.list(dir)).containsExactly(file);
    assertThat(InventoryLoader.load(file).distros()).hasSize(2);
    assertThat(InventoryUpdate.prepare(file, DEB, false)).as("the same distro again").isEmpty();
    Distro other = new Distro("debian12", Family.DEBIAN, "13", null, "k", "i", "http://x", null);
    assertThatThrownBy(() -> InventoryUpdate.prepare(file, other, false))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("already there, different; use --replace");
    Distro bad = new Distro("bad", Family.DEBIAN, "13", null, "k", "i", "http://x y", null);
    assertThatThrownBy(() -> InventoryUpdate.prepare(file, bad, false))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining(file + " (with the import):");
    assertThat(Files.list(dir)).containsExactly(file);
  }

  @Test
  void anImportChecksTheInventoryWithItsHostFilesButNeverAsOneOfThem(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, SITE + "host-files: ['*.yaml']\n");
    Files.writeString(dir.resolve("more.yaml"), "hosts: []\n");
    try (InventoryUpdate update = InventoryUpdate.prepare(file, DEB, false).orElseThrow()) {
      update.commit();
    }
    assertThat(InventoryLoader.load(file).distros()).hasSize(2);
    Files.writeString(dir.resolve("more.yaml"), "hosts: [\n");
    Distro other = new Distro("other", Family.DEBIAN, "13", null, "k", "i", "http://x", null);
    assertThatThrownBy(() -> InventoryUpdate.prepare(file, other, false))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining(dir.resolve("more.yaml") + ":");
  }

  private static Inventory load(String text) throws Exception {
    Path f = Files.createTempFile("inventory", ".yaml");
    try {
      Files.writeString(f, text, StandardCharsets.UTF_8);
      return InventoryLoader.load(f);
    } finally {
      Files.delete(f);
    }
  }
}
