package io.kickdrift.server.render;

import static io.kickdrift.server.render.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeRendererTest {
  private static SortedMap<String, byte[]> tree;

  @BeforeAll
  static void render() throws Exception {
    tree = Fixtures.render(Fixtures.resource("sites.yaml"), null);
  }

  @Test
  void everyHostGetsAKickstartAndEveryInterfaceEveryMenu() {
    assertThat(tree.keySet())
        .contains(
            "kickstarts/r8.lab.example.com.ks",
            "kickstarts/a9.lab.example.com.ks",
            "kickstarts/r10.dmz.example.com.ks",
            "kickstarts/f41.dmz.example.com.ks",
            "pxelinux.cfg/default",
            "grub/grub.cfg",
            "ipxe/boot.ipxe",
            "dhcp/dhcpd.conf",
            "dhcp/kea-dhcp4.conf",
            "dhcp/dnsmasq.conf");
    for (String mac :
        new String[] {
          "52-54-00-00-08-01", "52-54-00-00-09-01", "52-54-00-00-09-02",
          "52-54-00-00-09-03", "52-54-00-00-10-01", "52-54-00-00-41-01"
        }) {
      assertThat(tree)
          .containsKeys(
              "pxelinux.cfg/01-" + mac,
              "grub/grub.cfg-01-" + mac,
              "grub/grub.cfg-" + mac.replace('-', ':'),
              "ipxe/01-" + mac + ".ipxe");
    }
    // 4 kickstarts, 6 interfaces x 4 menu files, 3 default menus, 3 DHCP configs
    assertThat(tree).hasSize(4 + 6 * 4 + 3 + 3);
  }

  @Test
  void netbootHostsGetTheInstallerWithTheirTokenOthersTheLocalDisk() {
    String pxe = text(tree, "pxelinux.cfg/01-52-54-00-00-08-01");
    assertThat(pxe).contains("DEFAULT install", "BOOTIF=01-52-54-00-00-08-01");
    Matcher m =
        Pattern.compile("inst.ks=http://192.0.2.10/ks/r8.lab.example.com/(\\w+)").matcher(pxe);
    assertThat(m.find()).isTrue();
    assertThat(m.group(1))
        .isEqualTo(Fixtures.token("r8.lab.example.com"))
        .isNotEqualTo(Fixtures.token("a9.lab.example.com"));

    for (String path :
        new String[] {
          "pxelinux.cfg/01-52-54-00-00-10-01",
          "grub/grub.cfg-01-52-54-00-00-10-01",
          "ipxe/01-52-54-00-00-10-01.ipxe",
          "pxelinux.cfg/default",
          "grub/grub.cfg"
        }) {
      assertThat(text(tree, path)).as(path).doesNotContain("inst.ks", "vmlinuz");
    }
    assertThat(text(tree, "pxelinux.cfg/01-52-54-00-00-10-01")).contains("DEFAULT local");
    assertThat(text(tree, "grub/grub.cfg-01-52-54-00-00-10-01")).contains("set default=local");
  }

  @Test
  void grubLoadsTheKernelAsTheDistrosGrubNeeds() {
    assertThat(text(tree, "grub/grub.cfg-01-52-54-00-00-08-01"))
        .contains("  linuxefi (http,192.0.2.10)/trees/rocky8/images/pxeboot/vmlinuz ")
        .contains("  initrdefi (http,192.0.2.10)/trees/rocky8/images/pxeboot/initrd.img");
    assertThat(text(tree, "grub/grub.cfg-01-52-54-00-00-41-01"))
        .contains("  linux (http,192.0.2.10)/trees/fedora41/images/pxeboot/vmlinuz ")
        .contains("  initrd (http,192.0.2.10)/trees/fedora41/images/pxeboot/initrd.img")
        .doesNotContain("linuxefi");
  }

  @Test
  void aKernelUnderTheTftpRootIsFetchedFromTheTftpServer() throws Exception {
    // r10 has netboot off; render its menus as if on to see the paths.
    SiteModel site = Fixtures.site(Fixtures.resource("sites.yaml"));
    HostModel r10 = site.hosts().stream().filter(h -> h.name().startsWith("r10")).findFirst().get();
    assertThat(r10.kernel())
        .isEqualTo(
            new BootImage(
                "/images/rhel10/vmlinuz",
                "/images/rhel10/vmlinuz",
                "tftp://192.0.2.10/images/rhel10/vmlinuz"));
  }

  @Test
  void profilesInheritPackagesAndReposAlongTheirChain() {
    String ks = text(tree, "kickstarts/a9.lab.example.com.ks");
    assertThat(ks)
        .contains("#version=RHEL9")
        .contains(
            "repo --name=appstream-mirror --baseurl=http://192.0.2.10/mirror/alma9/AppStream/")
        .contains("repo --name=epel --baseurl=http://192.0.2.10/mirror/epel9/")
        .contains("selinux --permissive")
        .contains("%packages\n@core\nchrony\nnginx\n-postfix\n%end\n");
  }

  @Test
  void eachFamilyDeclaresItsSyntaxVersion() {
    assertThat(text(tree, "kickstarts/r8.lab.example.com.ks")).startsWith("#version=RHEL8\n");
    assertThat(text(tree, "kickstarts/r10.dmz.example.com.ks")).startsWith("#version=RHEL10\n");
    assertThat(text(tree, "kickstarts/f41.dmz.example.com.ks")).startsWith("#version=F41\n");
  }

  @Test
  void rootPasswordOnlyAsACryptHashAndTheScanKeyAuthorised() {
    String ks = text(tree, "kickstarts/f41.dmz.example.com.ks");
    assertThat(ks)
        .contains("rootpw --iscrypted $6$goldensalt$")
        .contains("sshkey --username=root \"ssh-ed25519 AAAAC3Nza")
        .contains("-X POST \"http://192.0.2.10/callback/f41.dmz.example.com/");
  }

  @Test
  void withoutAHashRootIsLocked() throws Exception {
    SortedMap<String, byte[]> example = Fixtures.render(Fixtures.example(), null);
    assertThat(text(example, "kickstarts/web01.lab.example.com.ks"))
        .contains("\nrootpw --lock\n")
        .doesNotContain("--plaintext");
  }

  @Test
  void withoutTheIpxeScriptTheDhcpConfigsHaveNoIpxeRule(@TempDir Path dir) throws Exception {
    Path inventory = Fixtures.sitesWith(dir, "server:\n", "  ipxe-script: false\n");
    SortedMap<String, byte[]> noIpxe = Fixtures.render(inventory, null);

    assertThat(text(tree, "dhcp/dhcpd.conf")).contains("option user-class = \"iPXE\"");
    assertThat(text(noIpxe, "dhcp/dhcpd.conf"))
        .doesNotContain("iPXE\"", "/ipxe/boot.ipxe")
        .contains("if option arch = 00:07 or option arch = 00:09 {", "filename \"pxelinux.0\";");
    assertThat(text(noIpxe, "dhcp/dnsmasq.conf"))
        .doesNotContain("dhcp-userclass", "/ipxe/boot.ipxe")
        .contains("tag:!efi-x86_64,tag:!efi-arm64,pxelinux.0");
    assertThat(text(noIpxe, "dhcp/kea-dhcp4.conf"))
        .doesNotContain("member('ipxe')", "/ipxe/boot.ipxe")
        .contains("\"test\": \"option[93].hex == 0x0000\"");
  }
}
