package io.kickdrift.server.inventory;

/**
 * An installable OS tree: family and version pick the kickstart template, kernel and initrd are the
 * netboot images (URLs or paths under the TFTP root), installTree is the install source URL.
 */
public record Distro(
    String name,
    Family family,
    String version,
    String arch,
    String kernel,
    String initrd,
    String installTree) {
  public Distro {
    if (arch == null) {
      arch = "x86_64";
    }
  }
}
