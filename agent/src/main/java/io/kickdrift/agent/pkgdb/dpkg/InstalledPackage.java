package io.kickdrift.agent.pkgdb.dpkg;

import java.util.List;

/**
 * A package as dpkg's status database records it.
 *
 * @param name package name
 * @param arch architecture ({@code all}, {@code amd64}, …)
 * @param multiArchSame whether it is {@code Multi-Arch: same}: its info files are named {@code
 *     name:arch}
 * @param state the third word of {@code Status} ({@code installed}, {@code config-files}, …)
 * @param conffiles its conffiles, in the order listed
 */
record InstalledPackage(
    String name,
    String arch,
    boolean multiArchSame,
    String version,
    String state,
    List<Conffile> conffiles,
    int line) {

  /** The name of its files under {@code /var/lib/dpkg/info}, and how we name it in reports. */
  String infoName() {
    return multiArchSame ? name + ":" + arch : name;
  }

  /** The key that identifies one instance: dpkg allows one stanza per name and architecture. */
  String key() {
    return name + ":" + arch;
  }

  /** Whether dpkg has files of it on disk; {@code not-installed} has none. */
  boolean hasFiles() {
    return !state.equals("not-installed");
  }
}
