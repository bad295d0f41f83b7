package io.kickdrift.agent.scan;

import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.nio.file.Path;
import java.util.List;

/**
 * What to scan and how; immutable, built once from the command line.
 *
 * @param root the root of the scanned tree ({@code /} for the running host)
 * @param allFiles every file of every package (like {@code dpkg --verify}); otherwise config files
 * @param unownedPaths where to look for files no package owns (absolute, e.g. {@code /etc})
 * @param ignore rules for paths never reported
 * @param secrets rules for paths whose content is secret
 * @param statCache where the stat cache lives, {@code null} to bypass it
 * @param threads hashing threads
 * @param verbose also report mtime-only differences of content-equal files ({@code --verbose})
 * @param includeGenerated also report what maintainer scripts made ({@code --include-generated})
 * @param inlineSecrets the detector of secret values inside files, built once from {@code
 *     --secret-rules}; whoever commits the scan's files redacts with this same instance
 */
public record ScanOptions(
    Path root,
    boolean allFiles,
    List<String> unownedPaths,
    GlobRules ignore,
    GlobRules secrets,
    Path statCache,
    int threads,
    boolean verbose,
    boolean includeGenerated,
    InlineSecrets inlineSecrets) {

  /**
   * The quiet default (neither {@code --verbose} nor {@code --include-generated}), with the
   * built-in secret value rules.
   */
  public ScanOptions(
      Path root,
      boolean allFiles,
      List<String> unownedPaths,
      GlobRules ignore,
      GlobRules secrets,
      Path statCache,
      int threads) {
    this(
        root,
        allFiles,
        unownedPaths,
        ignore,
        secrets,
        statCache,
        threads,
        false,
        false,
        InlineSecrets.builtIn());
  }

  public ScanOptions {
    if (inlineSecrets == null) {
      throw new IllegalArgumentException("no secret value detector");
    }
    unownedPaths = List.copyOf(unownedPaths);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    for (String p : unownedPaths) {
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("--paths entries must be absolute, got '" + p + "'");
      }
    }
  }

  /** What the pipeline judges, whatever the source. */
  public ScanPipeline.Rules rules() {
    return new ScanPipeline.Rules(
        allFiles, unownedPaths, ignore, secrets, verbose, includeGenerated, inlineSecrets);
  }
}
