package io.kickdrift.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PXE boot, end to end: a QEMU virtual machine (software emulation, Debian's iPXE ROM on an
 * e1000 NIC, a blank disk) on a bridge inside a network namespace the test creates, with {@code
 * kickdrift serve} as its boot server. It gets DHCP, loads its iPXE script, kernel and initrd over
 * HTTP, boots Linux (Debian's kernel and an initramfs built here from busybox-static), fetches its
 * kickstart with its token and posts the install callback; on the next power-on the server hands it
 * local boot. Every step is asserted from the server's log and event API; on a failure the message
 * carries the serial console, the server log and the DHCP log.
 */
class PxeBootIT {
  private static final String MAC = "52:54:00:00:e2:01";
  private static final String HOST = "vm01.lab.example.com";
  private static final String SERVER = BootLab.SERVER;
  private static final String SCRIPT = "/ipxe/01-52-54-00-00-e2-01.ipxe";

  @TempDir static Path dir;
  private static BootLab lab;

  @BeforeAll
  static void setUp() throws Exception {
    Cmd.require("qemu-system-x86_64", "qemu-system-x86");
    Cmd.require("curl", "curl");
    BootLab.requireFile(Path.of("/usr/lib/ipxe/qemu/pxe-e1000.rom"), "ipxe-qemu");
    Path root = dir.resolve("root");
    BootLab.layOutImages(root, dir, BootLab.E1000);
    Cmd.ok("truncate", "-s", "64M", dir.resolve("disk.img").toString());
    lab = BootLab.create(dir, "e2e");
    lab.serve(BootLab.resource("inventory.yaml"), root);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void bootsInstallsCallsBackThenBootsLocally() throws Exception {
    // First power-on: installs.
    Process vm = qemu("serial-1.log");
    boolean off = vm.waitFor(5, TimeUnit.MINUTES);
    if (!off) {
      vm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(off)
        .as("the VM did not power off within 5 minutes%s", lab.diagnostics("serial-1.log"))
        .isTrue();
    assertThat(lab.log("serial-1.log"))
        .as("serial console%s", lab.diagnostics("serial-1.log"))
        .contains("kdtest: kickstart fetched", "kdtest: callback done");
    BootLab.assertInOrder(
        lab.log("serve.log"),
        "dhcp OFFER 192.0.2.50 to " + MAC,
        "dhcp ACK 192.0.2.50 to " + MAC,
        "\"GET /ipxe/boot.ipxe HTTP/1.1\" 200",
        "\"GET " + SCRIPT + " HTTP/1.1\" 200",
        "\"GET /images/vmlinuz HTTP/1.1\" 200",
        "\"GET /images/initrd.img HTTP/1.1\" 200",
        "\"GET /ks/" + HOST + "/",
        "install finished: " + HOST);
    assertThat(events())
        .contains("\"kind\":\"installed\"", "ipxe install for " + MAC + " to http 192.0.2.50");

    // Second power-on: the same machine gets local boot and never loads the kernel again.
    int kernelLoads = BootLab.count(lab.log("serve.log"), "GET /images/vmlinuz");
    int scriptLoads = BootLab.count(lab.log("serve.log"), "GET " + SCRIPT);
    Process again = qemu("serial-2.log");
    try {
      lab.waitFor(
          "the second boot to ask for its script",
          Duration.ofMinutes(3),
          () -> BootLab.count(lab.log("serve.log"), "GET " + SCRIPT) > scriptLoads,
          "serial-2.log");
      Thread.sleep(3000); // time to load a kernel, were it told to
    } finally {
      again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(events()).contains("ipxe local for " + MAC + " to http 192.0.2.50");
    assertThat(BootLab.count(lab.log("serve.log"), "GET /images/vmlinuz")).isEqualTo(kernelLoads);
  }

  private static Process qemu(String serial) throws IOException {
    return lab.qemu(
        serial,
        List.of(
            "-device",
            "e1000,netdev=n0,mac=" + MAC + ",romfile=/usr/lib/ipxe/qemu/pxe-e1000.rom",
            "-drive",
            "file=" + dir.resolve("disk.img") + ",format=raw,if=ide",
            "-boot",
            "order=n"));
  }

  private static String events() throws Exception {
    return lab.api("/api/v1/events?host=" + HOST);
  }
}
