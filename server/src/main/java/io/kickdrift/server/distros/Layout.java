package io.kickdrift.server.distros;

import io.kickdrift.server.inventory.Family;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an install tree offers for netboot: family, version (when the tree says), architecture,
 * kernel and initrd paths relative to the tree, and their checksums (when the tree has them).
 *
 * @param version empty when the tree does not say; {@code --version} must then
 * @param layout how it was recognised, e.g. {@code .treeinfo} or {@code debian-installer/amd64}
 */
public record Layout(
    Family family,
    Optional<String> version,
    String arch,
    String kernel,
    String initrd,
    Optional<Checksum> kernelSum,
    Optional<Checksum> initrdSum,
    String layout) {

  /** A netboot layout without {@code .treeinfo}: where kernel and initrd are, and whose it is. */
  private record Netboot(Family family, String debArch, String dir, String kernel, String initrd) {}

  private static final List<String> DEB_ARCHES = List.of("amd64", "arm64", "i386");
  private static final Map<String, String> ARCHES =
      Map.of("amd64", "x86_64", "arm64", "aarch64", "i386", "i386");
  private static final Pattern DEBIAN_VERSION = Pattern.compile("Debian version:\\s*(\\S+)");
  private static final Pattern UBUNTU_VERSION = Pattern.compile("\\b(\\d+\\.\\d+(?:\\.\\d+)?)\\b");

  /** Recognises the tree: {@code .treeinfo} first, then the Debian and Ubuntu netboot layouts. */
  public static Layout detect(TreeSource tree) throws IOException, ImportException {
    Optional<String> treeinfo = tree.readText(".treeinfo");
    if (treeinfo.isPresent()) {
      try {
        return fromTreeInfo(TreeInfo.parse(treeinfo.get()));
      } catch (TreeInfoException e) {
        String where = e.getMessage().substring(".treeinfo".length());
        throw new ImportException(tree.location(".treeinfo") + where);
      }
    }
    for (Netboot n : candidates()) {
      if (tree.exists(n.dir + n.kernel) && tree.exists(n.dir + n.initrd)) {
        return netboot(tree, n);
      }
    }
    throw new ImportException(
        tree.location("")
            + ": no .treeinfo and no netboot layout; expected .treeinfo (Red Hat family, Fedora),"
            + " debian-installer/ARCH/linux + initrd.gz (Debian), ARCH/linux + initrd or"
            + " casper/vmlinuz + casper/initrd (Ubuntu)");
  }

  /** Kernel and initrd of the tree's own architecture, with their checksums. */
  static Layout fromTreeInfo(TreeInfo info) throws ImportException {
    TreeInfo.Images images =
        info.imagesFor(info.arch())
            .orElseThrow(
                () ->
                    new ImportException(
                        ".treeinfo: no [images-"
                            + info.arch()
                            + "] with kernel and initrd; expected the netboot images"));
    String kernel = inside(images.kernel());
    String initrd = inside(images.initrd());
    return new Layout(
        info.family(),
        Optional.of(info.version()),
        info.arch(),
        kernel,
        initrd,
        Optional.ofNullable(info.checksums().get(kernel)),
        Optional.ofNullable(info.checksums().get(initrd)),
        ".treeinfo");
  }

  private static List<Netboot> candidates() {
    List<Netboot> all = new java.util.ArrayList<>();
    for (String a : DEB_ARCHES) {
      all.add(new Netboot(Family.DEBIAN, a, "debian-installer/" + a + "/", "linux", "initrd.gz"));
      all.add(new Netboot(Family.UBUNTU, a, "ubuntu-installer/" + a + "/", "linux", "initrd.gz"));
      all.add(new Netboot(Family.UBUNTU, a, a + "/", "linux", "initrd"));
    }
    all.add(new Netboot(Family.UBUNTU, "amd64", "casper/", "vmlinuz", "initrd"));
    return all;
  }

  private static Layout netboot(TreeSource tree, Netboot n) throws IOException {
    Optional<String> version =
        n.family == Family.DEBIAN
            ? tree.readText("version.info").flatMap(t -> first(DEBIAN_VERSION, t))
            : tree.readText(".disk/info").flatMap(t -> first(UBUNTU_VERSION, t));
    return new Layout(
        n.family,
        version,
        ARCHES.get(n.debArch),
        n.dir + n.kernel,
        n.dir + n.initrd,
        Optional.empty(),
        Optional.empty(),
        n.dir.isEmpty() ? n.kernel : n.dir.substring(0, n.dir.length() - 1));
  }

  /** The version a {@code version.info} or {@code .disk/info} text gives, if it gives one. */
  static Optional<String> first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static Optional<String> debianVersion(String versionInfo) {
    return first(DEBIAN_VERSION, versionInfo);
  }

  static Optional<String> ubuntuVersion(String diskInfo) {
    return first(UBUNTU_VERSION, diskInfo);
  }

  /** A path from {@code .treeinfo}, refused when it would leave the tree. */
  private static String inside(String path) throws ImportException {
    String p = path.replace('\\', '/');
    if (p.isEmpty()
        || p.startsWith("/")
        || p.contains("://")
        || List.of(p.split("/")).contains("..")) {
      throw new ImportException(
          ".treeinfo: image path '" + path + "' leaves the tree; expected a relative path in it");
    }
    return p;
  }
}
