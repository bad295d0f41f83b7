package io.kickdrift.server.inventory;

/**
 * An installable OS tree: family and version pick the kickstart template, kernel and initrd are the
 * netboot images (URLs or paths under the TFTP root), installTree is the install source URL.
 * grubLinux is the GRUB command that loads the kernel under UEFI: {@code linuxefi} for the GRUB of
 * the RHEL 8 family and older, {@code linux} for later ones, Fedora, Debian and Ubuntu, unless
 * given; {@code render --loaders} and {@code serve} set it from the installed GRUB (see
 * docs/loaders.md) when the inventory does not.
 */
public record Distro(
    String name,
    Family family,
    String version,
    String arch,
    String kernel,
    String initrd,
    String installTree,
    String grubLinux) {
  public Distro {
    if (arch == null) {
      arch = "x86_64";
    }
  }

  /** A copy with the given GRUB kernel command, {@code linux} or {@code linuxefi}. */
  public Distro withGrubLinux(String command) {
    return new Distro(name, family, version, arch, kernel, initrd, installTree, command);
  }

  /** The major version number, or 0 when the version does not start with digits. */
  public int major() {
    if (version == null) {
      return 0;
    }
    int end = 0;
    while (end < version.length() && end < 6 && Character.isDigit(version.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
  }

  /** {@code linux} or {@code linuxefi}: the GRUB command for the kernel (initrd follows). */
  public String grubLinuxCommand() {
    if (grubLinux != null) {
      return grubLinux;
    }
    boolean redHat = family == Family.RHEL || family == Family.ROCKY || family == Family.ALMA;
    return redHat && major() <= 8 ? "linuxefi" : "linux";
  }

  /** The matching initrd command: {@code initrd} or {@code initrdefi}. */
  public String grubInitrdCommand() {
    return grubLinuxCommand().equals("linuxefi") ? "initrdefi" : "initrd";
  }
}
