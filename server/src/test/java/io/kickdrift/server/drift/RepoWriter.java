package io.kickdrift.server.drift;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.Problem;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Config repositories written the way scans write them: findings of a root on this machine
 * committed by the agent's own {@link ConfigRepo}, with the packaged originals a .deb would give.
 */
final class RepoWriter {
  private final Path repo;
  private final Path roots;
  private final List<Finding> findings = new ArrayList<>();
  private final Map<String, byte[]> originals = new HashMap<>();
  private Path root;

  RepoWriter(Path repo, Path roots) {
    this.repo = repo;
    this.roots = roots;
  }

  /** Starts the next scan of {@code host}: its root is {@code roots/host}, kept between scans. */
  RepoWriter host(String host) throws IOException {
    findings.clear();
    originals.clear();
    root = roots.resolve(host);
    Files.createDirectories(root);
    return this;
  }

  /** A packaged file edited on the host: {@code now} on the host, {@code packaged} in the .deb. */
  RepoWriter modified(String path, String packaged, String now) throws IOException {
    return modified(path, packaged.getBytes(StandardCharsets.UTF_8), write(path, now));
  }

  RepoWriter modified(String path, byte[] packaged, byte[] now) throws IOException {
    write(path, now);
    originals.put(path, packaged);
    findings.add(
        new Finding(
            path,
            Status.MODIFIED,
            Set.of(Problem.CONTENT),
            Set.of(),
            "alpha",
            "1.0-1",
            true,
            'c',
            observed(packaged),
            observed(now),
            null,
            null));
    return this;
  }

  /** A file no package owns. */
  RepoWriter unowned(String path, String now) throws IOException {
    byte[] b = write(path, now);
    findings.add(
        new Finding(
            path,
            Status.UNOWNED,
            Set.of(),
            Set.of(),
            null,
            null,
            false,
            null,
            null,
            observed(b),
            null,
            null));
    return this;
  }

  /** A packaged file gone from the host. */
  RepoWriter missing(String path, String packaged) throws IOException {
    Files.deleteIfExists(root.resolve(path.substring(1)));
    findings.add(
        new Finding(
            path,
            Status.MISSING,
            Set.of(),
            Set.of(),
            "alpha",
            "1.0-1",
            true,
            'c',
            observed(packaged.getBytes(StandardCharsets.UTF_8)),
            null,
            null,
            null));
    return this;
  }

  /** Commits the scan as made at {@code at}. */
  ConfigRepo.Result commit(Instant at) throws IOException {
    String host = root.getFileName().toString();
    ScanReport report =
        new ScanReport(
            ScanReport.SCHEMA,
            host,
            "/",
            PackageSource.DPKG,
            "config",
            true,
            new ScanReport.Stats(0, 0, 0, 0, 0),
            findings,
            List.of(),
            List.of());
    Map<String, byte[]> debs = Map.copyOf(originals);
    try (ConfigRepo cr = ConfigRepo.openOrCreate(repo)) {
      return cr.record(
          report,
          root,
          (modified, warnings) -> {
            Map<String, byte[]> out = new HashMap<>();
            modified.forEach(f -> out.put(f.path(), debs.get(f.path())));
            return out;
          },
          new ConfigRepo.Settings(
              "kickdrift",
              "kickdrift@" + host,
              "test",
              "scan-" + at,
              Clock.fixed(at, ZoneOffset.UTC)));
    }
  }

  private byte[] write(String path, String content) throws IOException {
    return write(path, content.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] write(String path, byte[] content) throws IOException {
    Path p = root.resolve(path.substring(1));
    Files.createDirectories(p.getParent());
    Files.write(p, content);
    return content;
  }

  private static Finding.Observed observed(byte[] content) {
    try {
      return new Finding.Observed(
          "regular",
          "0644",
          "root",
          "root",
          (long) content.length,
          1L,
          null,
          Digest.of(DigestAlgorithm.MD5, MessageDigest.getInstance("MD5").digest(content)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
