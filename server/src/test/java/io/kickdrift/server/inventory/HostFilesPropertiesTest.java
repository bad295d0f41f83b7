package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * However the hosts are split between the inventory and its host files, they load as the one file
 * with the same hosts does; and a duplicate MAC is placed in the file that holds it, at its index
 * and line there.
 */
class HostFilesPropertiesTest {
  /** A distro, a subnet and a profile, on 12 lines. */
  private static final String BASE = HostFilesTest.BASE;

  private static String host(int n, int mac) {
    return InventoryValidationTest.host(
        "h" + n, String.format("aa:bb:cc:dd:ee:%02x", mac), "192.0.2." + n);
  }

  @Property(tries = 150)
  void anySplitLoadsAsOneFileAndPlacesADuplicateInItsFile(
      @ForAll @IntRange(min = 1, max = 40) int hosts,
      @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 40) Integer> cuts,
      @ForAll @IntRange(min = 0, max = 39) int duplicate)
      throws Exception {
    // the hosts before the first cut stay in the inventory; each cut starts a host file
    TreeSet<Integer> starts = new TreeSet<>();
    cuts.forEach(c -> starts.add(Math.min(c, hosts)));
    boolean clash = duplicate > 0 && duplicate < hosts;
    List<String> texts = new ArrayList<>();
    StringBuilder one = new StringBuilder(BASE + "hosts:\n");
    for (int i = 0; i < hosts; i++) {
      // with a clash, host `duplicate` takes host 0's MAC
      texts.add(host(i + 1, clash && i == duplicate ? 1 : i + 1));
      one.append(texts.get(i));
    }
    Path dir = Files.createTempDirectory("hostfiles");
    try {
      List<Integer> bounds = new ArrayList<>(starts);
      int first = bounds.isEmpty() ? hosts : bounds.get(0);
      StringBuilder main = new StringBuilder(BASE + "host-files: ['parts/*.yaml']\nhosts:\n");
      texts.subList(0, first).forEach(main::append);
      main.append(first == 0 ? "  []\n" : "");
      Files.createDirectories(dir.resolve("parts"));
      for (int k = 0; k < bounds.size(); k++) {
        int end = k + 1 < bounds.size() ? bounds.get(k + 1) : hosts;
        StringBuilder part = new StringBuilder("hosts:\n");
        texts.subList(bounds.get(k), end).forEach(part::append);
        part.append(bounds.get(k) == end ? "  []\n" : "");
        Files.writeString(dir.resolve(String.format("parts/%02d.yaml", k)), part);
      }
      Path split = Files.writeString(dir.resolve("inventory.yaml"), main);
      Path whole = Files.writeString(dir.resolve("whole.yaml"), one);

      if (!clash) {
        assertThat(InventoryLoader.load(split).hosts())
            .isEqualTo(InventoryLoader.load(whole).hosts());
        return;
      }
      // where host `duplicate` is: the inventory (index as is) or the part whose range holds it
      String file = split.toString();
      int local = duplicate;
      int line = 15; // 12 lines of BASE, host-files, hosts, then 5 lines a host: the MAC on the 4th
      for (int k = bounds.size() - 1; k >= 0; k--) {
        if (duplicate >= bounds.get(k)) {
          file = dir.resolve(String.format("parts/%02d.yaml", k)).toString();
          local = duplicate - bounds.get(k);
          line = 2;
          break;
        }
      }
      assertThat(
              catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(split))
                  .problems())
          .containsExactly(
              file
                  + ":"
                  + (line + 5 * local + 3)
                  + ":9: hosts["
                  + local
                  + "].interfaces[0].mac: duplicate MAC aa:bb:cc:dd:ee:01; first at"
                  + " hosts[0].interfaces[0].mac ("
                  + (first > 0 ? "" : dir.resolve("parts/00.yaml") + " ")
                  + "line "
                  + (first > 0 ? 15 + 3 : 2 + 3)
                  + ")");
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder())
            .forEach(
                p -> {
                  try {
                    Files.delete(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }
  }
}
