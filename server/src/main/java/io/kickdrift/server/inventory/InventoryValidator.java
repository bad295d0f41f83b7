package io.kickdrift.server.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The consistency checks on a parsed inventory; every problem is reported, in file order. */
final class InventoryValidator {
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  private static final Pattern SHA512_CRYPT =
      Pattern.compile("\\$6\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}");
  private static final Pattern SSH_PUBLIC_KEY =
      Pattern.compile(
          "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+)"
              + " [A-Za-z0-9+/]+=*( [\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*)?");

  private record Problem(Sources.Place at, String message) {}

  /** Problems (the inventory is refused) and warnings, each sorted by position. */
  record Findings(List<String> problems, List<String> warnings) {}

  private final Inventory inventory;
  private final Sources sources;
  private final List<Problem> problems = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();
  private List<Ipv4.Cidr> cidrs;

  private InventoryValidator(Inventory inventory, Sources sources) {
    this.inventory = inventory;
    this.sources = sources;
  }

  /**
   * Every problem as {@code file:line:column: path: message}, every warning as {@code
   * file:line:column: warning: path: message}, each sorted by position: the file, then the host
   * files in reading order. A host's path is that within its own file.
   */
  static Findings check(Inventory inventory, Sources sources) {
    InventoryValidator v = new InventoryValidator(inventory, sources);
    v.server();
    v.variables("defaults.variables", inventory.defaults().variables());
    v.distros();
    v.subnets();
    v.profiles();
    v.hosts();
    v.dns();
    return new Findings(sorted("", v.problems), sorted("warning: ", v.warnings));
  }

  private static List<String> sorted(String kind, List<Problem> problems) {
    return problems.stream()
        .sorted(
            Comparator.comparingInt((Problem p) -> p.at().order())
                .thenComparingInt(p -> p.at().at().line())
                .thenComparingInt(p -> p.at().at().column()))
        .map(
            p ->
                p.at().file()
                    + ":"
                    + p.at().at()
                    + ": "
                    + kind
                    + p.at().path()
                    + ": "
                    + p.message())
        .toList();
  }

  private void report(String path, String message) {
    problems.add(new Problem(sources.of(path), message));
  }

  private void warn(String path, String message) {
    warnings.add(new Problem(sources.of(path), message));
  }

  /** Reports a value not of {@code shape}; an absent one is fine. */
  private boolean shape(String path, String value, Shape shape) {
    String problem = value == null ? null : shape.problem(value);
    if (problem != null) {
      report(path, problem);
    }
    return problem == null;
  }

  /**
   * {@code line N} of a site-wide field, which is always in the main file; with the main file's
   * name when the inventory has host files, since the problem may be reported in one of them.
   */
  private String line(String path) {
    Sources.Place place = sources.of(path);
    return (sources.several() ? place.file() + " " : "") + "line " + place.at().line();
  }

  private boolean required(String path, Object value, String expected) {
    if (value == null || value instanceof String s && s.isBlank()) {
      report(path, "missing; expected " + expected);
      return false;
    }
    return true;
  }

  /** Reports a name already used at an earlier path; returns whether the name was new. */
  private boolean unique(Map<String, String> seen, String key, String path, String what) {
    String first = seen.putIfAbsent(key, path);
    if (first != null) {
      report(
          path, "duplicate " + what + "; first at " + sources.of(first).shown(sources.mainFile()));
      return false;
    }
    return true;
  }

  /** Checks {@code AT.name}: present, of {@link Shape#NAME}, not used by an earlier one. */
  private void name(Map<String, String> names, String at, String name, String what) {
    if (required(at + ".name", name, "a " + what + " name")
        && shape(at + ".name", name, Shape.NAME)) {
      unique(names, name, at + ".name", what + " name " + name);
    }
  }

  private void distros() {
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < inventory.distros().size(); i++) {
      Distro d = inventory.distros().get(i);
      String at = "distros[" + i + "]";
      name(names, at, d.name(), "distro");
      required(at + ".family", d.family(), "one of rhel, rocky, alma, fedora, debian, ubuntu");
      if (required(at + ".version", d.version(), "an OS version such as 9")) {
        shape(at + ".version", d.version(), Shape.NAME);
      }
      shape(at + ".arch", d.arch(), Shape.NAME);
      if (required(at + ".kernel", d.kernel(), "the kernel's URL or TFTP path")) {
        shape(at + ".kernel", d.kernel(), Shape.BOOT_IMAGE);
      }
      if (required(at + ".initrd", d.initrd(), "the initrd's URL or TFTP path")) {
        shape(at + ".initrd", d.initrd(), Shape.BOOT_IMAGE);
      }
      if (required(at + ".install-tree", d.installTree(), "the install tree's URL")) {
        shape(at + ".install-tree", d.installTree(), Shape.INSTALL_TREE);
      }
      if (d.grubLinux() != null && !Set.of("linux", "linuxefi").contains(d.grubLinux())) {
        report(at + ".grub-linux", Shape.shown(d.grubLinux()) + "; expected linux or linuxefi");
      }
    }
  }

  private void subnets() {
    for (int i = 0; i < inventory.subnets().size(); i++) {
      Subnet s = inventory.subnets().get(i);
      String at = "subnets[" + i + "]";
      if (required(at + ".network", s.network(), "a network in CIDR notation")
          && Ipv4.Cidr.parse(s.network()).isEmpty()) {
        report(
            at + ".network",
            "malformed network "
                + Shape.shown(s.network())
                + "; expected CIDR such as 192.0.2.0/25");
      }
      if (s.domain() != null) {
        dnsName(at + ".domain", s.domain());
      }
      address(at + ".router", s.router());
      address(at + ".next-server", s.nextServer());
      for (int j = 0; j < s.dns().size(); j++) {
        address(at + ".dns[" + j + "]", s.dns().get(j));
      }
      if (s.range() != null) {
        boolean start = inSubnet(at + ".range.start", s, s.range().start());
        boolean end = inSubnet(at + ".range.end", s, s.range().end());
        if (start && end && Ipv4.parse(s.range().start()) > Ipv4.parse(s.range().end())) {
          report(at + ".range", "start is after end");
        }
      }
    }
  }

  private boolean inSubnet(String path, Subnet subnet, String ip) {
    if (!required(path, ip, "an IPv4 address") || !address(path, ip)) {
      return false;
    }
    if (!subnet.contains(ip)) {
      report(path, ip + " is outside " + subnet.network());
      return false;
    }
    return true;
  }

  /** Reports a malformed address; an absent one is fine. */
  private boolean address(String path, String ip) {
    if (ip != null && Ipv4.parse(ip) == Ipv4.MALFORMED) {
      report(
          path,
          "malformed IPv4 address "
              + Shape.shown(ip)
              + "; expected a dotted quad such as 192.0.2.1");
      return false;
    }
    return true;
  }

  private void profiles() {
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < inventory.profiles().size(); i++) {
      Profile p = inventory.profiles().get(i);
      String at = "profiles[" + i + "]";
      name(names, at, p.name(), "profile");
      if (p.distro() != null) {
        if (inventory.distro(p.distro()).isEmpty()) {
          report(at + ".distro", "unknown distro " + Shape.shown(p.distro()));
        }
      } else if (p.parent() == null) {
        report(at + ".distro", "missing; expected a distro name (or a parent to take it from)");
      }
      if (p.parent() != null) {
        if (inventory.profile(p.parent()).isEmpty()) {
          report(at + ".parent", "unknown parent profile " + Shape.shown(p.parent()));
        } else {
          cycle(at + ".parent", p);
        }
      }
      shape(at + ".kickstart", p.kickstart(), Shape.TEMPLATE);
      shape(at + ".partitioning", p.partitioning(), Shape.PARTITIONING);
      for (int j = 0; j < p.repos().size(); j++) {
        String repo = at + ".repos[" + j + "]";
        if (required(repo + ".name", p.repos().get(j).name(), "a repo name")) {
          shape(repo + ".name", p.repos().get(j).name(), Shape.NAME);
        }
        if (required(repo + ".baseurl", p.repos().get(j).baseurl(), "a URL")) {
          shape(repo + ".baseurl", p.repos().get(j).baseurl(), Shape.REPO_URL);
        }
      }
      for (int j = 0; j < p.packages().size(); j++) {
        shape(at + ".packages[" + j + "]", p.packages().get(j), Shape.PACKAGE);
      }
      variables(at + ".variables", p.variables());
    }
  }

  /** Follows parents from {@code start}; reports if the walk comes back to it. */
  private void cycle(String path, Profile start) {
    Set<String> seen = new LinkedHashSet<>();
    seen.add(start.name());
    for (String parent = start.parent(); parent != null; ) {
      if (parent.equals(start.name())) {
        report(path, "profile inheritance cycle: " + String.join(" -> ", seen) + " -> " + parent);
        return;
      }
      if (!seen.add(parent)) {
        return; // a cycle further up, reported at its own members
      }
      parent = inventory.profile(parent).map(Profile::parent).orElse(null);
    }
  }

  private void hosts() {
    // sized for every host and a second NIC on some: no rehashing of 10,000 entries at each reload
    int size = 4 * inventory.hosts().size();
    Map<String, String> names = new HashMap<>(size);
    Map<String, String> macs = new HashMap<>(size);
    Map<String, String> ips = new HashMap<>(size);
    Set<String> profiles = new HashSet<>();
    inventory.profiles().forEach(p -> profiles.add(p.name()));
    for (int i = 0; i < inventory.hosts().size(); i++) {
      Host h = inventory.hosts().get(i);
      String at = "hosts[" + i + "]";
      if (required(at + ".name", h.name(), "a host name or FQDN")) {
        if (!HOSTNAME.matcher(h.name()).matches() || h.name().length() > 253) {
          report(
              at + ".name",
              "malformed host name " + Shape.shown(h.name()) + "; expected a DNS name");
        } else {
          unique(names, h.name().toLowerCase(Locale.ROOT), at + ".name", "host name " + h.name());
        }
      }
      variables(at + ".variables", h.variables());
      if (required(at + ".profile", h.profile(), "a profile name")
          && !profiles.contains(h.profile())) {
        report(at + ".profile", "unknown profile " + Shape.shown(h.profile()));
      }
      shape(at + ".ssh.user", h.ssh().user(), Shape.USER);
      for (int j = 0; j < h.interfaces().size(); j++) {
        Interface nic = h.interfaces().get(j);
        String path = at + ".interfaces[" + j + "]";
        shape(path + ".name", nic.name(), Shape.INTERFACE);
        if (required(path + ".mac", nic.mac(), "a MAC address")) {
          if (Macs.normalise(nic.mac()).isEmpty()) {
            report(
                path + ".mac",
                "malformed MAC "
                    + Shape.shown(nic.mac())
                    + "; expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff"
                    + " or aabbccddeeff");
          } else if (Macs.notUnicast(nic.mac()) != null) {
            report(
                path + ".mac",
                nic.mac()
                    + " is "
                    + Macs.notUnicast(nic.mac())
                    + "; expected a network interface's own (unicast) MAC");
          } else {
            unique(macs, nic.mac(), path + ".mac", "MAC " + nic.mac());
          }
        }
        if (nic.ip6() != null && !Ipv6.valid(nic.ip6())) {
          report(
              path + ".ip6",
              "malformed IPv6 address "
                  + Shape.shown(nic.ip6())
                  + "; expected such as 2001:db8::21");
        } else if (nic.ip6() != null) {
          unique(ips, Ipv6.canonical(nic.ip6()), path + ".ip6", "IP " + nic.ip6());
        }
        if (nic.ip() != null && address(path + ".ip", nic.ip())) {
          if (unique(ips, nic.ip(), path + ".ip", "IP " + nic.ip())) {
            hostAddress(path + ".ip", nic.ip());
          }
        }
      }
    }
  }

  /**
   * A host's own address must be one DHCP can hand it alone: inside a subnet, not the subnet's
   * network or broadcast address, not in its dynamic range. The router's, the next-server's or the
   * server's address only warns: the host may be that machine, listed for drift scans and DNS.
   */
  private void hostAddress(String path, String ip) {
    long address = Ipv4.parse(ip);
    if (cidrs == null) {
      // parsed once: 50,000 hosts times 10 subnets of regex parsing took seconds
      cidrs =
          inventory.subnets().stream().map(s -> Ipv4.Cidr.parse(s.network()).orElse(null)).toList();
    }
    int index = -1;
    for (int k = 0; k < cidrs.size() && index < 0; k++) {
      index = cidrs.get(k) != null && cidrs.get(k).contains(address) ? k : -1;
    }
    if (index < 0) {
      report(path, ip + " is outside every subnet");
      return;
    }
    Subnet s = inventory.subnets().get(index);
    String at = "subnets[" + index + "]";
    Ipv4.Cidr cidr = cidrs.get(index);
    long broadcast = cidr.network() | (~cidr.mask() & 0xFFFF_FFFFL);
    if (cidr.prefix() <= 30 && (address == cidr.network() || address == broadcast)) {
      report(
          path,
          ip
              + " is the "
              + (address == cidr.network() ? "network" : "broadcast")
              + " address of "
              + s.network()
              + "; expected a host address, "
              + Ipv4.format(cidr.network() + 1)
              + " to "
              + Ipv4.format(broadcast - 1));
      return;
    }
    if (s.range() != null) {
      long start = Ipv4.parse(s.range().start());
      long end = Ipv4.parse(s.range().end());
      if (start != Ipv4.MALFORMED && end != Ipv4.MALFORMED && start <= address && address <= end) {
        report(
            path,
            ip
                + " is inside the dynamic range of "
                + at
                + " ("
                + s.range().start()
                + " to "
                + s.range().end()
                + ", "
                + line(at + ".range")
                + "), which DHCP hands to any client; expected an address outside it");
        return;
      }
    }
    if (ip.equals(s.router())) {
      warn(path, alsoThe(ip, at + ".router", "the router"));
    }
    if (ip.equals(s.nextServer())) {
      warn(path, alsoThe(ip, at + ".next-server", "the next-server"));
    }
    if (ip.equals(inventory.server().address())) {
      warn(path, alsoThe(ip, "server.address", "the kickdrift server"));
    }
  }

  private String alsoThe(String ip, String path, String what) {
    return ip
        + " is also "
        + path
        + " ("
        + line(path)
        + "); fine if this host is "
        + what
        + ", otherwise DHCP hands this host "
        + what
        + "'s address";
  }

  private static final Pattern LABEL = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ENDPOINT =
      Pattern.compile("([0-9.]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private void dns() {
    Dns dns = inventory.dns();
    if (dns == null) {
      return;
    }
    if (dns.ttl() < 1 || dns.ttl() > 2_147_483_647) {
      report("dns.ttl", dns.ttl() + "; expected 1 to 2147483647 seconds");
    }
    if (!OWNER.matcher(dns.owner()).matches()) {
      report("dns.owner", Shape.shown(dns.owner()) + "; expected 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    for (int i = 0; i < dns.resolvers().size(); i++) {
      endpoint("dns.resolvers[" + i + "]", dns.resolvers().get(i));
    }
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < dns.zones().size(); i++) {
      DnsZone z = dns.zones().get(i);
      String at = "dns.zones[" + i + "]";
      if (required(at + ".name", z.name(), "a zone name such as lab.example.com")) {
        if (dnsName(at + ".name", z.name())) {
          unique(names, canonicalName(z.name()), at + ".name", "zone " + z.name());
        }
      }
      endpoint(at + ".primary", z.primary());
      if (z.nameservers().isEmpty()) {
        report(
            at + ".nameservers",
            "missing; expected the zone's name servers, e.g. [ns1.example.com]");
      }
      for (int j = 0; j < z.nameservers().size(); j++) {
        dnsName(at + ".nameservers[" + j + "]", z.nameservers().get(j));
      }
      if (z.contact() != null) {
        dnsName(at + ".contact", z.contact());
      }
    }
    for (int i = 0; i < inventory.hosts().size(); i++) {
      List<Interface> nics = inventory.hosts().get(i).interfaces();
      boolean first = true;
      for (int j = 0; j < nics.size(); j++) {
        Interface nic = nics.get(j);
        if (nic.ip() == null && nic.ip6() == null) {
          continue;
        }
        if (!first && (nic.name() == null || !LABEL.matcher(nic.name()).matches())) {
          report(
              "hosts[" + i + "].interfaces[" + j + "].name",
              (nic.name() == null ? "missing" : Shape.shown(nic.name()) + " is not a DNS label")
                  + "; a second interface's records are named <interface>.<host>, so expected"
                  + " a name such as eth1");
        }
        first = false;
      }
    }
  }

  private static String canonicalName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private boolean dnsName(String path, String name) {
    String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (!HOSTNAME.matcher(bare).matches() || bare.length() > 253) {
      report(path, "malformed DNS name " + Shape.shown(name));
      return false;
    }
    return true;
  }

  /** Reports a malformed {@code address[:port]}; an absent one is fine. */
  private void endpoint(String path, String value) {
    if (value == null) {
      return;
    }
    var m = ENDPOINT.matcher(value);
    boolean ok = m.matches();
    if (ok) {
      String host = m.group(1);
      ok =
          host.startsWith("[")
              ? Ipv6.valid(host.substring(1, host.length() - 1))
              : Ipv4.parse(host) != Ipv4.MALFORMED;
      ok = ok && (m.group(2) == null || Integer.parseInt(m.group(2).substring(1)) <= 65535);
    }
    if (!ok) {
      report(
          path,
          Shape.shown(value)
              + "; expected address[:port] such as 192.0.2.2, 192.0.2.2:5353 or [2001:db8::2]:53");
    }
  }

  private void server() {
    Server s = inventory.server();
    address("server.address", s.address());
    for (String field : new String[] {"bios-loader", "uefi-loader", "arm64-loader"}) {
      String value =
          switch (field) {
            case "bios-loader" -> s.biosLoader();
            case "uefi-loader" -> s.uefiLoader();
            default -> s.arm64Loader();
          };
      shape("server." + field, value, Shape.BOOT_PATH);
    }
    if (s.scanKey() != null && !SSH_PUBLIC_KEY.matcher(s.scanKey()).matches()) {
      report(
          "server.scan-key",
          "not an OpenSSH public key; expected one line such as 'ssh-ed25519 AAAA... comment'");
    }
    duration("server.install-token-lifetime", s.installTokenLifetime(), "1m", "365d");
    duration("server.events-max-age", s.eventsMaxAge(), "1h", "3650d");
    if (!s.kickstartFrom().equals("host") && !s.kickstartFrom().equals("any")) {
      report(
          "server.kickstart-from",
          "'" + s.kickstartFrom() + "'; expected host (only the host's own addresses) or any");
    }
    if (s.eventsMaxCount() < 1000 || s.eventsMaxCount() > 100_000_000) {
      report("server.events-max-count", s.eventsMaxCount() + "; expected 1000 to 100000000 events");
    }
  }

  /** Reports a duration that does not parse or lies outside {@code min..max}. */
  private void duration(String path, String value, String min, String max) {
    java.time.Duration d;
    try {
      d = DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      report(path, e.getMessage());
      return;
    }
    if (d.compareTo(DurationText.parse(min)) < 0 || d.compareTo(DurationText.parse(max)) > 0) {
      report(path, "'" + value + "'; expected " + min + " to " + max);
    }
  }

  /**
   * The variables the built-in templates read, by the shape the kickstart command or boot line they
   * land in accepts. Others are free text, one line (SourceLines refuses invisible characters in
   * every value).
   */
  private static final Map<String, Shape> KNOWN_VARIABLES =
      Map.of(
          "lang", Shape.LOCALE,
          "keyboard", Shape.KEYBOARD,
          "timezone", Shape.TIMEZONE,
          "ntp-server", Shape.HOST,
          "selinux", Shape.SELINUX,
          "install-disk", Shape.DISKS,
          "kernel-args", Shape.KERNEL_ARGS);

  /**
   * Variable names are names; the values templates read have their shapes; a root password only as
   * a SHA-512 crypt hash.
   */
  private void variables(String at, Map<String, String> variables) {
    for (Map.Entry<String, String> e : variables.entrySet()) {
      String path = at + "." + e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      String name = Shape.NAME.problem(e.getKey());
      if (name != null) {
        report(path, "variable name " + name);
        continue;
      }
      if (KNOWN_VARIABLES.containsKey(e.getKey())) {
        shape(path, value, KNOWN_VARIABLES.get(e.getKey()));
      } else if (e.getKey().equals("root-password")) {
        report(
            path,
            "plain-text passwords are not accepted; put the SHA-512 crypt hash that"
                + " `kickdrift passwd` prints in root-password-hash");
      } else if (e.getKey().equals("root-password-hash")
          && !SHA512_CRYPT.matcher(value).matches()) {
        report(
            path,
            "not a SHA-512 crypt hash; expected $6$salt$hash as `kickdrift passwd` prints it");
      }
    }
  }
}
