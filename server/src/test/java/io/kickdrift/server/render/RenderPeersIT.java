package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered configs and menus against the tools that consume them: {@code dhcpd -t}, {@code
 * kea-dhcp4 -t}, {@code dnsmasq --test}, {@code grub-script-check}. Each check also runs on a
 * broken copy, to show the tool really rejects what is wrong.
 */
class RenderPeersIT {
  @TempDir static Path dir;

  @BeforeAll
  static void requirePeers() {
    Cmd.require("dhcpd", "isc-dhcp-server");
    Cmd.require("kea-dhcp4", "kea-dhcp4-server");
    Cmd.require("dnsmasq", "dnsmasq-base");
    Cmd.require("grub-script-check", "grub-common");
  }

  /** Renders an inventory, as the jar does, into {@code dir/name}. */
  private static Path render(String name, Path inventory) throws Exception {
    Path out = dir.resolve(name);
    Cmd.Result r = RenderWithJar.run(inventory, out, dir.resolve("state"));
    assertThat(r.exit()).as("render: %s%s", r.out(), r.err()).isZero();
    assertThat(r.out()).startsWith("rendered ");
    return out;
  }

  private static Path inventory(String which) {
    return which.equals("example") ? Fixtures.example() : Fixtures.resource(which);
  }

  private static Cmd.Result check(String tool, Path file) throws Exception {
    return switch (tool) {
      case "dhcpd" -> Cmd.run(List.of("dhcpd", "-t", "-cf", file.toString()));
      case "kea" -> Cmd.run(List.of("kea-dhcp4", "-t", file.toString()));
      case "dnsmasq" -> Cmd.run(List.of("dnsmasq", "--test", "-C", file.toString()));
      default -> Cmd.run(List.of("grub-script-check", file.toString()));
    };
  }

  private static void accepted(String tool, Path file) throws Exception {
    Cmd.Result r = check(tool, file);
    assertThat(r.exit())
        .as("%s rejects %s:%n%s%s%n%s", tool, file, r.out(), r.err(), Files.readString(file))
        .isZero();
  }

  private static void rejected(String tool, Path file, String broken) throws Exception {
    Path copy = file.resolveSibling("broken-" + file.getFileName());
    Files.writeString(copy, broken);
    assertThat(check(tool, copy).exit()).as("%s must reject the broken copy", tool).isNotZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example", "sites.yaml"})
  void dhcpConfigsPassTheirServersChecks(String which) throws Exception {
    Path out = render("dhcp-" + which, inventory(which));
    Path dhcpd = out.resolve("dhcp/dhcpd.conf");
    Path kea = out.resolve("dhcp/kea-dhcp4.conf");
    Path dnsmasq = out.resolve("dhcp/dnsmasq.conf");
    accepted("dhcpd", dhcpd);
    accepted("kea", kea);
    accepted("dnsmasq", dnsmasq);

    rejected("dhcpd", dhcpd, Files.readString(dhcpd).replaceFirst("fixed-address", "fixed-adress"));
    rejected("kea", kea, Files.readString(kea).replaceFirst("\"subnet\"", "\"sunbet\""));
    rejected(
        "dnsmasq", dnsmasq, Files.readString(dnsmasq).replaceFirst("dhcp-host=", "dhcp-hots="));
  }

  @ParameterizedTest
  @ValueSource(strings = {"example", "sites.yaml"})
  void everyGrubMenuPassesGrubScriptCheck(String which) throws Exception {
    Path out = render("grub-" + which, inventory(which));
    List<Path> menus = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("grub"))) {
      files.forEach(menus::add);
    }
    assertThat(menus).hasSizeGreaterThan(2);
    for (Path menu : menus) {
      accepted("grub", menu);
    }
    Path one = menus.get(0);
    rejected("grub", one, Files.readString(one).replaceFirst("\\}", ""));
  }

  @Test
  void renderingAgainKeepsEveryFileAndItsMtime() throws Exception {
    Path inventory = Fixtures.resource("sites.yaml");
    Path out = render("again", inventory);
    Map<Path, Long> before = mtimes(out);
    Cmd.Result r = RenderWithJar.run(inventory, out, dir.resolve("state"));
    assertThat(r.out()).contains("(0 written, " + before.size() + " unchanged, 0 removed)");
    assertThat(mtimes(out)).isEqualTo(before);
  }

  private static Map<Path, Long> mtimes(Path out) throws Exception {
    Path real = out.toRealPath();
    Map<Path, Long> mtimes = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(real)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        mtimes.put(real.relativize(p), Files.getLastModifiedTime(p).toMillis());
      }
    }
    return mtimes;
  }
}
