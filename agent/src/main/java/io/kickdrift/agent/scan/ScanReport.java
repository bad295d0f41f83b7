package io.kickdrift.agent.scan;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.kickdrift.agent.pkgdb.PackageSource;
import java.util.List;

/**
 * The result of one scan: a value serialised as the stable JSON schema in docs/scan-report.md.
 *
 * @param schema the schema version, bumped on incompatible changes
 * @param host the scanned host's name
 * @param root the scanned root directory
 * @param backend where package data came from
 * @param scope {@code config} or {@code all}
 * @param metadataChecked whether modes, owners and link targets of packaged files could be checked
 *     (RPM always; dpkg only where the .deb was at hand)
 * @param findings sorted by path
 * @param leftovers package-manager leftovers found (*.dpkg-dist, *.rpmnew, …): merges pending
 * @param warnings what could not be read, each naming the file and line
 */
public record ScanReport(
    int schema,
    String host,
    String root,
    PackageSource backend,
    String scope,
    boolean metadataChecked,
    Stats stats,
    List<Finding> findings,
    List<String> leftovers,
    List<String> warnings) {

  public static final int SCHEMA = 1;

  public ScanReport {
    findings = List.copyOf(findings);
    leftovers = List.copyOf(leftovers);
    warnings = List.copyOf(warnings);
  }

  /**
   * @param packageFiles packaged files checked
   * @param unownedCandidates files looked at under the unowned paths
   * @param bytesHashed bytes read to hash
   * @param cacheHits digests taken from the stat cache
   * @param millis wall time of the scan
   * @param classified findings with an origin (generated, maintainer), reported only with {@code
   *     --include-generated}
   */
  public record Stats(
      long packageFiles,
      long unownedCandidates,
      long bytesHashed,
      long cacheHits,
      long millis,
      // An agent from before issue 18 sends no count: read as 0, so a mixed fleet still scans.
      @JsonSetter(nulls = Nulls.AS_EMPTY) long classified) {
    public Stats(
        long packageFiles, long unownedCandidates, long bytesHashed, long cacheHits, long millis) {
      this(packageFiles, unownedCandidates, bytesHashed, cacheHits, millis, 0);
    }
  }

  /** The findings that are local drift: those no maintainer script accounts for. */
  public List<Finding> drift() {
    return findings.stream().filter(f -> f.origin() == null).toList();
  }

  /**
   * This report without the findings only the desired-state check made ({@link
   * Finding.Desired#outsideScan}): what the config repository stores.
   */
  public ScanReport scanned() {
    List<Finding> kept =
        findings.stream().filter(f -> f.desired() == null || !f.desired().outsideScan()).toList();
    return kept.size() == findings.size()
        ? this
        : new ScanReport(
            schema, host, root, backend, scope, metadataChecked, stats, kept, leftovers, warnings);
  }

  public long count(Status s) {
    return findings.stream().filter(f -> f.status() == s).count();
  }

  /** How many findings hold secret values inside their content. */
  public long holdingSecretValues() {
    return findings.stream().filter(f -> !f.inlineSecrets().isEmpty()).count();
  }
}
