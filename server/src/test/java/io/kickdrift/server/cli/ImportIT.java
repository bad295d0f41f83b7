package io.kickdrift.server.cli;

import static io.kickdrift.server.cli.ImportCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.cli.ImportCommandTest.Run;
import io.kickdrift.server.distros.InventoryTextTest;
import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.Family;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kickdrift import} against a real HTTP mirror on 127.0.0.1 (Range, dropped connections) and
 * the real Debian netboot tree of the package debian-installer-12-netboot-amd64.
 */
class ImportIT {
  private static final Path DEBIAN = Path.of("/usr/lib/debian-installer/images/12/amd64/text");
  private static final Path EXAMPLE =
      Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();

  @TempDir Path dir;
  MirrorServer mirror;
  Path root;
  Path inventory;
  byte[] kernel;
  byte[] initrd;

  @BeforeEach
  void tree() throws Exception {
    mirror = new MirrorServer();
    Random random = new Random(9);
    kernel = new byte[3 << 20];
    initrd = new byte[5 << 20];
    random.nextBytes(kernel);
    random.nextBytes(initrd);
    mirror.files.put("rocky/images/pxeboot/vmlinuz", kernel);
    mirror.files.put("rocky/images/pxeboot/initrd.img", initrd);
    mirror.files.put("rocky/.treeinfo", treeinfo(sha256(kernel), sha256(initrd)));
    root = dir.resolve("root");
    inventory = dir.resolve("site.yaml");
    Files.copy(EXAMPLE, inventory);
  }

  @AfterEach
  void stop() throws IOException {
    mirror.close();
  }

  private static byte[] treeinfo(String kernelSum, String initrdSum) {
    return ("""
        [header]
        type = productmd.treeinfo
        version = 1.2

        [release]
        name = Rocky Linux
        short = Rocky
        version = 9.4

        [tree]
        arch = x86_64
        platforms = x86_64

        [images-x86_64]
        initrd = images/pxeboot/initrd.img
        kernel = images/pxeboot/vmlinuz

        [checksums]
        images/pxeboot/initrd.img = sha256:%s
        images/pxeboot/vmlinuz = sha256:%s
        """)
        .formatted(initrdSum, kernelSum)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Runs import of {@code name} from {@code from} into the served root, with more options. */
  private Run importTree(String name, String from, String... more) {
    List<String> args =
        new ArrayList<>(List.of("--name", name, "--from", from, "--root", root.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private Run importRocky(String... extra) {
    List<String> more = new ArrayList<>(List.of("--inventory", inventory.toString()));
    more.addAll(List.of(extra));
    return importTree("rocky94", mirror.url("rocky"), more.toArray(String[]::new));
  }

  /** A failed import serves nothing, leaves the inventory as it was, and no temporary copy. */
  private void assertNothingLeftBehind(byte[] inventoryBefore) throws IOException {
    assertThat(root).doesNotExist();
    assertThat(Files.readAllBytes(inventory)).isEqualTo(inventoryBefore);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("no temporary inventory left").hasSize(1);
    }
  }

  private Path served(String name) {
    return root.resolve("distros/rocky94").resolve(name);
  }

  @Test
  void aGoodTreeIsImportedAndASecondImportChangesNothing() throws Exception {
    byte[] before = Files.readAllBytes(inventory);
    Run run = importRocky();
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readAllBytes(served("vmlinuz"))).isEqualTo(kernel);
    assertThat(sha256(Files.readAllBytes(served("initrd.img")))).isEqualTo(sha256(initrd));
    try (Stream<Path> files = Files.list(root.resolve("distros/rocky94"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("vmlinuz", "initrd.img");
    }
    Distro added =
        InventoryLoader.load(inventory).distros().stream()
            .filter(d -> d.name().equals("rocky94"))
            .findFirst()
            .orElseThrow();
    assertThat(added)
        .isEqualTo(
            new Distro(
                "rocky94",
                Family.ROCKY,
                "9.4",
                "x86_64",
                "distros/rocky94/vmlinuz",
                "distros/rocky94/initrd.img",
                mirror.url("rocky"),
                null));
    String text = Files.readString(inventory);
    String entry = text.substring(text.indexOf("  - name: rocky94\n"));
    entry = entry.substring(0, entry.indexOf("install-tree:"));
    entry =
        text.substring(
            text.indexOf(entry), text.indexOf("\n", text.indexOf(entry) + entry.length()) + 1);
    assertThat(text.replace(entry, ""))
        .as("the rest byte for byte")
        .isEqualTo(new String(before, StandardCharsets.UTF_8));

    byte[] afterFirst = Files.readAllBytes(inventory);
    Run again = importRocky();
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("already has this distro rocky94, unchanged");
    assertThat(Files.readAllBytes(inventory)).isEqualTo(afterFirst);
    assertThat(Files.readAllBytes(served("vmlinuz"))).isEqualTo(kernel);
  }

  @Test
  void aTamperedChecksumLeavesNothingBehind() throws Exception {
    byte[] before = Files.readAllBytes(inventory);
    mirror.files.put("rocky/.treeinfo", treeinfo(sha256(kernel), sha256(new byte[] {1})));
    Run run = importRocky();
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("checksum mismatch for " + mirror.url("rocky/images/pxeboot/initrd.img"));
    assertNothingLeftBehind(before);
  }

  @Test
  void aMissingFileIsNamedByItsUrl() throws Exception {
    byte[] before = Files.readAllBytes(inventory);
    mirror.files.remove("rocky/images/pxeboot/vmlinuz");
    Run run = importRocky();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("not found: " + mirror.url("rocky/images/pxeboot/vmlinuz") + " (HTTP 404)");
    assertThat(root).doesNotExist();
    assertThat(Files.readAllBytes(inventory)).isEqualTo(before);
  }

  @Test
  void anInterruptedDownloadResumesWithARangeRequest() throws Exception {
    mirror.dropHalfway = "rocky/images/pxeboot/initrd.img";
    Run broken = importRocky();
    assertThat(broken.exit()).as(broken.out()).isEqualTo(2);
    assertThat(broken.err()).contains("run again to resume");
    Path part = root.resolve("distros/rocky94/.initrd.img.part");
    assertThat(part).exists();
    long have = Files.size(part);
    assertThat(have).isPositive().isLessThan(initrd.length);
    assertThat(served("initrd.img")).doesNotExist();
    assertThat(InventoryLoader.load(inventory).distros())
        .noneMatch(d -> d.name().equals("rocky94"));

    mirror.requests.clear();
    Run resumed = importRocky();
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(mirror.requests)
        .contains(
            new MirrorServer.Request(
                "GET", "rocky/images/pxeboot/initrd.img", "bytes=" + have + "-"))
        .as("the verified kernel part is not fetched again")
        .noneMatch(r -> r.path().endsWith("vmlinuz"));
    assertThat(resumed.err()).contains("resuming at");
    assertThat(Files.readAllBytes(served("initrd.img"))).isEqualTo(initrd);
    assertThat(part).doesNotExist();
  }

  @Test
  void aServerWithoutRangesRestartsCleanly() throws Exception {
    mirror.dropHalfway = "rocky/images/pxeboot/initrd.img";
    assertThat(importRocky().exit()).isEqualTo(2);
    mirror.ranges = false;
    mirror.requests.clear();
    Run run = importRocky();
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(mirror.requests).anyMatch(r -> r.path().endsWith("initrd.img") && r.range() != null);
    assertThat(Files.readAllBytes(served("initrd.img"))).isEqualTo(initrd);
  }

  @Test
  void theDebianNetbootTreeImportsFromItsDirectory() throws Exception {
    assertThat(DEBIAN)
        .as("the package debian-installer-12-netboot-amd64 must be installed (.ci/run does)")
        .isDirectory();
    Path amd64 = DEBIAN.resolve("debian-installer/amd64");
    Run run =
        importTree(
            "debian12",
            DEBIAN.toString(),
            "--print",
            "--install-tree",
            "http://deb.debian.org/debian");
    assertThat(run.exit()).as(run.err()).isZero();
    Path served = root.resolve("distros/debian12");
    assertThat(Files.mismatch(served.resolve("vmlinuz"), amd64.resolve("linux"))).isEqualTo(-1);
    assertThat(Files.mismatch(served.resolve("initrd.img"), amd64.resolve("initrd.gz")))
        .isEqualTo(-1);
    assertThat(run.out()).contains(InventoryTextTest.ENTRY);
    assertThat(run.err()).contains("no checksum for debian-installer/amd64/linux");

    Run edit =
        importTree(
            "debian12",
            DEBIAN.toString(),
            "--inventory",
            inventory.toString(),
            "--install-tree",
            "http://deb.debian.org/debian");
    assertThat(edit.exit()).as(edit.err()).isZero();
    assertThat(InventoryLoader.load(inventory).distros())
        .anyMatch(d -> d.name().equals("debian12") && d.family() == Family.DEBIAN);
  }

  private static final String IMAGES = "debian/dists/bookworm/main/installer-amd64/current/images/";

  /** A Debian mirror's installer images: SHA256SUMS above netboot/, as deb.debian.org has it. */
  private void debianMirror(String kernelSum) throws Exception {
    mirror.files.put(IMAGES + "netboot/debian-installer/amd64/linux", kernel);
    mirror.files.put(IMAGES + "netboot/debian-installer/amd64/initrd.gz", initrd);
    mirror.files.put(
        IMAGES + "netboot/version.info",
        "Debian version:  12 (bookworm)\nInstaller build: 20230607+deb12u11\n"
            .getBytes(StandardCharsets.UTF_8));
    mirror.files.put(
        IMAGES + "SHA256SUMS",
        (sha256(new byte[] {7})
                + "  ./cdrom/vmlinuz\n"
                + sha256(initrd)
                + "  ./netboot/debian-installer/amd64/initrd.gz\n"
                + kernelSum
                + "  ./netboot/debian-installer/amd64/linux\n"
                + sha256(new byte[] {8})
                + "  ./netboot/gtk/debian-installer/amd64/linux\n")
            .getBytes(StandardCharsets.UTF_8));
  }

  private Run importDebian(String path) {
    return importTree("debian12", mirror.url(path), "--inventory", inventory.toString());
  }

  @Test
  void aDebianMirrorTreeIsVerifiedAgainstSha256SumsAboveIt() throws Exception {
    debianMirror(sha256(kernel));
    Run run = importDebian(IMAGES + "netboot/");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("vmlinuz and initrd.img verified against " + mirror.url(IMAGES + "SHA256SUMS"));
    assertThat(run.err()).doesNotContain("unverified");
    Path served = root.resolve("distros/debian12");
    assertThat(Files.readAllBytes(served.resolve("vmlinuz"))).isEqualTo(kernel);
    assertThat(Files.readAllBytes(served.resolve("initrd.img"))).isEqualTo(initrd);
    assertThat(InventoryLoader.load(inventory).distros())
        .anyMatch(
            d ->
                d.name().equals("debian12")
                    && d.family() == Family.DEBIAN
                    && d.version().equals("12"));
  }

  @Test
  void aTamperedDebianKernelLeavesNothingBehind() throws Exception {
    byte[] before = Files.readAllBytes(inventory);
    String good = sha256(kernel);
    debianMirror(good);
    byte[] tampered = kernel.clone();
    tampered[1000] ^= 1;
    mirror.files.put(IMAGES + "netboot/debian-installer/amd64/linux", tampered);
    Run run = importDebian(IMAGES + "netboot/");
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "checksum mismatch for "
                + mirror.url(IMAGES + "netboot/debian-installer/amd64/linux")
                + ": "
                + mirror.url(IMAGES + "SHA256SUMS")
                + " says sha256:"
                + good
                + ", the file has sha256:"
                + sha256(tampered));
    assertNothingLeftBehind(before);
  }

  @Test
  void aDebianTreeWithoutSha256SumsImportsWithANote() throws Exception {
    debianMirror(sha256(kernel));
    mirror.files.remove(IMAGES + "SHA256SUMS");
    Run run = importDebian(IMAGES + "netboot/");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "note: the tree has no checksum for debian-installer/amd64/linux; it is copied"
                + " unverified (no SHA256SUMS at "
                + mirror.url(IMAGES + "netboot/SHA256SUMS")
                + " or "
                + mirror.url(IMAGES + "SHA256SUMS")
                + ")");
    assertThat(run.out()).doesNotContain("verified against");
    assertThat(Files.readAllBytes(root.resolve("distros/debian12/vmlinuz"))).isEqualTo(kernel);
  }

  @Test
  void aSha256SumsWithoutTheKernelWarnsAndCopiesUnverified() throws Exception {
    debianMirror(sha256(kernel));
    mirror.files.put(
        IMAGES + "SHA256SUMS",
        (sha256(initrd) + "  ./netboot/debian-installer/amd64/initrd.gz\n")
            .getBytes(StandardCharsets.UTF_8));
    Run run = importDebian(IMAGES + "netboot/");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "warning: "
                + mirror.url(IMAGES + "SHA256SUMS")
                + " has no entry for debian-installer/amd64/linux; it is copied unverified");
    assertThat(run.out())
        .contains("initrd.img verified against " + mirror.url(IMAGES + "SHA256SUMS"));
  }

  @Test
  void aDirectoryNeedsAnInstallTreeUrl() {
    Run run = run("--name", "d", "--from", DEBIAN.toString(), "--print");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("give --install-tree URL");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
