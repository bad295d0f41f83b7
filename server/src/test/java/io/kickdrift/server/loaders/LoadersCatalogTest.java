package io.kickdrift.server.loaders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadersCatalogTest {
  private static final List<String> TARGETS =
      List.of(
          "pxelinux.0",
          "ldlinux.c32",
          "libutil.c32",
          "libcom32.c32",
          "menu.c32",
          "vesamenu.c32",
          "grubx64.efi",
          "shimx64.efi",
          "mmx64.efi",
          "undionly.kpxe",
          "ipxe.efi");

  @Test
  void debianAndItsDerivativesAreRecognised() {
    assertThat(
            OsFamily.fromOsRelease("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"))
        .contains(OsFamily.DEBIAN);
    assertThat(OsFamily.fromOsRelease("ID=ubuntu\nID_LIKE=debian\n")).contains(OsFamily.DEBIAN);
    assertThat(OsFamily.fromOsRelease("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"))
        .contains(OsFamily.DEBIAN);
  }

  @Test
  void theRhelFamilyIsRecognisedByIdOrIdLike() {
    assertThat(OsFamily.fromOsRelease("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"))
        .contains(OsFamily.RHEL);
    assertThat(OsFamily.fromOsRelease("ID=\"almalinux\"\n")).contains(OsFamily.RHEL);
    assertThat(OsFamily.fromOsRelease("ID=fedora\n")).contains(OsFamily.RHEL);
    assertThat(OsFamily.fromOsRelease("ID='ol'\nID_LIKE='fedora'\n")).contains(OsFamily.RHEL);
    assertThat(OsFamily.fromOsRelease("ID=\"RHEL\"\n")).contains(OsFamily.RHEL);
  }

  @Test
  void anUnknownOsHasNoFamily() {
    assertThat(OsFamily.fromOsRelease("ID=arch\n")).isEmpty();
    assertThat(OsFamily.fromOsRelease("NAME=debian\n")).isEmpty();
    assertThat(OsFamily.fromOsRelease("")).isEmpty();
  }

  @Test
  void bothFamiliesLayOutTheFilesTheMenusName() {
    for (OsFamily family : OsFamily.values()) {
      assertThat(Catalog.forFamily(family)).extracting(Wanted::target).isEqualTo(TARGETS);
      assertThat(Catalog.forFamily(family).stream().filter(Wanted::grub))
          .extracting(Wanted::target)
          .containsExactly("grubx64.efi");
    }
  }

  @Test
  void debianTakesTheNetbootSignedGrubAndShimFromTheirPackages() {
    List<Wanted> debian = Catalog.forFamily(OsFamily.DEBIAN);
    assertThat(byTarget(debian, "grubx64.efi"))
        .isEqualTo(
            new Wanted(
                "grubx64.efi",
                List.of("/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed"),
                "grub-efi-amd64-signed",
                true));
    assertThat(byTarget(debian, "shimx64.efi").pkg()).isEqualTo("shim-signed");
    assertThat(byTarget(debian, "ldlinux.c32").sources())
        .containsExactly("/usr/lib/syslinux/modules/bios/ldlinux.c32");
    assertThat(byTarget(debian, "pxelinux.0").pkg()).isEqualTo("pxelinux");
  }

  @Test
  void rhelLooksInEveryVendorDirectoryOfTheEfiPartition() {
    List<Wanted> rhel = Catalog.forFamily(OsFamily.RHEL);
    assertThat(byTarget(rhel, "grubx64.efi").sources())
        .containsExactly(
            "/boot/efi/EFI/redhat/grubx64.efi",
            "/boot/efi/EFI/rocky/grubx64.efi",
            "/boot/efi/EFI/almalinux/grubx64.efi",
            "/boot/efi/EFI/centos/grubx64.efi",
            "/boot/efi/EFI/fedora/grubx64.efi");
    assertThat(byTarget(rhel, "grubx64.efi").pkg()).isEqualTo("grub2-efi-x64");
    assertThat(byTarget(rhel, "shimx64.efi").pkg()).isEqualTo("shim-x64");
    assertThat(byTarget(rhel, "pxelinux.0").sources()).containsExactly("/tftpboot/pxelinux.0");
    assertThat(byTarget(rhel, "ipxe.efi").sources())
        .containsExactly("/usr/share/ipxe/ipxe-x86_64.efi");
    assertThat(byTarget(rhel, "ipxe.efi").pkg()).isEqualTo("ipxe-bootimgs-x86");
  }

  private static Wanted byTarget(List<Wanted> wanted, String target) {
    return wanted.stream().filter(w -> w.target().equals(target)).findFirst().orElseThrow();
  }
}
