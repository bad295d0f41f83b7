package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import java.io.IOException;

/**
 * Compares a host's files with what its package database recorded, and finds files no package owns:
 * the {@link ScanPipeline} over the files under {@link ScanOptions#root()} on this machine. Hashes
 * in parallel with one open and one sequential read per file; never opens anything but a regular
 * file, so a FIFO or device cannot hang it.
 *
 * <p>Example: {@code Scanner.scan(DpkgReader.read(root), options, "web01")}.
 */
public final class Scanner {
  private Scanner() {}

  /**
   * Scans; problems with single files become findings or warnings, never exceptions.
   *
   * @throws IOException only when the root itself cannot be read
   */
  public static ScanReport scan(PackageDatabase db, ScanOptions options, String host)
      throws IOException {
    return scan(db, options, host, OriginsMemo.NONE);
  }

  /** The same, keeping what the classification learns in {@code memo} for the next scan. */
  public static ScanReport scan(
      PackageDatabase db, ScanOptions options, String host, OriginsMemo memo) throws IOException {
    long start = System.nanoTime();
    return ScanPipeline.run(
        host, db, db.backend(), new LocalTree(options), options.rules(), memo, start);
  }
}
