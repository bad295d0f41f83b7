package io.kickdrift.server.e2e;

import static io.kickdrift.server.e2e.BootLab.requireFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real UEFI network boot, end to end: QEMU (q35, TCG, OVMF without Secure Boot, a virtio-net NIC
 * driven by OVMF itself, a blank disk) on a bridge in a network namespace, with {@code kickdrift
 * serve --dhcp reservations} as its only DHCP, TFTP and HTTP server. OVMF's PXE asks DHCP as arch
 * 7, gets {@code shimx64.efi}, which loads {@code grubx64.efi} (Debian's signed netboot GRUB),
 * which reads its per-MAC menu rendered by serve and loads Debian's kernel and a busybox initramfs;
 * Linux starts and runs the test's /init. Each step is asserted from the server's log (by the VM's
 * reserved address) and the serial console.
 */
class UefiBootIT {
  private static final String MAC = "52:54:00:00:e2:02";
  private static final String IP = "192.0.2.51";
  private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
  private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

  /** Secure Boot firmware (needs SMM) and variables with Microsoft's keys enrolled, SB enabled. */
  private static final Path OVMF_SECURE_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd");

  private static final Path OVMF_MS_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.ms.fd");

  @TempDir Path dir;

  /**
   * A Rocky 8 host. With the boot programs laid out by {@code kickdrift loaders}, the menu uses
   * what the installed GRUB supports (Debian's: {@code linux}, which hands over to its own {@code
   * linuxefi} under Secure Boot), not the Rocky 8 guess; copied by hand without the loaders
   * manifest, it falls back to the guess, {@code linuxefi}, and that boots with the real GRUB too.
   */
  @ParameterizedTest(name = "{0}, {1}: {2}")
  @CsvSource({
    "kickdrift loaders, Secure Boot off, linux, initrd",
    "copied by hand, Secure Boot off, linuxefi, initrdefi",
    "kickdrift loaders, Secure Boot on, linux, initrd"
  })
  void shimThenGrubThenItsMenuThenLinux(String layout, String firmware, String linux, String initrd)
      throws Exception {
    boolean secure = firmware.equals("Secure Boot on");
    Path code = secure ? OVMF_SECURE_CODE : OVMF_CODE;
    Path varsTemplate = secure ? OVMF_MS_VARS : OVMF_VARS;
    String inventory = "uefi-el8-inventory.yaml";
    Cmd.require("qemu-system-x86_64", "qemu-system-x86");
    Cmd.require("curl", "curl");
    requireFile(code, "ovmf");
    requireFile(varsTemplate, "ovmf");
    Path root = Files.createDirectories(dir.resolve("root"));
    if (layout.equals("kickdrift loaders")) {
      BootLab.runLoaders(root);
    } else {
      BootLab.copyLoaders(root);
    }
    BootLab.layOutImages(root, dir, BootLab.VIRTIO_NET);
    Path vars = Files.copy(varsTemplate, dir.resolve("OVMF_VARS.fd"));
    Cmd.ok("truncate", "-s", "64M", dir.resolve("disk.img").toString());

    try (BootLab lab = BootLab.create(dir, "uefi")) {
      lab.serve(BootLab.resource(inventory), root);
      // the menu GRUB will read, while netboot is on (the callback turns it to local boot)
      Cmd.Result menu =
          Cmd.run(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  lab.namespace(),
                  "curl",
                  "-sS",
                  "http://" + BootLab.SERVER + ":8080/grub/grub.cfg-01-52-54-00-00-e2-02"));
      assertThat(menu.out())
          .as("the per-MAC GRUB menu (%s)", menu.err())
          .contains(linux + " /images/vmlinuz ", initrd + " /images/initrd.img");
      List<String> machine = new java.util.ArrayList<>();
      if (secure) {
        // the Secure Boot firmware keeps its variables in SMM-protected flash
        machine.addAll(
            List.of(
                "-machine",
                "q35,smm=on",
                "-global",
                "driver=cfi.pflash01,property=secure,value=on"));
      } else {
        machine.addAll(List.of("-machine", "q35"));
      }
      machine.addAll(
          List.of(
              "-drive",
              "if=pflash,format=raw,readonly=on,file=" + code,
              "-drive",
              "if=pflash,format=raw,file=" + vars,
              "-device",
              // no option ROM: OVMF's own virtio-net driver and PXE, not iPXE's
              "virtio-net-pci,netdev=n0,mac=" + MAC + ",romfile=,bootindex=1",
              "-drive",
              "file=" + dir.resolve("disk.img") + ",format=raw,if=none,id=d0",
              "-device",
              "ide-hd,drive=d0"));
      Process vm = lab.qemu("serial.log", machine);
      lab.assertPoweredOffAfterTheKickstart(vm, "serial.log")
          // the kernel says whether the firmware booted it under Secure Boot
          .contains(secure ? "Secure boot enabled" : "Secure boot disabled");
      lab.assertReservationBooted(
          "uefi01.lab.example.com",
          IP,
          MAC,
          "shimx64.efi",
          "grubx64.efi",
          "grub/grub.cfg",
          "grub/grub.cfg-01-52-54-00-00-e2-02",
          "images/vmlinuz",
          "images/initrd.img");
    }
  }
}
