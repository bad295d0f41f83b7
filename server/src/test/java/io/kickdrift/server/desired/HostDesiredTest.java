package io.kickdrift.server.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kickdrift.agent.scan.DesiredManifest;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.DesiredModel;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDesiredTest {
  @TempDir Path dir;

  Inventory inventory() throws Exception {
    return InventoryLoader.load(
        Files.writeString(
            dir.resolve("inventory.yaml"),
            """
            distros:
              - {name: r9, family: rhel, version: "9", kernel: k, initrd: i, install-tree: http://192.0.2.1/t}
            subnets:
              - {network: 192.0.2.0/24}
            profiles:
              - {name: base, distro: r9}
              - {name: web, parent: base}
            hosts:
              - name: web01.lab.example.com
                profile: web
                interfaces: [{name: eth0, mac: "52:54:00:00:01:01", ip: 192.0.2.11}]
            """));
  }

  Path desired() throws Exception {
    Path d = dir.resolve("desired");
    write(
        d,
        "profiles/base/desired.yaml",
        """
        files:
          /etc/motd: {kind: file, mode: "0644", owner: root, group: root, package: base-files}
          /etc/app/app.conf: {kind: file, mode: "0644", owner: root, group: root}
          /etc/old.conf: {kind: absent}
          /etc/app.key: {kind: file, mode: "0600", owner: root, group: root, secret: placeholder}
        """);
    write(d, "profiles/base/files/etc/motd", "base\n");
    write(d, "profiles/base/files/etc/app/app.conf", "from base\n");
    write(d, "profiles/base/files/etc/app.key", "# kickdrift: placeholder\n");
    write(
        d,
        "profiles/web/desired.yaml",
        """
        files:
          /etc/app/app.conf: {kind: template, mode: "0640", owner: root, group: adm, package: app}
          /etc/localtime: {kind: link, target: /usr/share/zoneinfo/UTC}
        """);
    write(
        d,
        "profiles/web/templates/etc/app/app.conf.ftl",
        "server_name [=host.fqdn];\nlisten [=host.ip]:80;\n");
    write(
        d,
        "hosts/web01.lab.example.com/desired.yaml",
        """
        files:
          /etc/motd: {kind: file, mode: "0644", owner: root, group: root}
        """);
    write(d, "hosts/web01.lab.example.com/files/etc/motd", "web01's own\n");
    return d;
  }

  static void write(Path d, String rel, String text) throws Exception {
    Path p = d.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void theProfileChainThenTheHostALaterPathReplacingAnEarlierTemplatesRenderedSecretsLeftOut()
      throws Exception {
    Inventory inv = inventory();
    Host web01 = inv.hosts().get(0);
    HostDesired.State s = HostDesired.reader(desired(), new Templates(null), null).of(inv, web01);
    Map<String, String> got = new java.util.TreeMap<>();
    s.files()
        .forEach(
            f ->
                got.put(
                    f.path(),
                    f.entry().kind()
                        + " "
                        + (f.content() == null
                            ? "-"
                            : new String(f.content(), StandardCharsets.UTF_8))));
    assertThat(got)
        .containsExactly(
            Map.entry(
                "/etc/app/app.conf",
                "template server_name web01.lab.example.com;\nlisten 192.0.2.11:80;\n"),
            Map.entry("/etc/localtime", "link -"),
            Map.entry("/etc/motd", "file web01's own\n"),
            Map.entry("/etc/old.conf", "absent -"));
    assertThat(s.warnings())
        .containsExactly(
            "web01.lab.example.com: /etc/app.key is a secret (placeholder) the config repository"
                + " holds as a placeholder; not laid down, not in the host's desired manifest");
    // the host's own motd replaced the profile's, package and all
    assertThat(s.packages()).containsExactly("app");

    DesiredManifest m = s.manifest();
    assertThat(m.host()).isEqualTo("web01.lab.example.com");
    assertThat(m.files())
        .extracting(DesiredManifest.Entry::path)
        .containsExactly("/etc/app/app.conf", "/etc/localtime", "/etc/motd", "/etc/old.conf");
    assertThat(m.files().get(0))
        .isEqualTo(
            new DesiredManifest.Entry(
                "/etc/app/app.conf",
                "file",
                HostDesired.sha256(
                    "server_name web01.lab.example.com;\nlisten 192.0.2.11:80;\n"
                        .getBytes(StandardCharsets.UTF_8)),
                "0640",
                "root",
                "adm",
                null,
                "app",
                null));
    assertThat(m.files().get(1).target()).isEqualTo("/usr/share/zoneinfo/UTC");

    DesiredModel model = s.model();
    assertThat(model.packages()).containsExactly("app");
    assertThat(new String(Base64.getDecoder().decode(String.join("", model.manifest()))))
        .isEqualTo(new String(m.json(), StandardCharsets.UTF_8));
    assertThat(model.files().get(0).dir()).isEqualTo("/etc/app");
    assertThat(model.manifestPath()).isEqualTo(DesiredManifest.DEFAULT_PATH);
  }

  @Test
  void keepingSecretsTheyAreInTheManifestWithoutADigest() throws Exception {
    Inventory inv = inventory();
    HostDesired.State s =
        HostDesired.readerKeepingSecrets(desired(), new Templates(null))
            .of(inv, inv.hosts().get(0));
    DesiredManifest.Entry key =
        s.manifest().files().stream()
            .filter(e -> e.path().equals("/etc/app.key"))
            .findFirst()
            .orElseThrow();
    assertThat(key.sha256()).isNull();
    assertThat(key.secret()).isEqualTo("placeholder");
    assertThat(key.mode()).isEqualTo("0600");
  }

  @Test
  void noTreeIsNoDesiredStateAndABrokenOneIsAnErrorNamingTheFileAndLine() throws Exception {
    Inventory inv = inventory();
    Host web01 = inv.hosts().get(0);
    assertThat(
            HostDesired.reader(dir.resolve("nowhere"), new Templates(null), null)
                .of(inv, web01)
                .model())
        .isEqualTo(DesiredModel.NONE);
    Path d = desired();
    write(d, "profiles/web/desired.yaml", "files:\n  /etc/x: {kind: sculpture}\n");
    assertThatThrownBy(() -> HostDesired.reader(d, new Templates(null), null).of(inv, web01))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("profiles/web/desired.yaml:2");
  }
}
