package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kickdrift.server.inventory.HostileInventories.Case;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile inventory of {@link HostileInventories}, each refused with a message naming the
 * file, line and column (and the field where there is one) in well under a second. {@code
 * HostileSuiteIT} writes the same tables over a running serve's inventory.
 */
class HostileInventoryTest {
  @TempDir static Path dir;

  /**
   * Times are the loading thread's CPU time: the limit is about the work a hostile file costs, and
   * wall time on a shared CI machine also counts other processes' turns.
   */
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  @BeforeAll
  static void warmUp() throws Exception {
    // class loading and the first parse are not what the time limit measures
    for (int i = 0; i < 3; i++) {
      InventoryLoader.parseYaml("inv.yaml", HostileInventories.inventory("", ""));
    }
  }

  @Test
  void theInventoryLoadsWithEveryFieldSet() throws Exception {
    Inventory inventory =
        InventoryLoader.parseYaml("inv.yaml", HostileInventories.inventory("", ""));

    assertThat(inventory.hosts().get(0).ssh().user()).isEqualTo("admin");
    assertThat(inventory.profiles().get(0).partitioning()).isEqualTo("autopart --type=lvm");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.kickdrift.server.inventory.HostileInventories#all")
  void isRefusedWithAPositionInWellUnderASecond(Case c) throws IOException {
    Path file = dir.resolve("inv.yaml");
    Files.write(file, c.bytes());

    long start = CPU.getCurrentThreadCpuTime();
    Throwable thrown = catchThrowable(() -> InventoryLoader.load(file));
    Duration took = Duration.ofNanos(CPU.getCurrentThreadCpuTime() - start);

    assertThat(thrown).isInstanceOf(InventoryException.class);
    List<String> problems = ((InventoryException) thrown).problems();
    assertThat(problems)
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p)
                    .matches(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: \\S.*"))
        .anySatisfy(p -> assertThat(p).contains(c.where()));
    assertThat(String.join("\n", problems)).doesNotContain("\r", "\u2028", "\u2029", "\u0085");
    assertThat(took).as("CPU time to refuse").isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
    Path file = dir.resolve("huge.yaml");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(100L << 20); // sparse: costs no disk
    }

    long start = CPU.getCurrentThreadCpuTime();
    Throwable thrown = catchThrowable(() -> InventoryLoader.load(file));
    Duration took = Duration.ofNanos(CPU.getCurrentThreadCpuTime() - start);

    assertThat(thrown)
        .isInstanceOf(InventoryException.class)
        .hasMessage(
            file
                + ":1:1: (file): larger than 33554432 bytes; expected an inventory of at most 32"
                + " MiB");
    assertThat(took).isLessThan(Duration.ofSeconds(1));
  }
}
