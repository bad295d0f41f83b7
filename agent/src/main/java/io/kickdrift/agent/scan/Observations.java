package io.kickdrift.agent.scan;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.pkgdb.FileType;
import io.kickdrift.agent.pkgdb.PackageFile;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Where a scan's observations of files come from: the local tree ({@code Scanner}), or a remote
 * host's verify and listing commands (the server's agentless scan). {@link ScanPipeline} asks, and
 * judges the answers the same way whatever the source. Paths are host paths ({@code /etc/passwd})
 * whatever the root. Each question is a batch, so a remote source answers in a few round trips and
 * the local one in parallel.
 */
public abstract class Observations {
  private final String root;
  private final Accounts accounts;
  private final AtomicLong bytesHashed = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();

  /**
   * @param root the scanned root as the report names it
   * @param accounts names for the uids and gids files carry, as the scanned host has them
   */
  protected Observations(String root, Accounts accounts) {
    this.root = root;
    this.accounts = accounts;
  }

  /**
   * Whether the package manager's own verify found {@code f} unchanged, so that it needs no look;
   * never for the local tree.
   */
  protected boolean vouchedFor(PackageFile f) {
    return false;
  }

  /**
   * lstat of each path. A path that does not exist is left out of the map; one that could not be
   * looked at maps to {@link Stat#failed}.
   */
  protected abstract Map<String, Stat> lstat(Collection<String> paths) throws IOException;

  /** The content of each queried file, of every query. */
  protected abstract Map<Query, Content> content(Collection<Query> queries) throws IOException;

  /**
   * The non-directories under each of {@code starts}, in order, with what could not be listed. A
   * source may leave out what lies under a directory {@code ignoredDir} accepts (the pipeline drops
   * it anyway); what it has to say besides goes to {@code warnings}.
   */
  protected abstract List<Listed> list(
      List<String> starts, Predicate<String> ignoredDir, List<String> warnings) throws IOException;

  /**
   * The text (ISO-8859-1) of each of {@code paths} that is a regular file: maintainer scripts,
   * md5sums and account files, which the {@link Origins} step reads to tell what a package's
   * scripts made from what a person did. A source that cannot read them returns none, and such
   * files stay findings.
   */
  protected Map<String, String> readTexts(Collection<String> paths) throws IOException {
    return Map.of();
  }

  /**
   * Hands the content of each regular file of {@code paths}, up to {@code limit} bytes, to {@code
   * use}, and keeps only what it returns (contents are not held all at once). Larger files and
   * files that are gone or no longer regular are left out; what could not be read goes to {@code
   * warnings}. A source that cannot read content (the agentless scan) answers nothing.
   */
  protected <T> Map<String, T> withContent(
      Collection<String> paths, int limit, BiFunction<String, byte[], T> use, List<String> warnings)
      throws IOException {
    return Map.of();
  }

  /** Warnings met while opening the source, reported before the package database's. */
  protected List<String> openingWarnings() {
    return List.of();
  }

  /** Ends the scan (the local tree saves its stat cache); adds to {@code warnings} what failed. */
  protected void finish(List<String> warnings) {}

  /** Counts bytes read to hash, for the report's statistics. */
  protected final void hashed(long bytes) {
    bytesHashed.addAndGet(bytes);
  }

  /** Counts a digest taken from a cache instead of a read. */
  protected final void cacheHit() {
    cacheHits.incrementAndGet();
  }

  final String root() {
    return root;
  }

  final Accounts accounts() {
    return accounts;
  }

  final long bytesHashed() {
    return bytesHashed.get();
  }

  final long cacheHits() {
    return cacheHits.get();
  }

  /**
   * What lstat says of a file, or why it could not say.
   *
   * @param mtimeSeconds floored to whole seconds
   * @param linkTarget for symlinks, else {@code null}
   * @param failure why the file could not be looked at ({@code permission denied}); then the other
   *     fields mean nothing
   */
  public record Stat(
      FileType type,
      int permissions,
      int uid,
      int gid,
      long size,
      long mtimeSeconds,
      String linkTarget,
      String failure) {
    public static Stat failed(String reason) {
      return new Stat(null, 0, 0, 0, 0, 0, null, reason);
    }
  }

  /**
   * A question about one file's content.
   *
   * @param followLink read through a symlink at {@code path} (dpkg opens through links, so the
   *     scanner does where the database does not know the file's type)
   * @param sniffUnless look for a private key unless the digest equals this one; {@code null}:
   *     always look
   */
  public record Query(
      String path, DigestAlgorithm algorithm, boolean followLink, Digest sniffUnless) {}

  /**
   * The answer to a {@link Query}: a digest, or why there is none. Neither a digest nor a note: the
   * link led to something other than a regular file.
   *
   * @param privateKey whether the first 16 KiB hold a private key; {@code null} when not looked at
   *     (only allowed when the digest equals {@link Query#sniffUnless})
   * @param note what went wrong, as findings say it ({@code cannot read: permission denied})
   */
  public record Content(Digest digest, Boolean privateKey, String note) {
    public static Content of(Digest digest, Boolean privateKey) {
      return new Content(digest, privateKey, null);
    }

    public static Content unreadable(String reason) {
      return new Content(null, null, "cannot read: " + reason);
    }

    public static Content unfollowable(String reason) {
      return new Content(null, null, "cannot follow link: " + reason);
    }

    public static Content notRegular() {
      return new Content(null, null, null);
    }
  }

  /**
   * One entry of a listing under {@code start}: a non-directory, a start that does not exist, or a
   * path that could not be listed ({@code failure}).
   */
  public record Listed(String start, String path, boolean exists, String failure) {
    public static Listed file(String start, String path) {
      return new Listed(start, path, true, null);
    }

    public static Listed missingStart(String start) {
      return new Listed(start, start, false, null);
    }

    public static Listed failed(String start, String path, String reason) {
      return new Listed(start, path, true, reason);
    }
  }
}
