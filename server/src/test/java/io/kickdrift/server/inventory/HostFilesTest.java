package io.kickdrift.server.inventory;

import static io.kickdrift.server.inventory.InventoryLoaderTest.R9;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An inventory whose hosts are in several files ({@code host-files}), and the loader's cache. */
class HostFilesTest {
  /** 12 lines: a distro, a subnet, a profile; {@code host-files} and hosts follow from line 13. */
  static final String BASE =
      R9
          + """
      subnets:
        - network: 192.0.2.0/24
      profiles:
        - name: base
          distro: r9
      """;

  @TempDir Path dir;

  /** Host {@code n}: 5 lines, with MAC ..:n and address 192.0.2.n. */
  private static String host(int n) {
    return InventoryValidationTest.host(
        "h" + n, String.format("aa:bb:cc:dd:ee:%02x", n), "192.0.2." + n);
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private Path main(String hostFiles, String hosts) throws IOException {
    return write("inventory.yaml", BASE + "host-files: " + hostFiles + "\nhosts:\n" + hosts);
  }

  private List<String> problems(Path file) {
    return catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(file))
        .problems();
  }

  @Test
  void hostsOfTheFilesFollowTheMainFilesInOrderAndEqualOneFile() throws Exception {
    Path main = main("[racks/*.yaml, extra.yaml]", host(1));
    write("racks/b.yaml", "hosts:\n" + host(3) + host(4));
    write("racks/a.yaml", "hosts:\n" + host(2));
    write("racks/.a.yaml.swp", "not yaml: [");
    write("racks/notes.txt", "not yaml: [");
    write("extra.yaml", "hosts:\n" + host(5));
    Path single =
        write("single.yaml", BASE + "hosts:\n" + host(1) + host(2) + host(3) + host(4) + host(5));

    Inventory split = InventoryLoader.load(main);

    assertThat(split.hosts()).extracting(Host::name).containsExactly("h1", "h2", "h3", "h4", "h5");
    assertThat(split.hosts()).isEqualTo(InventoryLoader.load(single).hosts());
    assertThat(split.hostFiles()).containsExactly("racks/*.yaml", "extra.yaml");
  }

  @Test
  void aDuplicateAcrossFilesNamesBothFilesAndTheirOwnPaths() throws Exception {
    Path main = main("[racks/*.yaml]", host(1));
    write("racks/a.yaml", "hosts:\n" + host(2));
    write(
        "racks/b.yaml",
        "hosts:\n"
            + host(3)
            + InventoryValidationTest.host("h4", "AA-BB-CC-DD-EE-02", "192.0.2.1"));

    assertThat(problems(main))
        .containsExactly(
            dir.resolve("racks/b.yaml")
                + ":10:9: hosts[1].interfaces[0].mac: duplicate MAC aa:bb:cc:dd:ee:02; first at"
                + " hosts[0].interfaces[0].mac ("
                + dir.resolve("racks/a.yaml")
                + " line 5)",
            dir.resolve("racks/b.yaml")
                + ":11:9: hosts[1].interfaces[0].ip: duplicate IP 192.0.2.1; first at"
                + " hosts[0].interfaces[0].ip (line 19)");
  }

  @Test
  void problemsAreSortedByFileThenLine() throws Exception {
    Path main =
        main(
            "[racks/*.yaml]",
            InventoryValidationTest.host("h1", "aa:bb:cc:dd:ee:01", "192.0.2.1") + host(9));
    write("racks/a.yaml", "hosts:\n" + host(2).replace("profile: base", "profile: nope"));
    write(
        "racks/b.yaml",
        "hosts:\n" + InventoryValidationTest.host("bad_name", "aa:bb:cc:dd:ee:03", "192.0.2.3"));

    assertThat(problems(main))
        .containsExactly(
            dir.resolve("racks/a.yaml") + ":3:5: hosts[0].profile: unknown profile 'nope'",
            dir.resolve("racks/b.yaml")
                + ":2:5: hosts[0].name: malformed host name 'bad_name'; expected a DNS name");
  }

  @Test
  void aHostFileIsReadAsStrictlyAsTheInventory() throws Exception {
    Path main = main("[a.yaml]", "");
    write("a.yaml", "hosts:\n" + host(2) + "profiles: []\n");
    assertThat(problems(main))
        .containsExactly(
            dir.resolve("a.yaml") + ":7:1: profiles: unknown key; expected one of: hosts");

    write("a.yaml", "hosts:\n  - name: [\n");
    assertThat(problems(main))
        .singleElement()
        .asString()
        .startsWith(dir.resolve("a.yaml") + ":")
        .contains(": (syntax): ");

    write("a.yaml", "# no hosts yet\n");
    assertThat(problems(main))
        .containsExactly(
            dir.resolve("a.yaml")
                + ":1:1: (top level): empty; expected a mapping with a hosts list");

    write("a.yaml", "hosts: []\n");
    assertThat(InventoryLoader.load(main).hosts()).isEmpty();
  }

  @Test
  void aPatternMustStayUnderTheInventorysDirectoryAndNameWhatIsThere() throws Exception {
    Files.createDirectories(dir.resolve("racks"));
    String[][] cases = {
      {
        "../x.yaml",
        "'../x.yaml' has an empty, '.' or '..' part; expected a path under the inventory's directory such as hosts.d/*.yaml"
      },
      {
        "racks/../../x.yaml",
        "'racks/../../x.yaml' has an empty, '.' or '..' part; expected a path under the inventory's directory such as hosts.d/*.yaml"
      },
      {
        "/etc/x.yaml",
        "'/etc/x.yaml' is not a file pattern; expected a relative path such as hosts.d/*.yaml"
      },
      {
        "'*/a.yaml'",
        "'*/a.yaml' has a wildcard before its file name; expected one such as hosts.d/*.yaml"
      },
      {
        "missing.yaml",
        "no file " + dir.resolve("missing.yaml") + "; expected an inventory host file"
      },
      {
        "'nodir/*.yaml'",
        "no directory " + dir.resolve("nodir") + "; expected the host files' directory"
      },
    };
    for (String[] c : cases) {
      Path main = main("[a.yaml, " + c[0] + "]", "");
      write("a.yaml", "hosts: []\n");
      assertThat(problems(main)).containsExactly(main + ":13:22: host-files[1]: " + c[1]);
    }
  }

  @Test
  void theInventoryIsNeverOneOfItsHostFilesNorAreDotFiles() throws Exception {
    Path main = main("['*.yaml']", host(1));
    write("b.yaml", "hosts:\n" + host(2));
    write(".inventory.yaml.tmp", "hosts:\n" + host(3));

    assertThat(InventoryLoader.load(main).hosts())
        .extracting(Host::name)
        .containsExactly("h1", "h2");
  }

  @Test
  void anInventoryNamedWithoutADirectoryFindsItsHostFilesInTheWorkingDirectory() throws Exception {
    // the tests run in the server module's directory, which holds pom.xml and no *.nomatch
    assertThat(
            InventoryLoader.parseYaml("inv.yaml", BASE + "host-files: ['*.nomatch']\nhosts: []\n")
                .hosts())
        .isEmpty();
    assertThat(
            catchThrowableOfType(
                    InventoryException.class,
                    () -> InventoryLoader.parseYaml("inv.yaml", BASE + "host-files: [pom.xml]\n"))
                .problems())
        .singleElement()
        .asString()
        .startsWith("pom.xml:");
  }

  @Test
  void aSiteWideLineInAHostFilesProblemNamesTheInventory() throws Exception {
    Path main =
        write(
            "inventory.yaml",
            R9
                + "subnets:\n  - network: 192.0.2.0/24\n    range: {start: 192.0.2.100, end:"
                + " 192.0.2.120}\nprofiles:\n  - name: base\n    distro: r9\n"
                + "host-files: [a.yaml]\nhosts: []\n");
    write(
        "a.yaml",
        "hosts:\n" + InventoryValidationTest.host("h1", "aa:bb:cc:dd:ee:01", "192.0.2.100"));

    assertThat(problems(main))
        .containsExactly(
            dir.resolve("a.yaml")
                + ":6:9: hosts[0].interfaces[0].ip: 192.0.2.100 is inside the dynamic range of"
                + " subnets[0] (192.0.2.100 to 192.0.2.120, "
                + main
                + " line 10), which DHCP hands to any client; expected an address outside it");
  }

  @Test
  void theCacheParsesOnlyTheFilesWhoseBytesChanged() throws Exception {
    Path main = main("[racks/*.yaml]", host(1));
    write("racks/a.yaml", "hosts:\n" + host(2));
    write("racks/b.yaml", "hosts:\n" + host(3));
    InventoryLoader.Cache cache = new InventoryLoader.Cache();

    Inventory first = InventoryLoader.load(main, w -> {}, cache);
    write("racks/b.yaml", "hosts:\n" + host(3).replace("h3", "h3-renamed"));
    Inventory second = InventoryLoader.load(main, w -> {}, cache);

    // unchanged files' hosts are the very objects of the first load; the edited file's are new
    assertThat(second.hosts().get(0)).isSameAs(first.hosts().get(0));
    assertThat(second.hosts().get(1)).isSameAs(first.hosts().get(1));
    assertThat(second.hosts().get(2).name()).isEqualTo("h3-renamed");

    // a problem across files is still found when only one of them changed
    write(
        "racks/b.yaml",
        "hosts:\n" + InventoryValidationTest.host("h3", "aa:bb:cc:dd:ee:02", "192.0.2.3"));
    assertThat(
            catchThrowableOfType(
                    InventoryException.class, () -> InventoryLoader.load(main, w -> {}, cache))
                .problems())
        .singleElement()
        .asString()
        .contains("duplicate MAC aa:bb:cc:dd:ee:02");

    // a file removed takes its hosts with it; the cache forgets it
    Files.delete(dir.resolve("racks/b.yaml"));
    assertThat(InventoryLoader.load(main, w -> {}, cache).hosts())
        .extracting(Host::name)
        .containsExactly("h1", "h2");
  }

  @Test
  void manyFilesLoadAsOne() throws Exception {
    List<String> all = new ArrayList<>();
    StringBuilder single = new StringBuilder(BASE + "hosts:\n");
    IntStream.rangeClosed(1, 200).forEach(n -> single.append(host(n)));
    for (int f = 0; f < 20; f++) {
      StringBuilder part = new StringBuilder("hosts:\n");
      for (int n = f * 10 + 1; n <= f * 10 + 10; n++) {
        part.append(host(n));
        all.add("h" + n);
      }
      write(String.format("hosts.d/%02d.yaml", f), part.toString());
    }
    Path main = main("[hosts.d/*.yaml]", "");
    Path one = write("one.yaml", single.toString());

    assertThat(InventoryLoader.load(main).hosts()).extracting(Host::name).isEqualTo(all);
    assertThat(InventoryLoader.load(main).hosts()).isEqualTo(InventoryLoader.load(one).hosts());
  }
}
