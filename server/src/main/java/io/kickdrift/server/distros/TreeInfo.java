package io.kickdrift.server.distros;

import io.kickdrift.server.inventory.Family;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an install tree's {@code .treeinfo} says, as productmd writes it (INI): the family from
 * {@code [release] name} (or the older {@code [general] family}), the version, the architecture,
 * kernel and initrd per platform from {@code [images-PLATFORM]}, and {@code [checksums]}.
 *
 * <pre>{@code
 * TreeInfo info = TreeInfo.parse(Files.readString(tree.resolve(".treeinfo")));
 * Images images = info.images().get(info.arch()); // kernel images/pxeboot/vmlinuz
 * }</pre>
 *
 * @param family the inventory family the distribution's name maps to
 * @param familyName the name as the file gives it, e.g. {@code Rocky Linux}
 * @param version e.g. {@code 9.4}
 * @param arch the tree's architecture, e.g. {@code x86_64}
 * @param images kernel and initrd per platform, in file order
 * @param checksums expected digests by path relative to the tree
 */
record TreeInfo(
    Family family,
    String familyName,
    String version,
    String arch,
    Map<String, Images> images,
    Map<String, Checksum> checksums) {

  /** The netboot images of one platform, as paths relative to the tree. */
  public record Images(String kernel, String initrd) {}

  private static final Map<String, Family> FAMILIES =
      Map.of(
          "red hat enterprise linux", Family.RHEL,
          "rhel", Family.RHEL,
          "rocky linux", Family.ROCKY,
          "rocky", Family.ROCKY,
          "almalinux", Family.ALMA,
          "alma", Family.ALMA,
          "fedora", Family.FEDORA);

  public TreeInfo {
    images = Map.copyOf(images);
    checksums = Map.copyOf(checksums);
  }

  /** The images for {@code platform}, else for the tree's own architecture. */
  public Optional<Images> imagesFor(String platform) {
    return Optional.ofNullable(images.get(platform))
        .or(() -> Optional.ofNullable(images.get(arch)));
  }

  /** Parses the text of a {@code .treeinfo}. */
  public static TreeInfo parse(String text) throws TreeInfoException {
    Ini ini = Ini.parse(text);
    Ini.Value name = ini.get("release", "name").or(() -> ini.get("general", "family")).orElse(null);
    if (name == null) {
      throw new TreeInfoException(
          ini.lines(), "no [release] name or [general] family; expected the distribution's name");
    }
    Family family = FAMILIES.get(name.text().toLowerCase(Locale.ROOT));
    if (family == null) {
      throw new TreeInfoException(
          name.line(),
          "unknown family '"
              + name.text()
              + "'; expected Red Hat Enterprise Linux, Rocky Linux, AlmaLinux or Fedora");
    }
    String version = required(ini, "version", "the distribution's version, e.g. 9.4");
    String arch = required(ini, "arch", "the tree's architecture, e.g. x86_64");
    Map<String, Images> images = new LinkedHashMap<>();
    for (String section : ini.sections()) {
      if (section.startsWith("images-")) {
        Optional<Ini.Value> kernel = ini.get(section, "kernel");
        Optional<Ini.Value> initrd = ini.get(section, "initrd");
        if (kernel.isPresent() && initrd.isPresent()) {
          String platform = section.substring("images-".length());
          images.put(platform, new Images(kernel.get().text(), initrd.get().text()));
        }
      }
    }
    Map<String, Checksum> checksums = new LinkedHashMap<>();
    for (Map.Entry<String, Ini.Value> e : ini.section("checksums").entrySet()) {
      StringBuilder why = new StringBuilder();
      Checksum sum =
          Checksum.parse(e.getValue().text(), why)
              .orElseThrow(() -> new TreeInfoException(e.getValue().line(), why.toString()));
      checksums.put(e.getKey(), sum);
    }
    return new TreeInfo(family, name.text(), version, arch, images, checksums);
  }

  /** {@code [release] KEY} or, for RHEL 7 style files, {@code [general] KEY}; arch is in [tree]. */
  private static String required(Ini ini, String key, String expected) throws TreeInfoException {
    String newer = key.equals("arch") ? "tree" : "release";
    Optional<Ini.Value> v = ini.get(newer, key).or(() -> ini.get("general", key));
    if (v.isEmpty() || v.get().text().isEmpty()) {
      throw new TreeInfoException(
          v.map(Ini.Value::line).orElse(ini.lines()),
          "no [" + newer + "] or [general] " + key + "; expected " + expected);
    }
    return v.get().text();
  }
}
