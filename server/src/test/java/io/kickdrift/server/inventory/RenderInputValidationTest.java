package io.kickdrift.server.inventory;

import static io.kickdrift.server.inventory.InventoryLoaderTest.R9;
import static io.kickdrift.server.inventory.InventoryLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks that keep inventory values from breaking out of the kickstarts and menus they are
 * written into, and plain-text passwords out of both.
 */
class RenderInputValidationTest {

  @Test
  void aPlainTextRootPasswordIsRefusedWhereverItIsSet() {
    assertThat(problems("defaults:\n  variables:\n    root-password: hunter2\n"))
        .containsExactly(
            "inv.yaml:3:5: defaults.variables.root-password: plain-text passwords are not"
                + " accepted; put the SHA-512 crypt hash that `kickdrift passwd` prints in"
                + " root-password-hash");
  }

  @Test
  void aRootPasswordHashMustBeSha512Crypt() {
    List<String> problems =
        problems(
            "defaults:\n  variables:\n    root-password-hash: $1$abc$0123456789012345678901\n");
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("inv.yaml:3:5: defaults.variables.root-password-hash: not a SHA-512 crypt");
  }

  @Test
  void aGoodHashPasses() throws Exception {
    Inventory inventory =
        InventoryLoader.parseYaml(
            "inv.yaml",
            "defaults:\n  variables:\n    root-password-hash: '$6$goldensalt$706Yy5bdnhG2zEozJWo75Xq"
                + ".wWwLC9PrVwYiKvBnB5ycXKyv991o4VhenP3DNHvBJmhVhX4JT3/A7Ydx3eEXy/'\n");
    assertThat(inventory.defaults().variables()).containsKey("root-password-hash");
  }

  @Test
  void aVariableMayNotSpanLines() {
    assertThat(
            problems(
                R9
                    + "profiles:\n  - name: p\n    distro: r9\n    variables:\n"
                    + "      lang: \"en_US\\n%post\\nrm -rf /\\n%end\"\n"))
        .containsExactly(
            "inv.yaml:12:7: profiles[0].variables.lang: has U+000A (LINE FEED (LF)) at character"
                + " 6; expected one line of text without control or format characters");
  }

  @Test
  void kernelPackagesAndReposAreSingleWords() {
    List<String> problems =
        problems(
            R9.replace("kernel: k", "kernel: \"k initrd=evil\"")
                + "profiles:\n  - name: p\n    distro: r9\n    packages: [\"a b\"]\n"
                + "    repos:\n      - {name: x, baseurl: \"http://m/ --noverifyssl\"}\n");
    assertThat(problems)
        .containsExactly(
            "inv.yaml:5:5: distros[0].kernel: 'k initrd=evil' has U+0020 (SPACE) at character 2;"
                + " expected an http, https or tftp URL (at most 1024 of A-Z a-z 0-9 - . _ ~ : /"
                + " @ ! ( ) + , = %), or a path under the TFTP root",
            "inv.yaml:11:16: profiles[0].packages[0]: 'a b' has U+0020 (SPACE) at character 2;"
                + " expected a package, @group or -package: 1 to 256 of A-Z a-z 0-9 . _ + * ? :"
                + " / @ ^ -",
            "inv.yaml:13:19: profiles[0].repos[0].baseurl: 'http://m/ --noverifyssl' has U+0020"
                + " (SPACE) at character 10; expected an http, https, ftp or nfs URL: at most"
                + " 1024 of A-Z a-z 0-9 - . _ ~ : / @ ! ( ) + , = %");
  }

  @Test
  void grubLinuxIsLinuxOrLinuxefi() {
    assertThat(problems(R9 + "    grub-linux: kernel\n"))
        .containsExactly(
            "inv.yaml:8:5: distros[0].grub-linux: 'kernel'; expected linux or linuxefi");
  }

  @Test
  void theScanKeyIsOneOpenSshPublicKeyLine() {
    assertThat(problems("server:\n  scan-key: \"ssh-ed25519 AAAA\\\" --evil\"\n"))
        .singleElement()
        .asString()
        .startsWith("inv.yaml:2:3: server.scan-key: not an OpenSSH public key");
    assertThat(problems("server:\n  address: 192.0.2.300\n"))
        .singleElement()
        .asString()
        .startsWith("inv.yaml:2:3: server.address: malformed IPv4 address");
  }

  @Test
  void serverPortsAreChecked() {
    assertThat(problems("server:\n  http-port: 70000\n"))
        .containsExactly("inv.yaml:1:1: server: http-port 70000; expected 1 to 65535");
  }
}
