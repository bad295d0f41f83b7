import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageDatabases;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.agent.repo.Originals;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.ScanOptions;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Scanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Benchmark of the config repository, in one JVM (no start-up cost per scan):
 * 1. commit a scan of FILES changed files, then a no-change rescan (time and repo growth);
 * 2. HOSTS hosts' manifests in one repo, each host with 20 files (time per commit as it grows).
 *
 * <p>{@code java -cp agent/target/kickdrift-agent.jar bench/RepoBench.java [FILES] [HOSTS]}
 */
public class RepoBench {
  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path work = Files.createTempDirectory("kd-repo-bench");
    try {
      Path root = tree(work.resolve("root"), files, 2048);
      Path repo = work.resolve("repo");
      ConfigRepo.Settings s =
          new ConfigRepo.Settings("bench", "bench@example.org", "bench", "x", Clock.systemUTC());
      long t0 = System.nanoTime();
      record(repo, root, "web01", s);
      long first = System.nanoTime() - t0;
      for (int i = 0; i < files; i++) {
        Files.writeString(root.resolve("etc/app/f" + i + ".conf"), "changed " + i + "\n",
            java.nio.file.StandardOpenOption.APPEND);
      }
      t0 = System.nanoTime();
      String changed = record(repo, root, "web01", s);
      long second = System.nanoTime() - t0;
      long before = size(repo);
      t0 = System.nanoTime();
      String same = record(repo, root, "web01", s);
      long third = System.nanoTime() - t0;
      long after = size(repo);
      System.out.printf("first scan, %d new files committed:      %7.0f ms%n", files, first / 1e6);
      System.out.printf("rescan, %d changed files committed:      %7.0f ms  (%s)%n", files, second / 1e6, changed);
      System.out.printf("rescan, nothing changed:                  %7.0f ms  (%s)%n", third / 1e6, same);
      System.out.printf("repo bytes before/after no-change rescan: %d / %d%n", before, after);

      Path small = tree(work.resolve("small"), 20, 512);
      Path many = work.resolve("many");
      long start = System.nanoTime();
      long lastBatch = System.nanoTime();
      for (int h = 1; h <= hosts; h++) {
        record(many, small, String.format("h%04d", h), s);
        if (h % (hosts / 5) == 0) {
          System.out.printf("hosts %4d: %6.1f ms per host commit over the last %d%n",
              h, (System.nanoTime() - lastBatch) / 1e6 / (hosts / 5), hosts / 5);
          lastBatch = System.nanoTime();
        }
      }
      System.out.printf("%d hosts' manifests in one repo: %.1f s in all, repo %d bytes%n",
          hosts, (System.nanoTime() - start) / 1e9, size(many));
    } finally {
      try (Stream<Path> w = Files.walk(work)) {
        w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static String record(Path repo, Path root, String host, ConfigRepo.Settings s) throws Exception {
    PackageDatabase db = PackageDatabases.open(root, PackageDatabases.Backend.AUTO, null, false);
    ScanReport r = Scanner.scan(db,
        new ScanOptions(root, false, List.of("/etc"), GlobRules.empty(), GlobRules.empty(), null, 2),
        host);
    try (ConfigRepo cr = ConfigRepo.openOrCreate(repo)) {
      return cr.record(r, root, Originals.none(),
          new ConfigRepo.Settings(s.authorName(), s.authorEmail(), s.agentVersion(),
              UUID.randomUUID().toString(), s.clock())).summary();
    }
  }

  /** A root with an empty dpkg database and {@code n} unowned files under /etc/app. */
  static Path tree(Path root, int n, int size) throws Exception {
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    Files.createDirectories(root.resolve("etc/app"));
    byte[] body = new byte[size];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(body, (byte) ('a' + i % 26));
      Files.write(root.resolve("etc/app/f" + i + ".conf"), body);
    }
    return root;
  }

  static long size(Path dir) throws Exception {
    try (Stream<Path> w = Files.walk(dir)) {
      return w.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
