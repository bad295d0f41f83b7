package io.kickdrift.server.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.dns.ZoneFiles;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example inventory rendered as {@code kickdrift render} renders it (kickstarts, boot menus,
 * DHCP configs and the zone files under dns/), byte for byte against the committed tree under
 * src/test/resources/render/example-tree, which was rendered before the templates moved to
 * templates/ (issue 17): no file missing, none extra, none different.
 *
 * <p>Two inputs of a real render vary and are fixed here: the install tokens (render derives them
 * from random install ids in the state database; here a host that netboots gets {@link
 * Fixtures#token}, as if its install window were open, and the others none, as render gives them)
 * and the date in the SOA serials. After an intended change, regenerate with {@code mvn -pl server
 * test -Dtest=ExampleTreeTest -Dkickdrift.example-tree.update=true} and review the diff.
 */
class ExampleTreeTest {
  static final Path EXPECTED = Path.of("src/test/resources/render/example-tree");
  static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

  /** The tree {@code kickdrift render --inventory kickstart/examples/inventory.yaml} writes. */
  static SortedMap<String, byte[]> renderExample(Path templates) throws Exception {
    Path inventory = Fixtures.example();
    String source = inventory.getFileName().toString();
    Inventory loaded = InventoryLoader.load(inventory);
    Set<String> netboot =
        loaded.hosts().stream().filter(Host::netboot).map(Host::name).collect(Collectors.toSet());
    InstallTokens tokens =
        host -> netboot.contains(host) ? Optional.of(Fixtures.token(host)) : Optional.empty();
    Templates templateSet = new Templates(templates);
    SortedMap<String, byte[]> tree =
        new TreeRenderer(templateSet).render(Models.site(loaded, source, tokens));
    tree.putAll(
        ZoneFiles.render(templateSet, loaded, source, path -> Optional.empty(), TODAY).files());
    return tree;
  }

  @Test
  void theExampleRendersByteForByteAsTheCommittedTree() throws Exception {
    SortedMap<String, byte[]> tree = renderExample(null);
    if (Boolean.getBoolean("kickdrift.example-tree.update")) {
      write(tree);
    }

    SortedMap<String, byte[]> expected = read(EXPECTED);
    assertThat(tree.keySet())
        .as("rendered files against %s", EXPECTED)
        .containsExactlyElementsOf(expected.keySet());
    assertThat(tree.keySet())
        .as("every kind of file is in the fixture")
        .contains(
            "kickstarts/web01.lab.example.com.ks",
            "pxelinux.cfg/default",
            "grub/grub.cfg",
            "ipxe/boot.ipxe",
            "dhcp/kea-dhcp4.conf",
            "dns/db.lab.example.com",
            "dns/db.2.0.192.in-addr.arpa");
    List<String> differences = new ArrayList<>();
    expected.forEach(
        (path, bytes) -> firstDifference(path, bytes, tree.get(path)).ifPresent(differences::add));
    assertThat(differences).as("files that differ from %s", EXPECTED).isEmpty();
  }

  /**
   * Where {@code actual} first differs from {@code expected}: the file, the line number and both
   * lines; empty when the bytes are equal.
   */
  static Optional<String> firstDifference(String path, byte[] expected, byte[] actual) {
    if (Arrays.equals(expected, actual)) {
      return Optional.empty();
    }
    List<String> want = lines(expected);
    List<String> got = lines(actual);
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String w = i < want.size() ? want.get(i) : "(end of file)";
      String g = i < got.size() ? got.get(i) : "(end of file)";
      if (!w.equals(g)) {
        return Optional.of(
            "%s:%d: expected %s but rendered %s".formatted(path, i + 1, show(w), show(g)));
      }
    }
    return Optional.of(path + ": the same lines, but different bytes (encoding?)");
  }

  /** The lines with their terminators, so a missing final newline is a difference too. */
  private static List<String> lines(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("(?<=\n)"));
  }

  private static String show(String line) {
    return line.equals("(end of file)")
        ? line
        : "\"" + line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "\"";
  }

  @Test
  void aDifferenceIsNamedByFileAndLine() {
    byte[] expected = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);

    assertThat(firstDifference("a/b", expected, expected.clone())).isEmpty();
    assertThat(
            firstDifference("a/b", expected, "one\ntwo \nthree\n".getBytes(StandardCharsets.UTF_8)))
        .hasValue("a/b:2: expected \"two\\n\" but rendered \"two \\n\"");
    assertThat(firstDifference("a/b", expected, "one\ntwo\nthree".getBytes(StandardCharsets.UTF_8)))
        .hasValue("a/b:3: expected \"three\\n\" but rendered \"three\"");
    assertThat(firstDifference("a/b", expected, "one\ntwo\n".getBytes(StandardCharsets.UTF_8)))
        .hasValue("a/b:3: expected \"three\\n\" but rendered (end of file)");
  }

  static SortedMap<String, byte[]> read(Path root) throws IOException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static void write(SortedMap<String, byte[]> tree) throws IOException {
    if (Files.exists(EXPECTED)) {
      try (Stream<Path> walk = Files.walk(EXPECTED)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    for (var e : tree.entrySet()) {
      Path file = EXPECTED.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
  }
}
