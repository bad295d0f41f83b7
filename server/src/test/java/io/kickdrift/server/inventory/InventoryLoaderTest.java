package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InventoryLoaderTest {
  static final Path EXAMPLE = Path.of("..", "kickstart", "examples", "inventory.yaml");

  /** One distro, r9, on 7 lines: the start of most literal inventories in these tests. */
  static final String R9 =
      """
      distros:
        - name: r9
          family: rocky
          version: "9"
          kernel: k
          initrd: i
          install-tree: http://t/
      """;

  @TempDir Path dir;

  static List<String> problems(String yaml) {
    return catchThrowableOfType(
            InventoryException.class, () -> InventoryLoader.parseYaml("inv.yaml", yaml))
        .problems();
  }

  @Test
  void exampleInventoryLoadsWithoutProblems() throws Exception {
    List<String> warnings = new ArrayList<>();
    Inventory inventory = InventoryLoader.load(EXAMPLE, warnings::add);

    assertThat(warnings).isEmpty();
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
            json
                + ":1:1: (top level): '99999999999911E99999999999999999999998' is not a number"
                + " in range");
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
            "inv.yaml:2:1: host: unknown key; expected one of: defaults, distros, dns, host-files,"
                + " hosts, profiles, server, subnets");
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
        .isEqualTo("inv.yaml:2:14: (syntax): the file ends inside [ ... ]; expected ',' or ']'");
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

  private static byte[] bytes(Object... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object part : parts) {
      out.writeBytes(part instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) part);
    }
    return out.toByteArray();
  }

  /** A file with invalid UTF-8, and the problem naming the first malformed byte. */
  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of(
            Named.of("in YAML, at the malformed byte", "inv.yaml"),
            bytes("hosts:\n  - profile: p\n    name: h\u00e9", new byte[] {(byte) 0xff}, "llo\n"),
            ":3:13: (file): invalid UTF-8 (byte 0xff); expected UTF-8 text"),
        Arguments.of(
            Named.of("in JSON, a truncated sequence at the end", "inv.json"),
            bytes("{\"hosts\": [],\r\n \"x\u20ac", new byte[] {(byte) 0xe2, (byte) 0x82}),
            ":2:5: (file): invalid UTF-8 (byte 0xe2); expected UTF-8 text"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8IsReportedAtTheMalformedByte(String name, byte[] content, String problem)
      throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, content);

    assertThat(load(file)).containsExactly(file + problem);
  }

  @Test
  void aByteOrderMarkIsAccepted() throws Exception {
    Path file = dir.resolve("inv.yaml");
    Files.write(file, bytes("\ufeffhosts: []\n"));

    assertThat(InventoryLoader.load(file).hosts()).isEmpty();
  }

  @Test
  void invisibleCharactersInTheTextAreReportedWhereTheyAre() {
    assertThat(problems("# a comment\nhosts: [] # \u202egnp.exe\n"))
        .containsExactly(
            "inv.yaml:2:13: (file): U+202E (RIGHT-TO-LEFT OVERRIDE); expected text without"
                + " control, format or line-separator characters (tab and line breaks aside)");
    assertThat(problems("hosts:\n  - name: a\u2028b\n"))
        .containsExactly(
            "inv.yaml:2:12: (file): U+2028 (LINE SEPARATOR); expected text without control,"
                + " format or line-separator characters (tab and line breaks aside)");
  }

  @Test
  void escapedInvisibleCharactersAreReportedAtTheirField() {
    assertThat(problems("hosts:\n  - name: \"a\\u0085b\"\n    profile: \"p\\0\"\n"))
        .containsExactly(
            "inv.yaml:2:5: hosts[0].name: has U+0085 (NEXT LINE (NEL)) at character 2; expected"
                + " one line of text without control or format characters",
            "inv.yaml:3:5: hosts[0].profile: has U+0000 (NULL) at character 2; expected one line"
                + " of text without control or format characters");
    assertThat(problems("defaults:\n  variables:\n    \"a\\nb\": x\n"))
        .containsExactly(
            "inv.yaml:3:5: defaults.variables.a\\x0ab: the key has U+000A (LINE FEED (LF)) at"
                + " character 2; expected one line of text without control or format characters");
  }

  @Test
  void limitsAreCheckedBeforeParsing() {
    ReadLimits small = new ReadLimits(1000, 100, 50);
    byte[] big = bytes("hosts: []\n", "#".repeat(1000));
    byte[] longLine = bytes("hosts: []\n# ", "x".repeat(100), "\n");
    byte[] longValue = bytes("defaults:\n  variables:\n    a: |\n", "      xxxxxxxxxx\n".repeat(6));

    assertThat(problems(big, false, small))
        .containsExactly(
            "inv.yaml:1:1: (file): larger than 1000 bytes; expected an inventory of at most 1000"
                + " bytes");
    assertThat(problems(longLine, false, small))
        .containsExactly(
            "inv.yaml:2:1: (file): line longer than 100 characters; expected shorter lines (YAML's"
                + " scanner takes time growing with the square of a line's length)");
    assertThat(problems(longValue, false, small))
        .containsExactly("inv.yaml:3:5: defaults.variables.a: 66 characters; expected at most 50");
    assertThat(problems(bytes("{\"hosts\": [], \"x\": \"", "y".repeat(120), "\"}"), true, small))
        .as("JSON has no line limit: minified JSON is one line")
        .containsExactly("inv.yaml:1:15: x: 120 characters; expected at most 50");
  }

  @Test
  void aJsonStringOverTheLimitStopsTheParser() throws Exception {
    Path file = dir.resolve("inv.json");
    Files.writeString(file, "{\"hosts\": [\n {\"name\": \"" + "a".repeat(70_000) + "\"}]}");

    InventoryException e =
        catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(file));

    assertThat(e.problems()).singleElement().asString().startsWith(file + ":2:").contains("65536");
  }

  /** SnakeYAML's own default limit, 3 Mi code points, refused inventories over about 3 MB. */
  @Test
  void anInventoryOverThreeMegabytesLoads() throws Exception {
    StringBuilder text =
        new StringBuilder(
            "distros: [{name: r9, family: rocky, version: '9', kernel: k, initrd: i,"
                + " install-tree: 'http://t/'}]\n"
                + "subnets: [{network: 10.0.0.0/16}]\n"
                + "profiles: [{name: p, distro: r9}]\nhosts:\n");
    String note = "x".repeat(150);
    for (int i = 0; i < 12_000; i++) {
      text.append(
          String.format(
              "  - {name: host%05d.lab.example.com, profile: p, netboot: true, variables: {note: %s},"
                  + " interfaces: [{name: eth0, mac: '52:54:00:00:%02x:%02x', ip: 10.0.%d.%d}]}\n",
              i, note, i >> 8, i & 0xff, 1 + (i >> 8), i & 0xff));
    }
    assertThat(text.length()).isGreaterThan(3 << 20);

    assertThat(InventoryLoader.parseYaml("inv.yaml", text.toString()).hosts()).hasSize(12_000);
  }

  private static List<String> problems(byte[] bytes, boolean json, ReadLimits limits) {
    return catchThrowableOfType(
            InventoryException.class,
            () -> InventoryLoader.parse("inv.yaml", bytes, json, w -> {}, limits))
        .problems();
  }
}
