import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor for `scan --all` on this machine: MD5 of every regular file named in a list, on N
 * threads, with nothing else (no package database, no comparison). Run as a single-file source:
 * {@code java bench/HashFloor.java PATHS-FILE THREADS}.
 */
public class HashFloor {
  public static void main(String[] args) throws Exception {
    List<String> paths = Files.readAllLines(Path.of(args[0]));
    int threads = Integer.parseInt(args[1]);
    AtomicInteger next = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] =
          new Thread(
              () -> {
                try {
                  MessageDigest md = MessageDigest.getInstance("MD5");
                  ByteBuffer buf = ByteBuffer.allocate(1 << 17);
                  for (int i = next.getAndIncrement(); i < paths.size(); i = next.getAndIncrement()) {
                    Path p = Path.of(paths.get(i));
                    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                      continue;
                    }
                    try (FileChannel ch = FileChannel.open(p)) {
                      for (int n; (n = ch.read(buf.clear())) > 0; ) {
                        md.update(buf.array(), 0, n);
                        bytes.addAndGet(n);
                      }
                    } catch (Exception e) {
                      // unreadable: skipped, as it would be reported
                    }
                    md.digest();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    System.out.println(bytes.get() + " bytes");
  }
}
