package io.kickdrift.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
  private static final String SERVER = "192.0.2.10";
  private static final String SCRIPT = "/ipxe/01-52-54-00-00-e2-01.ipxe";
  private static final String NS = "kd-e2e-" + ProcessHandle.current().pid();

  @TempDir static Path dir;
  private static final List<Process> daemons = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    Cmd.require("qemu-system-x86_64", "qemu-system-x86");
    Cmd.require("ip", "iproute2");
    Cmd.require("cpio", "cpio");
    Cmd.require("curl", "curl");
    requireFile(Path.of("/usr/lib/ipxe/qemu/pxe-e1000.rom"), "ipxe-qemu");
    requireFile(Path.of("/bin/busybox"), "busybox-static");
    Path kernel = newestKernel();
    String version = kernel.getFileName().toString().substring("vmlinuz-".length());
    Path e1000 =
        Path.of("/lib/modules", version, "kernel/drivers/net/ethernet/intel/e1000/e1000.ko");
    requireFile(e1000, "linux-image-amd64 (its e1000.ko, uncompressed)");

    Path root = Files.createDirectories(dir.resolve("root/images"));
    Files.copy(kernel, root.resolve("vmlinuz"));
    buildInitramfs(e1000, root.resolve("initrd.img"));
    Cmd.ok("truncate", "-s", "64M", dir.resolve("disk.img").toString());

    netns("add");
    ipIn("link", "set", "lo", "up");
    ipIn("link", "add", "br0", "type", "bridge");
    ipIn("addr", "add", SERVER + "/24", "dev", "br0");
    ipIn("link", "set", "br0", "up");
    ipIn("tuntap", "add", "dev", "tap0", "mode", "tap");
    ipIn("link", "set", "tap0", "master", "br0");
    ipIn("link", "set", "tap0", "up");

    List<String> serve =
        Cmd.javaJar(
            List.of(),
            "target/kickdrift.jar",
            "serve",
            "--inventory",
            resource("inventory.yaml").toString(),
            "--bind",
            SERVER,
            "--tftp-port",
            "69",
            "--http-port",
            "8080",
            "--state",
            dir.resolve("state").toString(),
            "--root",
            dir.resolve("root").toString(),
            "--dhcp",
            "reservations",
            "--dhcp-interface",
            "br0");
    daemons.add(inNamespace("serve.log", serve.toArray(String[]::new)));
    waitFor(
        "serve to listen",
        Duration.ofSeconds(60),
        () -> log("serve.log").contains("http listening"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (Process p : daemons) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Cmd.run(List.of("ip", "netns", "del", NS));
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
        .as("the VM did not power off within 5 minutes%s", diagnostics("serial-1.log"))
        .isTrue();
    assertThat(log("serial-1.log"))
        .as("serial console%s", diagnostics("serial-1.log"))
        .contains("kdtest: kickstart fetched", "kdtest: callback done");
    assertInOrder(
        log("serve.log"),
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
    int kernelLoads = count(log("serve.log"), "GET /images/vmlinuz");
    int scriptLoads = count(log("serve.log"), "GET " + SCRIPT);
    Process again = qemu("serial-2.log");
    try {
      waitFor(
          "the second boot to ask for its script",
          Duration.ofMinutes(3),
          () -> count(log("serve.log"), "GET " + SCRIPT) > scriptLoads);
      Thread.sleep(3000); // time to load a kernel, were it told to
    } finally {
      again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(events()).contains("ipxe local for " + MAC + " to http 192.0.2.50");
    assertThat(count(log("serve.log"), "GET /images/vmlinuz")).isEqualTo(kernelLoads);
  }

  private static Process qemu(String serial) throws IOException {
    return new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            NS,
            "qemu-system-x86_64",
            "-accel",
            "tcg",
            "-m",
            "512",
            "-display",
            "none",
            "-monitor",
            "none",
            "-serial",
            "file:" + dir.resolve(serial),
            "-netdev",
            "tap,id=n0,ifname=tap0,script=no,downscript=no",
            "-device",
            "e1000,netdev=n0,mac=" + MAC + ",romfile=/usr/lib/ipxe/qemu/pxe-e1000.rom",
            "-drive",
            "file=" + dir.resolve("disk.img") + ",format=raw,if=ide",
            "-boot",
            "order=n",
            "-no-reboot")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(serial + ".qemu").toFile())
        .start();
  }

  private static String events() throws Exception {
    Cmd.Result r =
        Cmd.run(
            List.of(
                "ip",
                "netns",
                "exec",
                NS,
                "curl",
                "-sS",
                "http://" + SERVER + ":8080/api/v1/events?host=" + HOST));
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  private static void assertInOrder(String text, String... steps) {
    int at = 0;
    for (String step : steps) {
      int found = text.indexOf(step, at);
      assertThat(found)
          .as("step '%s' after position %d in the server log:%n%s", step, at, text)
          .isNotNegative();
      at = found + step.length();
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static String diagnostics(String serial) {
    return "\n--- serial console ("
        + serial
        + ") ---\n"
        + tail(serial)
        + "\n--- server log ---\n"
        + tail("serve.log");
  }

  private static String tail(String name) {
    String text = log(name);
    return text.length() > 6000 ? "…" + text.substring(text.length() - 6000) : text;
  }

  private static String log(String name) {
    try {
      Path file = dir.resolve(name);
      return Files.exists(file)
          ? Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)
          : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void waitFor(String what, Duration limit, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!done.getAsBoolean()) {
      assertThat(Instant.now())
          .as("waiting for %s%s", what, diagnostics("serial-2.log"))
          .isBefore(deadline);
      Thread.sleep(250);
    }
  }

  private static Process inNamespace(String logName, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS));
    cmd.addAll(List.of(command));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(logName).toFile())
        .start();
  }

  private static void netns(String action) throws Exception {
    Cmd.ok("ip", "netns", action, NS);
  }

  private static void ipIn(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", NS));
    cmd.addAll(List.of(args));
    Cmd.ok(cmd.toArray(String[]::new));
  }

  private static void requireFile(Path file, String debianPackage) {
    if (!Files.exists(file)) {
      throw new AssertionError(
          file + " is missing: apt-get install -y " + debianPackage + " (see .ci/run)");
    }
  }

  private static Path newestKernel() throws IOException {
    try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
      return boot.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
          .max(Comparator.comparing(Path::toString))
          .orElseThrow(
              () ->
                  new AssertionError(
                      "no /boot/vmlinuz-*: apt-get install -y linux-image-amd64 (see .ci/run)"));
    }
  }

  private static Path resource(String name) throws Exception {
    return Path.of(PxeBootIT.class.getResource("/e2e/" + name).toURI());
  }

  /** A gzip'd newc cpio of busybox-static, its applet links, the e1000 module and /init. */
  private static void buildInitramfs(Path e1000, Path out) throws Exception {
    Path tree = dir.resolve("initramfs");
    for (String d : new String[] {"bin", "proc", "sys", "dev", "tmp"}) {
      Files.createDirectories(tree.resolve(d));
    }
    Files.copy(Path.of("/bin/busybox"), tree.resolve("bin/busybox"));
    for (String applet :
        new String[] {
          "sh",
          "mount",
          "ip",
          "udhcpc",
          "wget",
          "insmod",
          "cat",
          "grep",
          "sed",
          "poweroff",
          "sleep",
          "echo",
          "tr",
          "head",
          "wc"
        }) {
      Files.createSymbolicLink(tree.resolve("bin/" + applet), Path.of("busybox"));
    }
    Files.copy(e1000, tree.resolve("e1000.ko"));
    for (String script : new String[] {"init", "udhcpc.sh"}) {
      try (InputStream in = PxeBootIT.class.getResourceAsStream("/e2e/" + script)) {
        Files.copy(in, tree.resolve(script), StandardCopyOption.REPLACE_EXISTING);
      }
      tree.resolve(script).toFile().setExecutable(true, false);
    }
    Cmd.Result r =
        Cmd.run(
            List.of(
                "sh",
                "-c",
                "cd \"$0\" && find . | cpio -o -H newc --quiet | gzip -1 > \"$1\"",
                tree.toString(),
                out.toString()));
    assertThat(r.exit()).as("building the initramfs: %s", r.err()).isZero();
  }
}
