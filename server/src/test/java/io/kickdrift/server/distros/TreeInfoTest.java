package io.kickdrift.server.distros;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.server.inventory.Family;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TreeInfoTest {
  static final String KERNEL_SUM =
      "5b4ad4a7e8b8e1c1e3f0f0b4b2f0c0d9a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";
  static final String INITRD_SUM =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  /** As productmd writes it for Rocky Linux 9 (BaseOS), shortened. */
  static final String ROCKY9 =
      """
      [checksums]
      images/efiboot.img = sha256:1c5a0c4ea7d4f0a6b8d8e7f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e
      images/install.img = sha256:2d6b1d5fb8e5a1b7c9e9f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f
      images/pxeboot/initrd.img = sha256:%s
      images/pxeboot/vmlinuz = sha256:%s

      [general]
      ; WARNING.0 = This section provides compatibility with pre-productmd treeinfos.
      ; WARNING.1 = Read productmd documentation for details about new format.
      arch = x86_64
      family = Rocky Linux
      name = Rocky Linux 9.4
      packagedir = Packages
      platforms = x86_64,xen
      repository = .
      timestamp = 1714846335
      variant = BaseOS
      variants = BaseOS
      version = 9.4

      [header]
      type = productmd.treeinfo
      version = 1.2

      [images-x86_64]
      efiboot.img = images/efiboot.img
      initrd = images/pxeboot/initrd.img
      kernel = images/pxeboot/vmlinuz

      [images-xen]
      initrd = images/pxeboot/initrd.img
      kernel = images/pxeboot/vmlinuz

      [release]
      name = Rocky Linux
      short = Rocky
      version = 9.4

      [stage2]
      mainimage = images/install.img

      [tree]
      arch = x86_64
      build_timestamp = 1714846335
      platforms = x86_64,xen
      variants = BaseOS

      [variant-BaseOS]
      id = BaseOS
      name = BaseOS
      packages = Packages
      repository = .
      type = variant
      uid = BaseOS
      """
          .formatted(INITRD_SUM, KERNEL_SUM);

  static final String FEDORA41 =
      """
      [header]
      type = productmd.treeinfo
      version = 1.2

      [release]
      name = Fedora
      short = Fedora
      version = 41

      [tree]
      arch = aarch64
      build_timestamp = 1729177355
      platforms = aarch64
      variants = Everything

      [images-aarch64]
      efiboot.img = images/efiboot.img
      initrd = images/pxeboot/initrd.img
      kernel = images/pxeboot/vmlinuz

      [checksums]
      images/pxeboot/vmlinuz = sha256:%s
      """
          .formatted(KERNEL_SUM);

  static final String RHEL7 =
      """
      [general]
      name = Red Hat Enterprise Linux 7.9
      family = Red Hat Enterprise Linux
      timestamp = 1598476335.2
      variant = Server
      version = 7.9
      packagedir =
      arch = x86_64

      [stage2]
      mainimage = LiveOS/squashfs.img

      [images-x86_64]
      kernel = images/pxeboot/vmlinuz
      initrd = images/pxeboot/initrd.img
      boot.iso = images/boot.iso

      [images-xen]
      kernel = images/pxeboot/vmlinuz
      initrd = images/pxeboot/initrd.img

      [checksums]
      images/pxeboot/initrd.img = sha256:%s
      images/pxeboot/vmlinuz = sha256:%s
      """
          .formatted(INITRD_SUM, KERNEL_SUM);

  static Stream<Arguments> trees() {
    return Stream.of(
        Arguments.of(Named.of("rocky9", ROCKY9), Family.ROCKY, "9.4", "x86_64"),
        Arguments.of(Named.of("fedora41 on arm", FEDORA41), Family.FEDORA, "41", "aarch64"),
        Arguments.of(Named.of("rhel7, general section only", RHEL7), Family.RHEL, "7.9", "x86_64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trees")
  void familyVersionAndArch(String treeinfo, Family family, String version, String arch)
      throws Exception {
    TreeInfo info = TreeInfo.parse(treeinfo);
    assertThat(info.family()).isEqualTo(family);
    assertThat(info.version()).isEqualTo(version);
    assertThat(info.arch()).isEqualTo(arch);
  }

  @Test
  void rocky9() throws Exception {
    TreeInfo info = TreeInfo.parse(ROCKY9);
    assertThat(info.familyName()).isEqualTo("Rocky Linux");
    assertThat(info.images())
        .containsOnlyKeys("x86_64", "xen")
        .containsEntry(
            "x86_64", new TreeInfo.Images("images/pxeboot/vmlinuz", "images/pxeboot/initrd.img"));
    assertThat(info.checksums())
        .hasSize(4)
        .containsEntry("images/pxeboot/vmlinuz", new Checksum("sha256", KERNEL_SUM));
    Layout layout = Layout.fromTreeInfo(info);
    assertThat(layout.kernel()).isEqualTo("images/pxeboot/vmlinuz");
    assertThat(layout.initrdSum()).contains(new Checksum("sha256", INITRD_SUM));
  }

  @Test
  void fedora41OnArmWithOneChecksum() throws Exception {
    Layout layout = Layout.fromTreeInfo(TreeInfo.parse(FEDORA41));
    assertThat(layout.kernelSum()).isPresent();
    assertThat(layout.initrdSum()).isEmpty();
  }

  @Test
  void rhel7GeneralSectionOnly() throws Exception {
    assertThat(TreeInfo.parse(RHEL7).imagesFor("x86_64")).isPresent();
  }

  @Test
  void almaAndRhelNamesMap() throws Exception {
    String alma = FEDORA41.replace("name = Fedora", "name = AlmaLinux");
    assertThat(TreeInfo.parse(alma).family()).isEqualTo(Family.ALMA);
    String rhel = FEDORA41.replace("name = Fedora", "name = Red Hat Enterprise Linux");
    assertThat(TreeInfo.parse(rhel).family()).isEqualTo(Family.RHEL);
  }

  @Test
  void anUnknownFamilyNamesItsLine() {
    String centos = FEDORA41.replace("name = Fedora", "name = CentOS Stream");
    assertThatThrownBy(() -> TreeInfo.parse(centos))
        .isInstanceOf(TreeInfoException.class)
        .hasMessage(
            ".treeinfo:6: unknown family 'CentOS Stream'; expected Red Hat Enterprise Linux,"
                + " Rocky Linux, AlmaLinux or Fedora");
  }

  /** A .treeinfo that is not one, and the message naming its line. */
  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        Arguments.of("[header]\ntype productmd\n", "2: 'type productmd'; expected KEY = VALUE"),
        Arguments.of("# c\nname = x\n", "2: a key before any section; expected [SECTION] first"),
        Arguments.of("[a]\n[a\n", "2: '[a' is not a section header; expected [NAME]"),
        Arguments.of("[a]\nk = 1\n[a]\n", "3: section [a] given twice"),
        Arguments.of("[a]\nk = 1\nk = 2\n", "3: key 'k' given twice in its section"),
        Arguments.of(
            "[a]\nk = 1\n  more\n", "3: indented line; expected KEY = VALUE or [SECTION]"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("syntaxErrors")
  void syntaxErrorsNameTheLine(String treeinfo, String problem) {
    assertThatThrownBy(() -> TreeInfo.parse(treeinfo)).hasMessage(".treeinfo:" + problem);
  }

  @Test
  void missingFieldsAreNamed() {
    assertThatThrownBy(() -> TreeInfo.parse("[header]\ntype = productmd.treeinfo\n"))
        .hasMessageStartingWith(".treeinfo:3: no [release] name or [general] family");
    String noArch = FEDORA41.replace("arch = aarch64\n", "");
    assertThatThrownBy(() -> TreeInfo.parse(noArch))
        .hasMessageContaining("no [tree] or [general] arch; expected the tree's architecture");
  }

  @Test
  void checksumsAreAlgorithmColonHex() throws Exception {
    assertThatThrownBy(() -> TreeInfo.parse(FEDORA41.replace("sha256:" + KERNEL_SUM, "sha256:abc")))
        .hasMessage(".treeinfo:22: 'abc' is not 64 hex digits");
    assertThatThrownBy(() -> TreeInfo.parse(FEDORA41.replace("sha256:", "crc32:")))
        .hasMessageStartingWith(".treeinfo:22: unknown checksum algorithm 'crc32'");
    assertThatThrownBy(() -> TreeInfo.parse(FEDORA41.replace("sha256:", "")))
        .hasMessageStartingWith(".treeinfo:22: '" + KERNEL_SUM + "' is not ALGORITHM:HEX");
    String upper = FEDORA41.replace("sha256:" + KERNEL_SUM, "SHA256:" + KERNEL_SUM.toUpperCase());
    assertThat(TreeInfo.parse(upper).checksums().get("images/pxeboot/vmlinuz"))
        .isEqualTo(new Checksum("sha256", KERNEL_SUM));
  }

  @Test
  void imagesOutsideTheTreeAreRefused() throws Exception {
    TreeInfo info = TreeInfo.parse(FEDORA41.replace("images/pxeboot/vmlinuz", "../../etc/x"));
    assertThatThrownBy(() -> Layout.fromTreeInfo(info))
        .isInstanceOf(ImportException.class)
        .hasMessageContaining("'../../etc/x' leaves the tree");
  }

  @Test
  void netbootVersionTexts() {
    assertThat(Layout.debianVersion("Debian version:  12 (bookworm)\nInstaller build: 2023\n"))
        .contains("12");
    assertThat(
            Layout.ubuntuVersion(
                "Ubuntu-Server 24.04.1 LTS \"Noble Numbat\" - Release amd64 (20240827)"))
        .contains("24.04.1");
    assertThat(Layout.debianVersion("nothing here")).isEmpty();
  }
}
