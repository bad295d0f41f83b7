package io.kickdrift.server.distros;

import io.kickdrift.server.inventory.Family;
import java.io.IOException;
import java.util.ArrayList;
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
 * @param checksumsFrom the {@code .treeinfo} or {@code SHA256SUMS} (URL or path) the checksums come
 *     from; empty when none was found
 * @param searched where checksums were looked for (URLs or paths), for the note when none was found
 */
public record Layout(
    Family family,
    Optional<String> version,
    String arch,
    String kernel,
    String initrd,
    Optional<Checksum> kernelSum,
    Optional<Checksum> initrdSum,
    String layout,
    Optional<String> checksumsFrom,
    List<String> searched) {

  public Layout {
    searched = List.copyOf(searched);
  }

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
        Layout l = fromTreeInfo(TreeInfo.parse(treeinfo.get()));
        String where = tree.location(".treeinfo");
        return new Layout(
            l.family,
            l.version,
            l.arch,
            l.kernel,
            l.initrd,
            l.kernelSum,
            l.initrdSum,
            l.layout,
            Optional.of(where),
            List.of(where));
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
        ".treeinfo",
        Optional.of(".treeinfo"),
        List.of(".treeinfo"));
  }

  private static List<Netboot> candidates() {
    List<Netboot> all = new ArrayList<>();
    for (String a : DEB_ARCHES) {
      all.add(new Netboot(Family.DEBIAN, a, "debian-installer/" + a + "/", "linux", "initrd.gz"));
      all.add(new Netboot(Family.UBUNTU, a, "ubuntu-installer/" + a + "/", "linux", "initrd.gz"));
      all.add(new Netboot(Family.UBUNTU, a, a + "/", "linux", "initrd"));
    }
    all.add(new Netboot(Family.UBUNTU, "amd64", "casper/", "vmlinuz", "initrd"));
    return all;
  }

  private static Layout netboot(TreeSource tree, Netboot n) throws IOException, ImportException {
    Optional<String> version =
        n.family == Family.DEBIAN
            ? tree.readText("version.info").flatMap(t -> first(DEBIAN_VERSION, t))
            : tree.readText(".disk/info").flatMap(t -> first(UBUNTU_VERSION, t));
    String kernel = n.dir + n.kernel;
    String initrd = n.dir + n.initrd;
    List<String> searched = new ArrayList<>();
    Optional<Checksum> kernelSum = Optional.empty();
    Optional<Checksum> initrdSum = Optional.empty();
    Optional<String> from = Optional.empty();
    for (String[] at : sumsLocations(tree)) {
      String where = tree.location(at[0]);
      searched.add(where);
      Optional<String> text = tree.readText(at[0]);
      if (text.isPresent()) {
        Sha256Sums sums;
        try {
          sums = Sha256Sums.parse(text.get());
        } catch (Sha256SumsException e) {
          throw new ImportException(where + e.getMessage().substring("SHA256SUMS".length()));
        }
        kernelSum = sums.find(at[1], kernel);
        initrdSum = sums.find(at[1], initrd);
        from = Optional.of(where);
        break;
      }
    }
    return new Layout(
        n.family,
        version,
        ARCHES.get(n.debArch),
        kernel,
        initrd,
        kernelSum,
        initrdSum,
        n.dir.isEmpty() ? n.kernel : n.dir.substring(0, n.dir.length() - 1),
        from,
        searched);
  }

  /**
   * Where a netboot tree's {@code SHA256SUMS} may be, in order: in the tree, then in its parent
   * (Debian's {@code images/SHA256SUMS} above {@code images/netboot/}). Each is the path relative
   * to the tree and the tree's directory relative to that file's, as {@link Sha256Sums#find} takes
   * it.
   */
  static List<String[]> sumsLocations(TreeSource tree) {
    List<String[]> at = new ArrayList<>();
    at.add(new String[] {"SHA256SUMS", ""});
    String name = lastSegment(tree.location(""));
    if (!name.isEmpty() && !name.equals(".") && !name.equals("..")) {
      at.add(new String[] {"../SHA256SUMS", name + "/"});
    }
    return at;
  }

  /**
   * The last segment of a path or URL, e.g. {@code netboot} of {@code http://m/images/netboot/}.
   */
  static String lastSegment(String location) {
    String s = location;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.matches("(?i)https?://[^/]*")) {
      return ""; // a mirror's top has no directory to go up from
    }
    return s.substring(s.lastIndexOf('/') + 1);
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
