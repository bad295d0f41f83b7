package io.kickdrift.agent.pkgdb;

import java.util.List;
import java.util.Set;

/**
 * Everything the scanner needs from a host's package manager, read once.
 *
 * @param backend which database was read
 * @param files every installed file (config and non-config) with what the database records
 * @param owned every path some package or ucf owns, including directories and non-files
 * @param managedLinks symlinks managed outside packages (update-alternatives), which are not
 *     unowned drift
 * @param warnings problems met while reading, each naming its file and line
 * @param metadataChecked whether modes, owners and link targets are known for {@code files}
 */
public record PackageDatabase(
    PackageSource backend,
    List<PackageFile> files,
    OwnedPaths owned,
    Set<String> managedLinks,
    List<String> warnings,
    boolean metadataChecked) {

  public PackageDatabase {
    files = List.copyOf(files);
    managedLinks = Set.copyOf(managedLinks);
    warnings = List.copyOf(warnings);
  }
}
