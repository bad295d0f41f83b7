package io.kickdrift.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real BIOS pxelinux boot, end to end: QEMU (TCG, SeaBIOS, Debian's iPXE ROM on an e1000 NIC, a
 * blank disk) on a bridge in a network namespace, with {@code kickdrift serve --dhcp reservations}
 * as its only DHCP, TFTP and HTTP server. The inventory's {@code ipxe-script: false} makes DHCP
 * hand the iPXE ROM the BIOS loader {@code pxelinux.0} (Debian's), which loads {@code ldlinux.c32},
 * its per-MAC menu rendered by serve, Debian's kernel and a busybox initramfs; Linux starts and
 * runs the test's /init. Each step is asserted from the server's log and the serial console.
 */
class BiosPxelinuxBootIT {
  private static final String MAC = "52:54:00:00:e2:03";
  private static final String IP = "192.0.2.52";
  private static final Path ROM = Path.of("/usr/lib/ipxe/qemu/pxe-e1000.rom");

  @TempDir Path dir;

  @Test
  void pxelinuxThenItsMenuThenLinux() throws Exception {
    Cmd.require("qemu-system-x86_64", "qemu-system-x86");
    BootLab.requireFile(ROM, "ipxe-qemu");
    Path root = Files.createDirectories(dir.resolve("root"));
    BootLab.runLoaders(root);
    BootLab.layOutImages(root, dir, BootLab.E1000);
    Cmd.ok("truncate", "-s", "64M", dir.resolve("disk.img").toString());

    try (BootLab lab = BootLab.create(dir, "bios")) {
      lab.serve(BootLab.resource("bios-inventory.yaml"), root);
      Process vm =
          lab.qemu(
              "serial.log",
              List.of(
                  "-device",
                  "e1000,netdev=n0,mac=" + MAC + ",romfile=" + ROM,
                  "-drive",
                  "file=" + dir.resolve("disk.img") + ",format=raw,if=ide",
                  "-boot",
                  "order=n"));
      lab.assertPoweredOffAfterTheKickstart(vm, "serial.log");
      String log =
          lab.assertReservationBooted(
              "bios01.lab.example.com",
              IP,
              MAC,
              "pxelinux.0",
              "ldlinux.c32",
              "pxelinux.cfg/01-52-54-00-00-e2-03",
              "images/vmlinuz",
              "images/initrd.img");
      assertThat(log).as("server log").doesNotContain("GET /ipxe/");
    }
  }
}
