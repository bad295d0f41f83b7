package io.kickdrift.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;

/**
 * The network the end-to-end boot tests share: a network namespace with a bridge at {@link #SERVER}
 * (TEST-NET-1) and a tap for one virtual machine, {@code kickdrift serve --dhcp reservations} on
 * it, and the logs both write under the test's directory. {@link #close()} stops everything it
 * started and deletes the namespace, also after a failure.
 */
final class BootLab implements AutoCloseable {
  static final String SERVER = "192.0.2.10";

  private final Path dir;
  private final String ns;
  private final List<Process> processes = new ArrayList<>();

  private BootLab(Path dir, String ns) {
    this.dir = dir;
    this.ns = ns;
  }

  /** Creates namespace {@code kd-NAME-PID} with bridge br0 at {@link #SERVER} and tap0 on it. */
  static BootLab create(Path dir, String name) throws Exception {
    Cmd.require("ip", "iproute2");
    BootLab lab = new BootLab(dir, "kd-" + name + "-" + ProcessHandle.current().pid());
    Cmd.ok("ip", "netns", "add", lab.ns);
    try {
      lab.ip("link", "set", "lo", "up");
      lab.ip("link", "add", "br0", "type", "bridge");
      lab.ip("addr", "add", SERVER + "/24", "dev", "br0");
      lab.ip("link", "set", "br0", "up");
      lab.ip("tuntap", "add", "dev", "tap0", "mode", "tap");
      lab.ip("link", "set", "tap0", "master", "br0");
      lab.ip("link", "set", "tap0", "up");
    } catch (Exception | AssertionError e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  /** The namespace's name, for commands the caller runs in it. */
  String namespace() {
    return ns;
  }

  /**
   * Starts the jar's {@code serve} in the namespace (TFTP 69, HTTP 8080, our DHCP on br0) with
   * files from {@code root}, logging to {@code serve.log}, and waits until it listens.
   */
  void serve(Path inventory, Path root) throws Exception {
    List<String> serve =
        Cmd.javaJar(
            List.of(),
            "target/kickdrift.jar",
            "serve",
            "--inventory",
            inventory.toString(),
            "--bind",
            SERVER,
            "--tftp-port",
            "69",
            "--http-port",
            "8080",
            "--state",
            dir.resolve("state").toString(),
            "--root",
            root.toString(),
            "--dhcp",
            "reservations",
            "--dhcp-interface",
            "br0");
    start("serve.log", serve);
    waitFor(
        "serve to listen",
        Duration.ofSeconds(60),
        () -> log("serve.log").contains("http listening"),
        "serve.log");
  }

  /**
   * GETs an API path ({@code /api/v1/…}) from the serve started by {@link #serve}, with the admin
   * token the API needs (from its state directory), by curl inside the namespace; the body.
   */
  String api(String path) throws Exception {
    String token = Files.readString(dir.resolve("state/admin.token")).strip();
    Cmd.Result r =
        Cmd.run(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                "curl",
                "-sS",
                "--fail-with-body",
                "-H",
                "Authorization: Bearer " + token,
                "http://" + SERVER + ":8080" + path));
    if (r.exit() != 0) {
      throw new AssertionError(
          "GET " + path + ": curl exit " + r.exit() + ": " + r.err() + r.out());
    }
    return r.out();
  }

  /** Starts {@code command} in the namespace, its output in {@code logName}; stopped by close. */
  Process start(String logName, List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(logName).toFile())
            .start();
    processes.add(p);
    return p;
  }

  /**
   * Starts QEMU (TCG, 512 MiB, no display, the serial console in {@code serial}) on tap0, with the
   * machine, firmware, NIC and disk given in {@code machine}.
   */
  Process qemu(String serial, List<String> machine) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
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
                "-no-reboot"));
    cmd.addAll(machine);
    return start(serial + ".qemu", cmd);
  }

  /**
   * Waits until {@code done}, failing with {@code serial} and the server log after {@code limit}.
   */
  void waitFor(String what, Duration limit, BooleanSupplier done, String serial)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!done.getAsBoolean()) {
      assertThat(Instant.now())
          .as("waiting for %s%s", what, diagnostics(serial))
          .isBefore(deadline);
      Thread.sleep(250);
    }
  }

  /**
   * Waits up to 4 minutes for {@code vm} to power off, and checks its serial console saw the init
   * start and the kickstart fetched; the console's assertion, which names the diagnostics, is
   * returned for checks of the test's own.
   */
  AbstractStringAssert<?> assertPoweredOffAfterTheKickstart(Process vm, String serial)
      throws InterruptedException {
    boolean off = vm.waitFor(4, TimeUnit.MINUTES);
    String why = diagnostics(serial);
    assertThat(off).as("the VM did not power off within 4 minutes%s", why).isTrue();
    return assertThat(log(serial))
        .as("serial console%s", why)
        .contains("kdtest: init started", "kdtest: kickstart fetched");
  }

  /**
   * Checks the server log: DHCP acked {@code host}'s reservation, {@code ip} to {@code mac}, with
   * the first of {@code paths} as its boot file, and TFTP then served it {@code paths} in order.
   * Returns the log.
   */
  String assertReservationBooted(String host, String ip, String mac, String... paths) {
    String log = log("serve.log");
    assertThat(log)
        .as("server log")
        .contains(
            "dhcp ACK " + ip + " to " + mac + " (" + host + ", reservation) boot " + paths[0]);
    // the reservation ties the address to the MAC: everything below went to this VM
    assertTftpInOrder(log, ip, paths);
    return log;
  }

  /** The tail of the serial console and of the server log, for a failure message. */
  String diagnostics(String serial) {
    return "\n--- serial console ("
        + serial
        + ") ---\n"
        + tail(serial)
        + "\n--- qemu ---\n"
        + tail(serial + ".qemu")
        + "\n--- server log ---\n"
        + tail("serve.log");
  }

  private String tail(String name) {
    String text = log(name);
    return text.length() > 6000 ? "…" + text.substring(text.length() - 6000) : text;
  }

  /** A log under the test's directory, empty while it does not exist. */
  String log(String name) {
    try {
      Path file = dir.resolve(name);
      return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private void ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    Cmd.ok(cmd.toArray(String[]::new));
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Cmd.run(List.of("ip", "netns", "del", ns));
  }

  /** Asserts the steps appear in {@code text} in this order. */
  static void assertInOrder(String text, String... steps) {
    int at = 0;
    for (String step : steps) {
      int found = text.indexOf(step, at);
      assertThat(found)
          .as("step '%s' after position %d in the server log:%n%s", step, at, text)
          .isNotNegative();
      at = found + step.length();
    }
  }

  /**
   * Asserts that the server log shows each of {@code paths} sent in full over TFTP to {@code ip},
   * in this order (a leading slash in the request is allowed).
   */
  static void assertTftpInOrder(String log, String ip, String... paths) {
    int at = 0;
    for (String path : paths) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "tftp "
                      + java.util.regex.Pattern.quote(ip)
                      + ":\\d+ RRQ /?"
                      + java.util.regex.Pattern.quote(path)
                      + "(?: [^\\n]*)?: sent \\d+ bytes")
              .matcher(log);
      assertThat(m.find(at))
          .as("%s sent over TFTP to %s after position %d in the server log:%n%s", path, ip, at, log)
          .isTrue();
      at = m.end();
    }
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** Fails, naming the Debian package to install, when {@code file} is missing. */
  static Path requireFile(Path file, String debianPackage) {
    if (!Files.exists(file)) {
      throw new AssertionError(
          file + " is missing: apt-get install -y " + debianPackage + " (see .ci/run)");
    }
    return file;
  }

  static Path newestKernel() throws IOException {
    try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
      return boot.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
          .max(Comparator.comparing(Path::toString))
          .orElseThrow(
              () ->
                  new AssertionError(
                      "no /boot/vmlinuz-*: apt-get install -y linux-image-amd64 (see .ci/run)"));
    }
  }

  /** The e1000 driver, for {@link #layOutImages}. */
  static final List<String> E1000 = List.of("kernel/drivers/net/ethernet/intel/e1000/e1000.ko");

  /** The virtio-net driver and the modules it needs, in load order, for {@link #layOutImages}. */
  static final List<String> VIRTIO_NET =
      List.of(
          "kernel/drivers/virtio/virtio_ring.ko",
          "kernel/drivers/virtio/virtio.ko",
          "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
          "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
          "kernel/drivers/virtio/virtio_pci.ko",
          "kernel/net/core/failover.ko",
          "kernel/drivers/net/net_failover.ko",
          "kernel/drivers/net/virtio_net.ko");

  /**
   * Copies the newest Debian kernel to {@code images/vmlinuz} under {@code root} and builds {@code
   * images/initrd.img} there: a gzip'd newc cpio of busybox-static, its applet links, the kernel
   * {@code modules} (paths under {@code /lib/modules/VERSION}, loaded in this order) and the test's
   * /init (resources {@code e2e/init}, {@code e2e/udhcpc.sh}).
   */
  static void layOutImages(Path root, Path work, List<String> modules) throws Exception {
    Cmd.require("cpio", "cpio");
    requireFile(Path.of("/bin/busybox"), "busybox-static");
    Path kernel = newestKernel();
    String version = kernel.getFileName().toString().substring("vmlinuz-".length());
    Path images = Files.createDirectories(root.resolve("images"));
    Files.copy(kernel, images.resolve("vmlinuz"));
    Path tree = work.resolve("initramfs");
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
    for (int i = 0; i < modules.size(); i++) {
      Path module =
          requireFile(
              Path.of("/lib/modules", version, modules.get(i)),
              "linux-image-amd64 (its modules uncompressed)");
      Files.copy(module, tree.resolve("m%02d-%s".formatted(i, module.getFileName())));
    }
    for (String script : new String[] {"init", "udhcpc.sh"}) {
      try (InputStream in = BootLab.class.getResourceAsStream("/e2e/" + script)) {
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
                images.resolve("initrd.img").toString()));
    assertThat(r.exit()).as("building the initramfs: %s", r.err()).isZero();
  }

  static Path resource(String name) throws Exception {
    return Path.of(BootLab.class.getResource("/e2e/" + name).toURI());
  }

  /**
   * Lays out the boot programs with {@code kickdrift loaders --out ROOT}, as an operator would:
   * shim, Debian's signed netboot GRUB, pxelinux with its modules, iPXE, and the manifest serve
   * reads to choose {@code linux} or {@code linuxefi} from the installed GRUB.
   */
  static void runLoaders(Path root) throws Exception {
    Cmd.Result r =
        Cmd.run(
            Cmd.javaJar(List.of(), "target/kickdrift.jar", "loaders", "--out", root.toString()));
    if (r.exit() != 0) {
      throw new AssertionError("kickdrift loaders exited " + r.exit() + ":\n" + r.out() + r.err());
    }
  }

  /**
   * Copies the same boot programs by hand, without a manifest, so serve falls back to the distro's
   * own GRUB command (for the case {@code linuxefi} is proven with the real GRUB).
   */
  static void copyLoaders(Path root) throws Exception {
    copy("/usr/lib/shim/shimx64.efi.signed", "shim-signed", root, "shimx64.efi");
    copy(
        "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed",
        "grub-efi-amd64-signed",
        root,
        "grubx64.efi");
    copy("/usr/lib/PXELINUX/pxelinux.0", "pxelinux", root, "pxelinux.0");
    for (String module :
        new String[] {"ldlinux.c32", "libutil.c32", "libcom32.c32", "menu.c32", "vesamenu.c32"}) {
      copy("/usr/lib/syslinux/modules/bios/" + module, "syslinux-common", root, module);
    }
    copy("/usr/lib/ipxe/undionly.kpxe", "ipxe", root, "undionly.kpxe");
    copy("/usr/lib/ipxe/ipxe.efi", "ipxe", root, "ipxe.efi");
  }

  private static void copy(String from, String debianPackage, Path root, String name)
      throws Exception {
    Files.copy(requireFile(Path.of(from), debianPackage), root.resolve(name));
  }
}
