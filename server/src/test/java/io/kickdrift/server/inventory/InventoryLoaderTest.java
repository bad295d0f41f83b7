package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryLoaderTest {
  static final Path EXAMPLE = Path.of("..", "kickstart", "examples", "inventory.yaml");

  @TempDir Path dir;

  static List<String> problems(String yaml) {
    return catchThrowableOfType(
            InventoryException.class, () -> InventoryLoader.parseYaml("inv.yaml", yaml))
        .problems();
  }

  @Test
  void exampleInventoryLoadsWithoutProblems() throws Exception {
    Inventory inventory = InventoryLoader.load(EXAMPLE);

    assertThat(inventory.distros())
        .extracting(Distro::family)
        .containsExactly(Family.ROCKY, Family.FEDORA);
    assertThat(inventory.subnets()).hasSize(2);
    assertThat(inventory.hosts()).hasSize(3);
    Host web02 = inventory.host("web02.lab.example.com").orElseThrow();
    assertThat(web02.interfaces())
        .extracting(Interface::mac)
        .containsExactly("52:54:00:12:34:02", "52:54:00:12:34:03");
    assertThat(web02.netboot()).isFalse();
    assertThat(web02.ssh()).isEqualTo(new Ssh("root", 22));
    Host ws01 = inventory.host("ws01.dmz.example.com").orElseThrow();
    assertThat(ws01.interfaces().get(0).mac()).isEqualTo("52:54:00:12:34:04");
    assertThat(ws01.ssh()).isEqualTo(new Ssh("admin", 2222));
    assertThat(inventory.subnets().get(0).nextServer()).isEqualTo("192.0.2.10");
    assertThat(inventory.subnets().get(0).range())
        .isEqualTo(new Range("192.0.2.100", "192.0.2.126"));
    Profile web = inventory.profile("web-rocky9").orElseThrow();
    assertThat(inventory.distroOf(web).orElseThrow().name()).isEqualTo("rocky9-x86_64");
    assertThat(inventory.distros().get(0).installTree())
        .isEqualTo("http://192.0.2.10/trees/rocky9");
  }

  @Test
  void jsonIsReadWhenTheNameEndsInJson() throws Exception {
    Path file = dir.resolve("inv.json");
    Files.writeString(
        file,
        "{\"distros\": [{\"name\": \"r9\", \"family\": \"rocky\", \"version\": \"9\",\n"
            + " \"kernel\": \"k\", \"initrd\": \"i\", \"install-tree\": \"http://x/\"}],\n"
            + " \"profiles\": [{\"name\": \"p\", \"distro\": \"r9\"}],\n"
            + " \"hosts\": [{\"name\": \"h1\", \"profile\": \"p\",\n"
            + "   \"interfaces\": [{\"mac\": \"AA-BB-CC-DD-EE-0F\"}]}]}\n");

    Inventory inventory = InventoryLoader.load(file);

    assertThat(inventory.hosts().get(0).interfaces().get(0).mac()).isEqualTo("aa:bb:cc:dd:ee:0f");
    assertThat(inventory.distros().get(0).arch()).isEqualTo("x86_64");
  }

  @Test
  void jsonErrorsNameFileLineAndColumn() throws Exception {
    Path file = dir.resolve("inv.json");
    Files.writeString(file, "{\"hosts\": [\n  {\"name\": \"h1\", \"profil\": \"p\"}]}\n");

    InventoryException e =
        catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(file));

    assertThat(e.problems())
        .containsExactly(
            file
                + ":2:18: hosts[0].profil: unknown key; expected one of: interfaces, name,"
                + " netboot, profile, ssh, variables");
  }

  /**
   * Found by InventoryLoaderFuzzTest: a float with an exponent no BigDecimal holds, as the whole
   * document, made Jackson throw an unchecked NumberFormatException out of load() instead of a
   * problem naming file and line. (Inside a section Jackson reports it at the section already.)
   */
  @Test
  void aNumberOutOfEveryRangeIsAProblemAtItsPlace() throws Exception {
    Path json =
        Files.writeString(dir.resolve("inv.json"), "99999999999911E99999999999999999999998");
    Path yaml =
        Files.writeString(
            dir.resolve("inv.yaml"), "subnets: []\nserver: 1.5E99999999999999999999\n");

    assertThat(load(json))
        .containsExactly(
            json + ":1:1: (top level): '99999999999911E99999999999999…' is not a number in range");
    assertThat(load(yaml)).singleElement().asString().startsWith(yaml + ":2:1: server: ");
  }

  private static List<String> load(Path file) {
    return catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(file))
        .problems();
  }

  @Test
  void unknownKeyIsAnErrorAtTheKey() {
    assertThat(
            problems(
                "hosts:\n  - name: h1\n    interfaces:\n      - mac: aa:bb:cc:dd:ee:ff\n"
                    + "        adress: 192.0.2.1\n"))
        .containsExactly(
            "inv.yaml:5:9: hosts[0].interfaces[0].adress: unknown key; expected one of: ip, ip6,"
                + " mac, name");
  }

  @Test
  void unknownTopLevelSection() {
    assertThat(problems("distros: []\nhost: []\n"))
        .containsExactly(
            "inv.yaml:2:1: host: unknown key; expected one of: defaults, distros, dns, hosts,"
                + " profiles, server, subnets");
  }

  @Test
  void wrongTypeNamesWhatWasExpected() {
    assertThat(problems("hosts:\n  - name: h1\n    interfaces: eth0\n"))
        .containsExactly("inv.yaml:3:5: hosts[0].interfaces: expected a list");
    assertThat(problems("hosts:\n  - name: h1\n    netboot: sometimes\n"))
        .singleElement()
        .asString()
        .startsWith("inv.yaml:3:5: hosts[0].netboot: ");
    assertThat(problems("distros:\n  - name: d\n    family: gentoo\n"))
        .containsExactly(
            "inv.yaml:3:5: distros[0].family: 'gentoo' is not one of rhel, rocky, alma, fedora,"
                + " debian, ubuntu");
    assertThat(problems("profiles:\n  - name: p\n    variables:\n      a: [1]\n"))
        .containsExactly("inv.yaml:4:7: profiles[0].variables.a: expected a string");
  }

  @Test
  void valueProblemsFoundWhileBuildingARecordNameTheField() {
    assertThat(problems("hosts:\n  - name: h1\n    ssh:\n      port: 70000\n"))
        .containsExactly("inv.yaml:3:5: hosts[0].ssh: port 70000; expected 1 to 65535");
    assertThat(problems("profiles:\n  - name: p\n    variables:\n      a:\n"))
        .containsExactly("inv.yaml:4:7: profiles[0].variables.a: no value; expected a value");
    assertThat(problems("hosts:\n  - name: h1\n    interfaces:\n      -\n"))
        .containsExactly("inv.yaml:4:8: hosts[0].interfaces[0]: no value; expected a value");
  }

  @Test
  void duplicateKeyIsAnError() {
    assertThat(problems("hosts: []\nhosts: []\nprofiles:\n  - name: a\n    name: b\n"))
        .containsExactly(
            "inv.yaml:2:1: hosts: duplicate key; first at line 1",
            "inv.yaml:5:5: profiles[0].name: duplicate key; first at line 4");
  }

  @Test
  void syntaxErrorsNameLineAndColumn() {
    assertThat(problems("hosts:\n  - name: [h1\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "inv.yaml:2:14: (syntax): while parsing a flow sequence; expected ',' or ']', but got"
                + " <stream end>");
  }

  @Test
  void emptyDocumentIsAnError() {
    assertThat(problems(""))
        .containsExactly(
            "inv.yaml:1:1: (top level): empty; expected a mapping of inventory sections");
    assertThat(problems("~\n"))
        .containsExactly(
            "inv.yaml:1:1: (top level): empty; expected a mapping of inventory sections");
  }

  @Test
  void missingFileIsAnInventoryException() {
    Path missing = dir.resolve("nope.yaml");

    InventoryException e =
        catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(missing));

    assertThat(e.problems()).singleElement().asString().startsWith(missing + ":1:1: (file): ");
  }
}
