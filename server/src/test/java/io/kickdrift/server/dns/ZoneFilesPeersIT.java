package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.render.RenderWithJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zone files {@code kickdrift render} writes, against BIND's own loader: {@code named-checkzone
 * -k fail -n fail} accepts every one, rejects a broken copy, and a re-render keeps each file
 * (bytes, serial, mtime) until a host changes, which bumps the serial.
 */
class ZoneFilesPeersIT {
  @TempDir static Path dir;

  @BeforeAll
  static void requireNamedCheckzone() {
    Cmd.require("named-checkzone", "bind9-utils");
  }

  static Path example() {
    return Path.of("..", "kickstart", "examples", "inventory.yaml").toAbsolutePath().normalize();
  }

  /** A site with an in-zone name server, a multi-NIC host, IPv6 and a dotless host name. */
  static String site(String web02Ip) {
    return Named.DISTRO_AND_PROFILE
        + """
        subnets:
          - network: 192.0.2.0/24
            domain: lab.example.com
            next-server: 192.0.2.10
        dns:
          ttl: 600
          zones:
            - name: lab.example.com
              nameservers: [ns1.lab.example.com, ns2.example.net]
            - name: 2.0.192.in-addr.arpa
              nameservers: [ns1.lab.example.com]
              contact: hostmaster.example.com
            - name: 8.b.d.0.1.0.0.2.ip6.arpa
              nameservers: [ns1.lab.example.com]
        hosts:
          - name: ns1.lab.example.com
            profile: p
            interfaces:
              - {name: eth0, mac: "52:54:00:00:00:0a", ip: 192.0.2.2, ip6: "2001:db8::2"}
          - name: web01.lab.example.com
            profile: p
            interfaces:
              - {name: eth0, mac: "52:54:00:00:00:01", ip: 192.0.2.21, ip6: "2001:db8::21"}
              - {name: eth1, mac: "52:54:00:00:00:02", ip: 192.0.2.121}
          - name: web02
            profile: p
            interfaces:
              - {name: eth0, mac: "52:54:00:00:00:03", ip: %s}
        """
            .formatted(web02Ip);
  }

  static Cmd.Result render(Path inventory, Path out) throws Exception {
    Cmd.Result r = RenderWithJar.run(inventory, out, dir.resolve("state"));
    assertThat(r.exit()).as("render: %s%s", r.out(), r.err()).isZero();
    // kickstart lint may warn about the sparse test profiles; nothing else may
    assertThat(r.err().lines().filter(l -> !l.startsWith("kickstarts/")))
        .as("render warnings")
        .isEmpty();
    return r;
  }

  /** Zone name (from the file name) to file, for every {@code dns/db.*} of the tree. */
  static Map<String, Path> zoneFiles(Path out) throws Exception {
    Map<String, Path> zones = new TreeMap<>();
    try (Stream<Path> files = Files.list(out.resolve("dns"))) {
      for (Path f : files.toList()) {
        zones.put(f.getFileName().toString().substring("db.".length()), f);
      }
    }
    return zones;
  }

  /** Renders {@code inventory} into {@code out}: named-checkzone accepts each zone file. */
  static Map<String, Path> renderAccepted(Path inventory, Path out) throws Exception {
    render(inventory, out);
    Map<String, Path> zones = zoneFiles(out);
    for (Map.Entry<String, Path> z : zones.entrySet()) {
      accepted(z.getKey(), z.getValue());
    }
    return zones;
  }

  static Cmd.Result checkzone(String zone, Path file) throws Exception {
    return Cmd.run(List.of("named-checkzone", "-k", "fail", "-n", "fail", zone, file.toString()));
  }

  static void accepted(String zone, Path file) throws Exception {
    Cmd.Result r = checkzone(zone, file);
    assertThat(r.exit())
        .as("named-checkzone rejects %s:%n%s%s%n%s", file, r.out(), r.err(), Files.readString(file))
        .isZero();
  }

  static void rejected(String zone, Path file, String broken) throws Exception {
    Path copy = dir.resolve("broken-" + file.getFileName());
    Files.writeString(copy, broken);
    Cmd.Result r = checkzone(zone, copy);
    assertThat(r.exit()).as("named-checkzone must reject:%n%s", broken).isNotZero();
  }

  @Test
  void theExampleZonesLoadInBind() throws Exception {
    Map<String, Path> zones = renderAccepted(example(), dir.resolve("example"));

    assertThat(zones)
        .containsOnlyKeys("lab.example.com", "dmz.example.com", "2.0.192.in-addr.arpa");
    Path reverse = zones.get("2.0.192.in-addr.arpa");
    rejected(
        "2.0.192.in-addr.arpa",
        reverse,
        Files.readString(reverse).replace("web01.lab.example.com.", "web_01.lab.example.com."));
  }

  @Test
  void aRicherSiteLoadsAndIsKeptUntilAHostChanges() throws Exception {
    Path inventory = dir.resolve("site.yaml");
    Files.writeString(inventory, site("192.0.2.22"));
    Path out = dir.resolve("site");
    Map<String, Path> zones = renderAccepted(inventory, out);
    assertThat(zones)
        .containsOnlyKeys("lab.example.com", "2.0.192.in-addr.arpa", "8.b.d.0.1.0.0.2.ip6.arpa");
    Path lab = zones.get("lab.example.com");
    String text = Files.readString(lab);
    assertThat(text)
        .contains("eth1.web01 IN A 192.0.2.121\n")
        .contains("web02      IN A 192.0.2.22\n");
    String soa = text.lines().filter(l -> l.contains(" IN SOA ")).findFirst().orElseThrow();
    // a second SOA (an identical copy would merge silently), and a name server left without address
    rejected("lab.example.com", lab, text + soa.replace(" 3600 600 ", " 7200 600 ") + "\n");
    rejected("lab.example.com", lab, text.replaceAll("(?m)^ns1 .*\n", ""));

    Map<String, byte[]> bytes = contents(zones);
    Map<String, Long> mtimes = mtimes(zones);
    Map<String, OptionalLong> serials = serials(zones);
    Cmd.Result again = render(inventory, out);
    assertThat(again.out()).contains("(0 written, ");
    Map<String, Path> reRendered = zoneFiles(out);
    assertThat(contents(reRendered)).containsExactlyInAnyOrderEntriesOf(bytes);
    assertThat(mtimes(reRendered)).isEqualTo(mtimes);
    assertThat(serials(reRendered)).isEqualTo(serials);

    Files.writeString(inventory, site("192.0.2.23"));
    render(inventory, out);
    Map<String, Path> changed = zoneFiles(out);
    for (String zone : List.of("lab.example.com", "2.0.192.in-addr.arpa")) {
      long before = serials.get(zone).orElseThrow();
      // before + 1, or today's YYYYMMDD00 should midnight have passed in between
      assertThat(ZoneFiles.serial(Files.readString(changed.get(zone))).orElseThrow())
          .as("serial of %s", zone)
          .isGreaterThan(before);
      accepted(zone, changed.get(zone));
    }
    assertThat(Files.readString(changed.get("lab.example.com"))).contains("IN A 192.0.2.23\n");
    assertThat(serials(changed).get("8.b.d.0.1.0.0.2.ip6.arpa"))
        .isEqualTo(serials.get("8.b.d.0.1.0.0.2.ip6.arpa"));
  }

  static Map<String, byte[]> contents(Map<String, Path> zones) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    for (Map.Entry<String, Path> z : zones.entrySet()) {
      out.put(z.getKey(), Files.readAllBytes(z.getValue()));
    }
    return out;
  }

  static Map<String, Long> mtimes(Map<String, Path> zones) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, Path> z : zones.entrySet()) {
      out.put(z.getKey(), Files.getLastModifiedTime(z.getValue()).toMillis());
    }
    return out;
  }

  static Map<String, OptionalLong> serials(Map<String, Path> zones) throws Exception {
    Map<String, OptionalLong> out = new TreeMap<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Path> z : zones.entrySet()) {
      OptionalLong serial = ZoneFiles.serial(Files.readString(z.getValue()));
      if (serial.isEmpty()) {
        missing.add(z.getKey());
      }
      out.put(z.getKey(), serial);
    }
    assertThat(missing).as("zones without a readable serial").isEmpty();
    return out;
  }
}
