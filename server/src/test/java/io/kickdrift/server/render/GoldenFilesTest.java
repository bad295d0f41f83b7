package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered files of sites.yaml against golden copies under src/test/resources/render/golden: a
 * kickstart of each family and every menu kind. After an intended change, regenerate with {@code
 * mvn -pl server test -Dtest=GoldenFilesTest -Dkickdrift.golden.update=true} and review the diff.
 */
class GoldenFilesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/render/golden");
  private static SortedMap<String, byte[]> tree;

  @BeforeAll
  static void render() throws Exception {
    tree = Fixtures.render(Fixtures.resource("sites.yaml"), null);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kickstarts/r8.lab.example.com.ks",
        "kickstarts/a9.lab.example.com.ks",
        "kickstarts/r10.dmz.example.com.ks",
        "kickstarts/f41.dmz.example.com.ks",
        "pxelinux.cfg/01-52-54-00-00-09-01",
        "pxelinux.cfg/01-52-54-00-00-10-01",
        "pxelinux.cfg/default",
        "grub/grub.cfg-01-52-54-00-00-08-01",
        "grub/grub.cfg-01-52-54-00-00-10-01",
        "grub/grub.cfg",
        "ipxe/01-52-54-00-00-41-01.ipxe",
        "ipxe/boot.ipxe",
        "dhcp/dhcpd.conf",
        "dhcp/kea-dhcp4.conf",
        "dhcp/dnsmasq.conf"
      })
  void matchesGolden(String path) throws Exception {
    String rendered = Fixtures.text(tree, path);
    Path golden = GOLDEN.resolve(path.replace('/', '_'));
    if (Boolean.getBoolean("kickdrift.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file; create with -Dkickdrift.golden.update=true").exists();
    assertThat(rendered).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
