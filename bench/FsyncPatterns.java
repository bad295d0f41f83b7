import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What writing a rendered tree costs on this disk by way of fsync: {@code files} files of {@code
 * bytes} bytes in five directories under DIR, written (1) with a force per file on 2 threads, as
 * {@code OutputTree} does, (2) the same on 16 threads, so the file system can group journal
 * commits, (3) all written, then all forced on 16 threads, and (4) never forced (the floor).
 *
 * <pre>
 *   java bench/FsyncPatterns.java DIR [files] [bytes]
 * </pre>
 */
public final class FsyncPatterns {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 6342;
    int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 560;
    byte[] content = new byte[bytes];
    java.util.Arrays.fill(content, (byte) 'x');
    run(root, "force per file, 2 threads", files, content, 2, true, false);
    run(root, "force per file, 16 threads", files, content, 16, true, false);
    run(root, "write all, then force all on 16 threads", files, content, 2, false, true);
    run(root, "no force (floor)", files, content, 2, false, false);
  }

  private static void run(
      Path root, String what, int files, byte[] content, int threads, boolean force, boolean later)
      throws Exception {
    Path dir = Files.createTempDirectory(root, "fsync");
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      Path d = dir.resolve("d" + (i % 5));
      Files.createDirectories(d);
      paths.add(d.resolve("f" + i));
    }
    long start = System.nanoTime();
    each(paths, threads, p -> write(p, content, force));
    if (later) {
      each(paths, 16, FsyncPatterns::force);
    }
    for (int i = 0; i < 5; i++) {
      force(dir.resolve("d" + i));
    }
    System.out.printf("%-42s %6d ms%n", what, (System.nanoTime() - start) / 1_000_000);
  }

  interface IoAction {
    void run(Path p) throws Exception;
  }

  private static void each(List<Path> paths, int threads, IoAction action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    int chunk = (paths.size() + threads - 1) / threads;
    for (int t = 0; t < threads; t++) {
      List<Path> part = paths.subList(Math.min(t * chunk, paths.size()), Math.min((t + 1) * chunk, paths.size()));
      done.add(pool.submit(() -> {
        for (Path p : part) {
          action.run(p);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  private static void write(Path file, byte[] content, boolean force) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      if (force) {
        ch.force(true);
      }
    }
  }

  private static void force(Path p) throws Exception {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
