package io.kickdrift.agent.pkgdb.rpm;

import java.util.List;

/**
 * One installed package as rpm records it, before mapping to the common model: what a header
 * decodes to, and what the query fallback parses to, so that both map through {@link
 * RpmPackages#files}.
 *
 * @param epoch {@code null} when the package has none
 * @param arch {@code null} when the package has none (gpg-pubkey)
 * @param digestAlgo FILEDIGESTALGO, {@code null} when absent (rpm then means MD5)
 */
record RpmPackage(
    String name,
    Integer epoch,
    String version,
    String release,
    String arch,
    Integer digestAlgo,
    List<RpmFile> files) {

  RpmPackage {
    files = List.copyOf(files);
  }

  /** {@code [epoch:]version-release}, as rpm prints EVR. */
  String evr() {
    return (epoch == null ? "" : epoch + ":") + version + "-" + release;
  }

  /** rpm's signing-key pseudo packages, which own no files. */
  boolean isPubkey() {
    return name.equals("gpg-pubkey");
  }
}
