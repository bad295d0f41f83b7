package io.kickdrift.server.fleet;

import io.kickdrift.agent.pkgdb.FileFlag;
import io.kickdrift.agent.pkgdb.FileMeta;
import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageFile;
import io.kickdrift.agent.pkgdb.PackageSource;
import io.kickdrift.agent.pkgdb.dpkg.DpkgReader;
import io.kickdrift.agent.pkgdb.rpm.RpmSqliteReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * What differs between package managers in an agentless scan: which files to copy, how to read
 * them, the verify command, and which packaged files that command judges as the agent would.
 *
 * @param source the report's backend when the verify command ran ({@code --all}): {@code dpkg
 *     --verify} or {@code rpm -Va}
 * @param read the report's backend when it did not (config files only): the database read, named as
 *     the agent names it, {@code dpkg} or {@code rpm-sqlite}
 * @param files the files for {@link AgentlessShadow#command}
 * @param verify the verify command, run on the host
 * @param reader reads the copied database with the agent's own reader
 * @param verifyJudges the files whose absence from the verify output means the agent would find
 *     nothing either; the others are looked at remotely
 */
record AgentlessBackend(
    PackageSource source,
    PackageSource read,
    String files,
    String verify,
    Reader reader,
    Predicate<PackageFile> verifyJudges) {
  interface Reader {
    PackageDatabase read(Path shadowRoot) throws IOException;
  }

  private static final String ACCOUNTS = " etc/passwd etc/group";

  /**
   * dpkg: dpkg --verify checks content only, and not for ucf's files (not in dpkg's lists),
   * diverted files (it skips their content), files without a digest (the agent checks that they
   * exist) or with a stat override (mode and owner).
   */
  static AgentlessBackend dpkg(String prefix, boolean allFiles) {
    return new AgentlessBackend(
        PackageSource.DPKG_VERIFY,
        PackageSource.DPKG,
        "var/lib/dpkg/status var/lib/dpkg/diversions var/lib/dpkg/statoverride"
            + " var/lib/dpkg/alternatives var/lib/dpkg/updates var/lib/dpkg/info/*.list"
            + (allFiles ? " var/lib/dpkg/info/*.md5sums" : "")
            + " var/lib/ucf/hashfile var/lib/ucf/registry"
            + ACCOUNTS,
        "dpkg"
            + (prefix.isEmpty() ? "" : " --root=" + RemoteShell.quote(prefix))
            + " --verify-format rpm --verify",
        shadow -> DpkgReader.read(shadow, null, allFiles),
        f -> {
          FileMeta m = f.meta();
          return !f.has(FileFlag.UCF)
              && f.actualPath().equals(f.path())
              && f.digest() != null
              && m.permissions() == null
              && m.user() == null
              && m.group() == null;
        });
  }

  /**
   * RPM with an sqlite database (Fedora 33+, RHEL 9+): rpm -Va checks every column the agent does.
   *
   * @param dbPath the database directory, absolute in the root ({@code /var/lib/rpm})
   */
  static AgentlessBackend rpm(String prefix, String dbPath) {
    String db = dbPath.substring(1) + "/rpmdb.sqlite";
    return new AgentlessBackend(
        PackageSource.RPM_VA,
        PackageSource.RPM_SQLITE,
        RemoteShell.quote(db)
            + " "
            + RemoteShell.quote(db + "-wal")
            + " "
            + RemoteShell.quote(db + "-shm")
            + ACCOUNTS,
        "LC_ALL=C rpm"
            + (prefix.isEmpty() ? "" : " --root " + RemoteShell.quote(prefix))
            + " --dbpath "
            + RemoteShell.quote(dbPath)
            + " -Va --nodeps --noscripts",
        RpmSqliteReader::read,
        f -> true);
  }
}
