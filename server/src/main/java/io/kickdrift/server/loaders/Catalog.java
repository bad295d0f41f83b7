package io.kickdrift.server.loaders;

import java.util.ArrayList;
import java.util.List;

/**
 * The boot programs per OS family: what the rendered menus and DHCP answers name ({@code
 * pxelinux.0} and its modules for BIOS, shim and GRUB for UEFI, iPXE) and where the packages of
 * that family install them. Pure data.
 */
final class Catalog {
  private static final List<String> SYSLINUX_MODULES =
      List.of("ldlinux.c32", "libutil.c32", "libcom32.c32", "menu.c32", "vesamenu.c32");

  /** The directories of the RHEL family's EFI system partition, one per vendor. */
  private static final List<String> RHEL_EFI_VENDORS =
      List.of("redhat", "rocky", "almalinux", "centos", "fedora");

  private Catalog() {}

  /** The files kickdrift lays out for a server of this family, in output order. */
  public static List<Wanted> forFamily(OsFamily family) {
    return switch (family) {
      case DEBIAN -> debian();
      case RHEL -> rhel();
    };
  }

  private static List<Wanted> debian() {
    List<Wanted> files = new ArrayList<>();
    files.add(copy("pxelinux.0", "pxelinux", "/usr/lib/PXELINUX/pxelinux.0"));
    for (String module : SYSLINUX_MODULES) {
      files.add(copy(module, "syslinux-common", "/usr/lib/syslinux/modules/bios/" + module));
    }
    // grubnetx64 is the signed GRUB with the network modules built in; grubx64 is not netboot-able
    files.add(
        new Wanted(
            "grubx64.efi",
            List.of("/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed"),
            "grub-efi-amd64-signed",
            true));
    files.add(copy("shimx64.efi", "shim-signed", "/usr/lib/shim/shimx64.efi.signed"));
    files.add(copy("mmx64.efi", "shim-helpers-amd64-signed", "/usr/lib/shim/mmx64.efi.signed"));
    files.add(copy("undionly.kpxe", "ipxe", "/usr/lib/ipxe/undionly.kpxe"));
    files.add(copy("ipxe.efi", "ipxe", "/usr/lib/ipxe/ipxe.efi"));
    return List.copyOf(files);
  }

  private static List<Wanted> rhel() {
    List<Wanted> files = new ArrayList<>();
    files.add(copy("pxelinux.0", "syslinux-tftpboot", "/tftpboot/pxelinux.0"));
    for (String module : SYSLINUX_MODULES) {
      files.add(copy(module, "syslinux-tftpboot", "/tftpboot/" + module));
    }
    files.add(new Wanted("grubx64.efi", efi("grubx64.efi"), "grub2-efi-x64", true));
    files.add(new Wanted("shimx64.efi", efi("shimx64.efi"), "shim-x64", false));
    files.add(new Wanted("mmx64.efi", efi("mmx64.efi"), "shim-x64", false));
    files.add(copy("undionly.kpxe", "ipxe-bootimgs-x86", "/usr/share/ipxe/undionly.kpxe"));
    files.add(copy("ipxe.efi", "ipxe-bootimgs-x86", "/usr/share/ipxe/ipxe-x86_64.efi"));
    return List.copyOf(files);
  }

  /**
   * How to build a netboot GRUB on this family when no package file is there: the mkimage program,
   * the directory of x86_64-efi modules, and the packages providing each.
   */
  public record GrubTools(String mkimage, String mkimagePkg, String modules, String modulesPkg) {}

  /** The GRUB image tools of a family. */
  public static GrubTools grubTools(OsFamily family) {
    return switch (family) {
      case DEBIAN ->
          new GrubTools(
              "/usr/bin/grub-mkimage",
              "grub-common",
              "/usr/lib/grub/x86_64-efi",
              "grub-efi-amd64-bin");
      case RHEL ->
          new GrubTools(
              "/usr/bin/grub2-mkimage",
              "grub2-tools",
              "/usr/lib/grub/x86_64-efi",
              "grub2-efi-x64-modules");
    };
  }

  private static List<String> efi(String name) {
    return RHEL_EFI_VENDORS.stream().map(v -> "/boot/efi/EFI/" + v + "/" + name).toList();
  }

  private static Wanted copy(String target, String pkg, String source) {
    return new Wanted(target, List.of(source), pkg, false);
  }
}
