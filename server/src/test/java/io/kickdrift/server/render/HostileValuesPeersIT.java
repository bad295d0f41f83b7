package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files rendered from hostile values (Hostile), read by the tools that consume them: {@code
 * grub-script-check}, {@code dhcpd -t}, {@code kea-dhcp4 -t}, {@code dnsmasq --test}, {@code
 * kickdrift lint}, and bash running the %post callback. Each accepts the hostile file as it accepts
 * the ordinary one, and finds the same structure in it.
 */
class HostileValuesPeersIT {
  private static final String MAC = "01-52-54-00-66-00-01";
  @TempDir static Path dir;
  private static Path ordinary;
  private static Path hostile;
  private static SiteModel hostileSite;

  @BeforeAll
  static void render() throws Exception {
    Cmd.require("grub-script-check", "grub-common");
    Cmd.require("dhcpd", "isc-dhcp-server");
    Cmd.require("kea-dhcp4", "kea-dhcp4-server");
    Cmd.require("dnsmasq", "dnsmasq-base");
    Cmd.require("bash", "bash");
    hostileSite = Hostile.site(true);
    ordinary = write("ordinary", new TreeRenderer(new Templates(null)).render(Hostile.site(false)));
    hostile = write("hostile", new TreeRenderer(new Templates(null)).render(hostileSite));
  }

  private static Path write(String name, SortedMap<String, byte[]> tree) throws Exception {
    Path root = dir.resolve(name);
    for (Map.Entry<String, byte[]> e : tree.entrySet()) {
      Path file = root.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    return root;
  }

  private static void accepted(List<String> command) throws Exception {
    Cmd.Result r = Cmd.run(command);
    assertThat(r.exit()).as("%s:%n%s%s", String.join(" ", command), r.out(), r.err()).isZero();
  }

  @Test
  void grubScriptCheckAcceptsEveryMenu() throws Exception {
    List<Path> menus;
    try (var files = Files.list(hostile.resolve("grub"))) {
      menus = files.sorted().toList();
    }
    assertThat(menus).hasSize(5); // two hosts x two names, and grub.cfg
    for (Path menu : menus) {
      accepted(List.of("grub-script-check", menu.toString()));
    }
    // The checker is not blind: the same menu with the title's quote unescaped is refused.
    Path menu = hostile.resolve("grub/grub.cfg-" + MAC);
    Path broken = dir.resolve("broken.cfg");
    Files.writeString(broken, Files.readString(menu).replace("'\\''", "'"));
    assertThat(Cmd.run(List.of("grub-script-check", broken.toString())).exit()).isNotZero();
  }

  @Test
  void theDhcpServersAcceptTheirConfigs() throws Exception {
    for (Path root : List.of(ordinary, hostile)) {
      accepted(List.of("dhcpd", "-t", "-cf", root.resolve("dhcp/dhcpd.conf").toString()));
      accepted(List.of("kea-dhcp4", "-t", root.resolve("dhcp/kea-dhcp4.conf").toString()));
      accepted(List.of("dnsmasq", "--test", "-C", root.resolve("dhcp/dnsmasq.conf").toString()));
    }
    for (String conf : List.of("dhcpd.conf", "kea-dhcp4.conf", "dnsmasq.conf")) {
      assertThat(Files.readAllLines(hostile.resolve("dhcp/" + conf)))
          .as(conf)
          .hasSameSizeAs(Files.readAllLines(ordinary.resolve("dhcp/" + conf)));
    }
  }

  @Test
  void kickdriftLintAcceptsTheKickstartsAndTheyKeepTheirLines() throws Exception {
    for (String name : List.of(Hostile.evilHost(true), "good.lab.example.com")) {
      Path ks = hostile.resolve("kickstarts/" + name + ".ks");
      Cmd.Result r = Cmd.kickdrift("lint", ks.toString());
      assertThat(r.exit()).as("%s%s", r.out(), r.err()).isZero();
      Path plain =
          ordinary.resolve(
              "kickstarts/"
                  + name.replace(Hostile.evilHost(true), Hostile.evilHost(false))
                  + ".ks");
      assertThat(Files.readAllLines(ks)).hasSameSizeAs(Files.readAllLines(plain));
    }
  }

  @Test
  void bashRunsTheCallbackWithTheUrlAsOneArgument() throws Exception {
    String ks = Files.readString(hostile.resolve("kickstarts/" + Hostile.evilHost(true) + ".ks"));
    String post = ks.substring(ks.indexOf("%post --nochroot"));
    String body = post.substring(post.indexOf('\n') + 1, post.indexOf("\n%end"));
    Path script = dir.resolve("callback.sh");
    // curl, as a function: prints the URL it was given (its argument after -X POST).
    Files.writeString(
        script,
        "curl() { while [ \"$1\" != POST ]; do shift; done; printf '%s' \"$2\"; }\n" + body + "\n");
    Cmd.Result r = Cmd.run(List.of("bash", script.toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    HostModel evil = hostileSite.hosts().get(0);
    assertThat(r.out())
        .isEqualTo(evil.callbackUrl().replaceAll("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]", "?"));
  }
}
