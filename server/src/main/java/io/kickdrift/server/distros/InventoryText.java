package io.kickdrift.server.distros;

import io.kickdrift.server.inventory.Distro;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Adds a distro to an inventory's YAML as text, so that everything else in the file (comments,
 * order, quoting) stays byte for byte: the entry goes after the last item of the top-level {@code
 * distros:} block list, or replaces the item of the same name, or starts a {@code distros:} key at
 * the end of the file.
 */
public final class InventoryText {
  private static final Pattern BLOCK = Pattern.compile("^distros:\\s*(#.*)?$");
  private static final Pattern EMPTY_FLOW = Pattern.compile("^distros:\\s*\\[\\s*]\\s*(#.*)?$");
  private static final Pattern ANY = Pattern.compile("^distros:.*$");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9._/:@%+=~-]*");
  private static final Set<String> RESERVED =
      Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");

  private InventoryText() {}

  /** A distro name is used as a directory name and in menus: letters, digits, {@code . _ -}. */
  public static boolean validName(String name) {
    return name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") && name.length() <= 100;
  }

  /** The YAML of one {@code distros:} item, each line starting with {@code indent}. */
  public static String entry(Distro d, String indent) {
    StringBuilder b = new StringBuilder();
    b.append(indent).append("- name: ").append(scalar(d.name())).append('\n');
    String in = indent + "  ";
    b.append(in).append("family: ").append(d.family().id()).append('\n');
    b.append(in).append("version: ").append(quoted(d.version())).append('\n');
    b.append(in).append("arch: ").append(scalar(d.arch())).append('\n');
    b.append(in).append("kernel: ").append(scalar(d.kernel())).append('\n');
    b.append(in).append("initrd: ").append(scalar(d.initrd())).append('\n');
    b.append(in).append("install-tree: ").append(scalar(d.installTree())).append('\n');
    return b.toString();
  }

  /**
   * The text with {@code d} added; with {@code replace}, an item of the same name is replaced in
   * place.
   *
   * @throws IllegalArgumentException a same-named item without {@code replace}, or a {@code
   *     distros:} list in flow style ({@code [...]}) that cannot be appended to as text
   */
  public static String withDistro(String text, Distro d, boolean replace) {
    List<String> lines = lines(text);
    int key = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (ANY.matcher(strip(lines.get(i))).matches()) {
        key = i;
        break;
      }
    }
    if (key < 0) {
      String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
      return text + sep + "distros:\n" + entry(d, "  ");
    }
    String keyLine = strip(lines.get(key));
    if (EMPTY_FLOW.matcher(keyLine).matches()) {
      lines.set(key, "distros:" + newline(lines.get(key)) + entry(d, "  "));
      return String.join("", lines);
    }
    if (!BLOCK.matcher(keyLine).matches()) {
      throw new IllegalArgumentException(
          "line "
              + (key + 1)
              + ": distros: is written in flow style; write it as a block list (- name: …) to"
              + " import into it, or use --print");
    }
    int end = key + 1; // one past the block's last content line
    String indent = null;
    List<Integer> items = new ArrayList<>();
    for (int i = key + 1; i < lines.size(); i++) {
      String line = strip(lines.get(i));
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int lead = line.length() - line.stripLeading().length();
      if (lead == 0 && !trimmed.startsWith("-")) {
        break;
      }
      if (trimmed.startsWith("-") && (indent == null || lead == indent.length())) {
        indent = indent == null ? line.substring(0, lead) : indent;
        items.add(i);
      }
      end = i + 1;
    }
    String itemIndent = indent == null ? "  " : indent;
    String entry = entry(d, itemIndent);
    for (int n = 0; n < items.size(); n++) {
      int from = items.get(n);
      int to = n + 1 < items.size() ? items.get(n + 1) : end;
      if (names(lines.subList(from, to), d.name())) {
        if (!replace) {
          throw new IllegalArgumentException(
              "line " + (from + 1) + ": a distro named " + d.name() + " is already there");
        }
        while (to > from + 1 && isBlankOrComment(lines.get(to - 1))) {
          to--;
        }
        List<String> out = new ArrayList<>(lines.subList(0, from));
        out.add(entry);
        out.addAll(lines.subList(to, lines.size()));
        return String.join("", out);
      }
    }
    if (end > 0 && !lines.get(end - 1).endsWith("\n")) {
      lines.set(end - 1, lines.get(end - 1) + "\n");
    }
    lines.add(end, entry);
    return String.join("", lines);
  }

  /** Whether an item's lines give it {@code name:} NAME (block or flow style). */
  private static boolean names(List<String> item, String name) {
    Pattern p =
        Pattern.compile("(^|[\\s{,-])name:\\s*([\"']?)" + Pattern.quote(name) + "\\2\\s*($|[,}#])");
    return item.stream().anyMatch(l -> p.matcher(strip(l)).find());
  }

  private static boolean isBlankOrComment(String line) {
    String t = line.strip();
    return t.isEmpty() || t.startsWith("#");
  }

  /** The lines with their terminators, so that joining them gives the text back. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static String strip(String line) {
    return line.endsWith("\r\n")
        ? line.substring(0, line.length() - 2)
        : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
  }

  private static String newline(String line) {
    return line.endsWith("\r\n") ? "\r\n" : "\n";
  }

  private static String scalar(String v) {
    return PLAIN.matcher(v).matches()
            && !RESERVED.contains(v.toLowerCase(java.util.Locale.ROOT))
            && !v.matches("[0-9][0-9._eE+-]*")
        ? v
        : quoted(v);
  }

  /** A YAML double-quoted scalar (JSON string escapes are valid in it). */
  private static String quoted(String v) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
