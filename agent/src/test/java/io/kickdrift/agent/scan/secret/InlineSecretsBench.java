package io.kickdrift.agent.scan.secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Throughput of {@link InlineSecrets#find} over the readable regular files of a directory (default
 * /etc), beside SHA-256 over the same bytes for scale (docs/secrets.md, "Speed"). Not a test: run
 * {@code java -cp agent/target/classes:agent/target/test-classes:DEPS
 * io.kickdrift.agent.scan.secret.InlineSecretsBench /etc 5}.
 */
final class InlineSecretsBench {
  private InlineSecretsBench() {}

  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    Path root = Path.of(args.length > 0 ? args[0] : "/etc");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Path> paths = new ArrayList<>();
    List<byte[]> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p) && Files.isReadable(p) && Files.size(p) < (4 << 20)) {
          try {
            files.add(Files.readAllBytes(p));
            paths.add(p);
          } catch (IOException e) {
            // unreadable after all: skip
          }
        }
      }
    }
    long bytes = files.stream().mapToLong(b -> b.length).sum();
    InlineSecrets secrets = InlineSecrets.builtIn();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long found = 0;
    for (int r = 0; r <= rounds; r++) {
      long t0 = System.nanoTime();
      found = 0;
      for (int i = 0; i < files.size(); i++) {
        found += secrets.find(paths.get(i).toString(), files.get(i)).size();
      }
      long t1 = System.nanoTime();
      for (byte[] b : files) {
        sha.digest(b);
      }
      long t2 = System.nanoTime();
      if (r > 0) { // round 0 warms up the JIT
        System.out.printf(
            "round %d: %d files, %.1f MB: find %.0f ms (%.0f MB/s, %d matches), sha256 %.0f ms (%.0f MB/s)%n",
            r,
            files.size(),
            bytes / 1e6,
            (t1 - t0) / 1e6,
            bytes / 1e3 / ((t1 - t0) / 1e6),
            found,
            (t2 - t1) / 1e6,
            bytes / 1e3 / ((t2 - t1) / 1e6));
      }
    }
  }
}
