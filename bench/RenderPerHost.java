import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.render.InstallTokens;
import io.kickdrift.server.render.HostModel;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.SiteModel;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Per-host rendering time in one warm JVM, no disk: the first (cold) pass of each phase, then the
 * median of {@code iterations} full {@code TreeRenderer.render(site)} calls (hosts in parallel, as
 * {@code kickdrift render} does) and of as many single-threaded {@code renderHost} loops.
 *
 * <pre>
 *   java -cp server/target/kickdrift.jar bench/RenderPerHost.java INVENTORY [iterations]
 * </pre>
 */
public final class RenderPerHost {
  /** Every host has a pending install, so every kickstart URL carries a token (the costlier case). */
  static final InstallTokens EVERY_HOST_INSTALLS = host -> Optional.of("bench-token-" + host);

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;

    long t0 = System.nanoTime();
    Inventory inventory = InventoryLoader.load(file);
    long t1 = System.nanoTime();
    SiteModel site = Models.site(inventory, file.getFileName().toString(), EVERY_HOST_INSTALLS);
    long t2 = System.nanoTime();
    TreeRenderer renderer = new TreeRenderer(new Templates(null));
    SortedMap<String, byte[]> tree = renderer.render(site);
    long t3 = System.nanoTime();
    int hosts = site.hosts().size();
    long bytes = tree.values().stream().mapToLong(b -> b.length).sum();
    System.out.printf(
        "cold, first pass: load %d ms, models %d ms, templates + render %d ms (%d files, %d KiB)%n",
        ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), tree.size(), bytes / 1024);

    for (int i = 0; i < iterations; i++) { // warm-up
      renderer.render(site);
      sequential(renderer, site);
    }
    double[] parallel = new double[iterations];
    double[] serial = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long s = System.nanoTime();
      renderer.render(site);
      parallel[i] = (System.nanoTime() - s) / 1e6;
      s = System.nanoTime();
      sequential(renderer, site);
      serial[i] = (System.nanoTime() - s) / 1e6;
    }
    long s = System.nanoTime();
    Inventory again = InventoryLoader.load(file);
    Models.site(again, file.getFileName().toString(), EVERY_HOST_INSTALLS);
    long warmLoad = System.nanoTime() - s;
    System.out.printf(
        "warm, median of %d: render(site) %.1f ms = %.3f ms/host (%d threads); renderHost one"
            + " thread %.1f ms = %.3f ms/host; load + models %d ms%n",
        iterations,
        median(parallel),
        median(parallel) / hosts,
        Runtime.getRuntime().availableProcessors(),
        median(serial),
        median(serial) / hosts,
        ms(warmLoad));
  }

  private static void sequential(TreeRenderer renderer, SiteModel site) throws Exception {
    for (HostModel host : site.hosts()) {
      renderer.renderHost(site, host);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
