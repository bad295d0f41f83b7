package io.kickdrift.server.inventory;

import io.kickdrift.server.guard.Invisibles;
import io.kickdrift.server.guard.LogText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an inventory string may look like, by what reads it: kickstarts (split like a shell line by
 * pykickstart, `#` starts a comment, a line starting `%` a section), GRUB scripts ({@code $ ; | & <
 * > { } ' " \} are syntax, {@code * ? [ ]} wildcards once the regexp module is loaded), iPXE
 * scripts ({@code ${…}} expands, {@code || && ;} chain, quotes and backslash quote, {@code #}
 * comments), pxelinux lines and DHCP configs (quoted strings; dnsmasq splits on commas). Each shape
 * takes only characters all of its readers pass through literally. See docs/inventory.md, "Values".
 */
enum Shape {
  /** Distro, profile and repo names, versions, architectures, variable names. */
  NAME(
      Chars.of("A-Za-z0-9._-"),
      Chars.of("A-Za-z0-9"),
      64,
      "a name: 1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit"),
  /** Linux takes at most 15 bytes ({@code IFNAMSIZ} less its NUL), no / or white space. */
  INTERFACE(
      Chars.of("A-Za-z0-9._-"),
      Chars.of("A-Za-z0-9"),
      15,
      "a Linux interface name: 1 to 15 of A-Z a-z 0-9 . _ -, starting with a letter or digit"),
  /** POSIX's portable user names, at most 32 characters as useradd allows by default. */
  USER(
      Chars.of("A-Za-z0-9._-"),
      Chars.of("A-Za-z0-9_"),
      32,
      "a POSIX user name: 1 to 32 of A-Z a-z 0-9 . _ -, not starting with - or ."),
  /** A {@code %packages} line: a package, {@code @group}, {@code @^environment}, {@code -name}. */
  PACKAGE(
      Chars.of("A-Za-z0-9._+*?:/@^-"),
      Chars.of("A-Za-z0-9_@-"),
      256,
      "a package, @group or -package: 1 to 256 of A-Z a-z 0-9 . _ + * ? : / @ ^ -"),
  /** A template under the templates directory (or built in); never leaves it. */
  TEMPLATE(
      Chars.of("A-Za-z0-9._/-"),
      Chars.of("A-Za-z0-9_"),
      255,
      "a template name such as rhel9.ks.ftl or site/web.ks.ftl: names of A-Z a-z 0-9 . _ -"
          + " separated by /") {
    @Override
    String problem(String value) {
      return pathProblem(value, false);
    }
  },
  /** A boot program DHCP names ({@code filename "…"}, dnsmasq's comma-separated dhcp-boot). */
  BOOT_PATH(
      Chars.of(Chars.PATH),
      Chars.of(Chars.PATH),
      255,
      "a path under the TFTP root such as grubx64.efi or efi64/syslinux.efi: 1 to 255 of A-Z a-z"
          + " 0-9 . _ + ~ - /, no . or .. parts") {
    @Override
    String problem(String value) {
      return pathProblem(value, true);
    }
  },
  /** A kernel or initrd: an http, https or tftp URL, or a path under the TFTP root. */
  BOOT_IMAGE(
      Chars.of(Chars.URL),
      Chars.of(Chars.URL),
      1024,
      "an http, https or tftp URL (" + Chars.URL_TEXT + "), or a path under the TFTP root") {
    @Override
    String problem(String value) {
      if (value.contains("://")) {
        return url(value, Set.of("http", "https", "tftp"), expected());
      }
      String problem = characters(value, Chars.PATH_SET, Chars.PATH_SET, 255, expected());
      return problem != null ? problem : segments(value, true, expected());
    }
  },
  /** The install source: Anaconda's {@code url --url} and {@code inst.repo=} on boot lines. */
  INSTALL_TREE(
      Chars.of(Chars.URL),
      Chars.of(Chars.URL),
      1024,
      "an http, https or ftp URL: " + Chars.URL_TEXT) {
    @Override
    String problem(String value) {
      return url(value, Set.of("http", "https", "ftp"), expected());
    }
  },
  /** A kickstart {@code repo --baseurl}. */
  REPO_URL(
      Chars.of(Chars.URL),
      Chars.of(Chars.URL),
      1024,
      "an http, https, ftp or nfs URL: " + Chars.URL_TEXT) {
    @Override
    String problem(String value) {
      return url(value, Set.of("http", "https", "ftp", "nfs"), expected());
    }
  },
  /**
   * Kernel command-line words for GRUB {@code linux}, iPXE {@code kernel} and pxelinux {@code
   * APPEND} lines at once: separated by spaces, each of the URL characters.
   */
  KERNEL_ARGS(
      Chars.of(" " + Chars.URL),
      Chars.of(" " + Chars.URL),
      1024,
      "kernel arguments separated by spaces: at most 1024 of A-Z a-z 0-9 - . _ ~ : / @ ! ( ) +"
          + " , = % and space") {
    @Override
    String problem(String value) {
      return value.isEmpty() ? null : super.problem(value); // "" clears a parent's arguments
    }
  },
  /** Anaconda's storage commands, one per line; the one key documented as multi-line. */
  PARTITIONING(
      null,
      null,
      Integer.MAX_VALUE,
      "one storage command per line, each one of " + String.join(", ", Chars.STORAGE)) {
    @Override
    String problem(String value) {
      String[] lines = value.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int bad = Invisibles.find(line, false);
        if (bad >= 0) {
          return "line "
              + (i + 1)
              + " has "
              + Chars.show(line.codePointAt(bad))
              + "; expected "
              + expected();
        }
        String command = line.split("[ \t]", 2)[0];
        if (!Chars.STORAGE.contains(command)) {
          return "line "
              + (i + 1)
              + " starts '"
              + LogText.of(command, 40)
              + "'"
              + (command.startsWith("%") ? ", a kickstart section" : "")
              + "; expected "
              + expected();
        }
      }
      return null;
    }
  },
  /** {@code lang}: a locale such as en_US.UTF-8. */
  LOCALE(
      Chars.of("A-Za-z0-9._@-"),
      Chars.of("A-Za-z"),
      64,
      "a locale such as en_US.UTF-8: 1 to 64 of A-Z a-z 0-9 . _ @ -"),
  /** {@code keyboard}: a console keymap or X layout list such as us or de-nodeadkeys. */
  KEYBOARD(
      Chars.of("A-Za-z0-9._,()-"),
      Chars.of("A-Za-z0-9"),
      64,
      "a keyboard layout such as us or de-nodeadkeys: 1 to 64 of A-Z a-z 0-9 . _ , ( ) -"),
  /** {@code timezone}: a tz database name such as Europe/Paris or Etc/GMT+5. */
  TIMEZONE(
      Chars.of("A-Za-z0-9._+/-"),
      Chars.of("A-Za-z"),
      64,
      "a time zone such as UTC or Europe/Paris: 1 to 64 of A-Z a-z 0-9 . _ + / -"),
  /** {@code ntp-server}: a host name or an address. */
  HOST(
      Chars.of("A-Za-z0-9.:-"),
      Chars.of("A-Za-z0-9:"),
      253,
      "a host name or address such as ntp.example.com or 192.0.2.1"),
  /** {@code install-disk}: disks for {@code ignoredisk --only-use}, such as sda or nvme0n1,sdb. */
  DISKS(
      Chars.of("A-Za-z0-9._,:/+=-"),
      Chars.of("A-Za-z0-9/"),
      1024,
      "disks such as sda, nvme0n1,sdb or disk/by-id/wwn-0x5000c500a1b2c3d4: A-Z a-z 0-9 . _ , :"
          + " / + = -"),
  /** {@code selinux}. */
  SELINUX(null, null, 0, "enforcing, permissive or disabled") {
    @Override
    String problem(String value) {
      return Set.of("enforcing", "permissive", "disabled").contains(value)
          ? null
          : shown(value) + "; expected " + expected();
    }
  };

  private final BitSet chars;
  private final BitSet first;
  private final int max;
  private final String expected;

  Shape(BitSet chars, BitSet first, int max, String expected) {
    this.chars = chars;
    this.first = first;
    this.max = max;
    this.expected = expected;
  }

  /** What the shape is, for messages: {@code a name: 1 to 64 of …}. */
  String expected() {
    return expected;
  }

  /**
   * What is wrong with {@code value}, as {@code 'value' has ';' at character 3; expected …}, or
   * null when it has this shape.
   */
  String problem(String value) {
    return characters(value, first, chars, max, expected);
  }

  /**
   * The characters checked as {@link #problem} does, then the parts between slashes: none empty,
   * {@code .} or {@code ..} (one leading slash allowed when {@code leadingSlash}).
   */
  final String pathProblem(String value, boolean leadingSlash) {
    String problem = characters(value, first, chars, max, expected);
    return problem != null ? problem : segments(value, leadingSlash, expected);
  }

  private static String characters(
      String value, BitSet first, BitSet chars, int max, String expected) {
    if (value.isEmpty()) {
      return "empty; expected " + expected;
    }
    if (value.length() > max) {
      return shown(value) + " is " + value.length() + " characters long; expected " + expected;
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (c >= 128 || !(i == 0 ? first : chars).get(c)) {
        return shown(value)
            + (i == 0 ? " starts with " : " has ")
            + Chars.show(c)
            + (i == 0 ? "" : " at character " + (value.codePointCount(0, i) + 1))
            + "; expected "
            + expected;
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** A value as messages quote it: invisible characters escaped, at most 80 characters. */
  static String shown(String value) {
    return "'" + LogText.of(value, 80) + "'";
  }

  private static String segments(String value, boolean leadingSlash, String expected) {
    String path = leadingSlash && value.startsWith("/") ? value.substring(1) : value;
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return shown(value) + " has an empty, . or .. part; expected " + expected;
      }
    }
    return null;
  }

  private static String url(String value, Set<String> schemes, String expected) {
    String problem = characters(value, Chars.URL_SET, Chars.URL_SET, 1024, expected);
    if (problem != null) {
      return problem;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return shown(value) + " is not a URL (" + e.getReason() + "); expected " + expected;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!schemes.contains(scheme)) {
      return shown(value)
          + (scheme.isEmpty() ? " has no scheme" : " is a " + scheme + " URL")
          + "; expected "
          + expected;
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return shown(value) + " names no host; expected " + expected;
    }
    return null;
  }

  /** Character sets written as regex classes, and how messages show one character. */
  private static final class Chars {
    static final String PATH = "A-Za-z0-9._+~/-";
    static final String URL = "A-Za-z0-9._~:/@!()+,=%-";
    static final BitSet URL_SET = of(URL);
    static final BitSet PATH_SET = of(PATH);
    static final String URL_TEXT = "at most 1024 of A-Z a-z 0-9 - . _ ~ : / @ ! ( ) + , = %";
    static final List<String> STORAGE =
        List.of(
            "autopart",
            "bootloader",
            "btrfs",
            "clearpart",
            "fcoe",
            "ignoredisk",
            "iscsi",
            "iscsiname",
            "logvol",
            "mount",
            "nvdimm",
            "part",
            "partition",
            "raid",
            "reqpart",
            "snapshot",
            "volgroup",
            "zerombr",
            "zfcp",
            "zipl");

    private Chars() {}

    /** The ASCII characters of the regex class {@code [spec]}. */
    static BitSet of(String spec) {
      Pattern one = Pattern.compile("[" + spec + "]");
      BitSet set = new BitSet(128);
      for (int c = 0; c < 128; c++) {
        if (one.matcher(String.valueOf((char) c)).matches()) {
          set.set(c);
        }
      }
      return set;
    }

    static String show(int c) {
      return c > 0x20 && c < 0x7f ? "'" + (char) c + "'" : Invisibles.describe(c);
    }
  }
}
