package io.kickdrift.server.distros;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code SHA256SUMS} file as Debian and Ubuntu mirrors publish it beside their installer images:
 * lines {@code HEX PATH} (text mode) or {@code HEX *PATH} (binary mode), paths relative to the
 * file's directory, usually with a {@code ./} prefix.
 *
 * <pre>{@code
 * Sha256Sums sums = Sha256Sums.parse(text); // from .../current/images/SHA256SUMS
 * sums.find("netboot/", "debian-installer/amd64/linux"); // sha256:… of ./netboot/debian-…
 * }</pre>
 *
 * @param digests lower-case hex digests by path, without the {@code ./} prefix, in file order
 */
record Sha256Sums(Map<String, String> digests) {
  private static final int HEX = 64;

  public Sha256Sums {
    digests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(digests));
  }

  /** Parses the text of a {@code SHA256SUMS}; blank lines are skipped. */
  public static Sha256Sums parse(String text) throws Sha256SumsException {
    Map<String, String> digests = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    String[] all = text.split("\n", -1);
    for (int i = 0; i < all.length; i++) {
      int n = i + 1;
      String line = all[i].endsWith("\r") ? all[i].substring(0, all[i].length() - 1) : all[i];
      if (line.isBlank()) {
        continue;
      }
      if (line.length() < HEX || !isHex(line.substring(0, HEX))) {
        throw new Sha256SumsException(
            n,
            "'"
                + shorten(line)
                + "' does not start with "
                + HEX
                + " hex digits; expected HEX  PATH");
      }
      if (line.length() < HEX + 3
          || line.charAt(HEX) != ' '
          || (line.charAt(HEX + 1) != ' ' && line.charAt(HEX + 1) != '*')) {
        throw new Sha256SumsException(
            n, "no path after the digest; expected HEX, two spaces (or ' *') and a path");
      }
      String path = line.substring(HEX + 2);
      while (path.startsWith("./")) { // "./x" and "././x" both name x
        path = path.substring(2);
      }
      if (path.isEmpty()) {
        throw new Sha256SumsException(n, "empty path after the digest; expected a file's path");
      }
      Integer first = lines.putIfAbsent(path, n);
      if (first != null) {
        throw new Sha256SumsException(
            n, "a second digest for '" + shorten(path) + "' (first on line " + first + ")");
      }
      digests.put(path, line.substring(0, HEX).toLowerCase(Locale.ROOT));
    }
    return new Sha256Sums(digests);
  }

  /**
   * The expected digest of a tree's file, or empty when this file does not list it.
   *
   * @param treeDir where the tree is relative to this file's directory: {@code ""} when the file is
   *     in the tree, {@code "netboot/"} when it is in the parent of a tree named {@code netboot}
   * @param path the file's path relative to the tree, e.g. {@code debian-installer/amd64/linux}
   * @return the entry for {@code treeDir + path}, else the only entry ending in {@code /path}
   */
  public Optional<Checksum> find(String treeDir, String path) {
    String exact = digests.get(treeDir + path);
    if (exact != null) {
      return Optional.of(new Checksum("sha256", exact));
    }
    List<String> suffixed = new ArrayList<>();
    for (Map.Entry<String, String> e : digests.entrySet()) {
      if (e.getKey().endsWith("/" + path) && e.getKey().startsWith(treeDir)) {
        suffixed.add(e.getValue());
      }
    }
    return suffixed.size() == 1
        ? Optional.of(new Checksum("sha256", suffixed.get(0)))
        : Optional.empty();
  }

  private static boolean isHex(String s) {
    return s.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0);
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
