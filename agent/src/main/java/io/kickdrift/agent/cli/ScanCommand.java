package io.kickdrift.agent.cli;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageDatabases;
import io.kickdrift.agent.pkgdb.deb.DebCache;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.agent.repo.DebOriginals;
import io.kickdrift.agent.repo.Originals;
import io.kickdrift.agent.repo.RpmOriginals;
import io.kickdrift.agent.repo.SecretCipher;
import io.kickdrift.agent.report.JsonReport;
import io.kickdrift.agent.report.RpmFormat;
import io.kickdrift.agent.report.TextReport;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.ScanOptions;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Scanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scan}: which files differ from what their packages installed, and which no package owns.
 */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Compares files with the package manager's records (dpkg or RPM) and lists config files"
          + " no package owns.",
      "With --repo, commits what it found to a Git repository for review.",
      "Exit status: 0 no drift, 1 drift found, 2 could not scan (or could not commit)."
    })
public final class ScanCommand implements Callable<Integer> {
  @Option(names = "--root", paramLabel = "DIR", description = "Scan this tree (default: /).")
  Path root = Path.of("/");

  @Mixin ScanScope scope = new ScanScope();

  @Option(names = "--no-unowned", description = "Do not look for unowned files.")
  boolean noUnowned;

  @Mixin JsonOption json = new JsonOption();

  @Option(names = "--rpm-format", description = "Print lines in rpm -V format.")
  boolean rpmFormat;

  @Option(
      names = "--ignore-file",
      paramLabel = "FILE",
      description = "More ignore rules, gitignore syntax (repeatable).")
  List<Path> ignoreFiles = new ArrayList<>();

  @Option(names = "--no-default-ignores", description = "Drop the built-in ignore list.")
  boolean noDefaultIgnores;

  @Option(
      names = "--debs",
      paramLabel = "DIR",
      description =
          "Directories of .deb files to check dpkg modes, owners and links against"
              + " (default: the root's apt cache).")
  List<Path> debDirs = new ArrayList<>();

  @Option(
      names = "--no-deb-metadata",
      description = "Do not read .deb archives (dpkg: check content only, like dpkg --verify).")
  boolean noDebMetadata;

  @Option(names = "--backend", paramLabel = "NAME", description = "auto (default), dpkg or rpm.")
  PackageDatabases.Backend backend = PackageDatabases.Backend.AUTO;

  @Mixin StateOption state = new StateOption();

  @Option(names = "--no-cache", description = "Neither read nor write the stat cache.")
  boolean noCache;

  @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--host", paramLabel = "NAME", description = "Host name for the report.")
  String host;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Commit what the scan found to this Git repository (created, bare, if missing);"
              + " see docs/config-repo.md.")
  Path repo;

  @Option(
      names = "--packages",
      paramLabel = "DIR",
      description =
          "Directories of .deb or .rpm files to take packaged originals from, before the --debs"
              + " directories or the root's apt cache (dpkg), or the root's dnf, yum and zypper"
              + " caches (RPM) (repeatable).")
  List<Path> packageDirs = new ArrayList<>();

  @Mixin CommitOptions commitOptions = new CommitOptions();

  @Option(
      names = "--author-email",
      paramLabel = "EMAIL",
      description = "Commit author e-mail (default: kickdrift@HOST).")
  String authorEmail;

  @Option(
      names = "--push",
      paramLabel = "REMOTE",
      description =
          "After committing, push the repository's branch to REMOTE (path, file://, http(s)://,"
              + " ssh://); exit 2 if that fails.")
  String push;

  @Option(
      names = "--branch",
      paramLabel = "B",
      description = "Remote branch for --push (default: drift/HOST).")
  String branch;

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description =
          "SSH host keys for --push are checked against this file only (default:"
              + " ~/.ssh/known_hosts); unknown or changed keys are refused.")
  Path knownHosts;

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description = "SSH private key for --push (default: ~/.ssh/id_*).")
  Path identity;

  @Option(
      names = "--push-credentials",
      paramLabel = "FILE",
      description =
          "user:password on the first line of FILE, for --push to http(s):// remotes that ask"
              + " for a login; never given to SSH.")
  Path pushCredentials;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    SecretCipher.Recipient recipient;
    try {
      if (repo == null
          && (commitOptions.encrypts()
              || push != null
              || branch != null
              || knownHosts != null
              || identity != null
              || pushCredentials != null)) {
        throw new IllegalArgumentException(
            "--encrypt-to, --push, --branch, --known-hosts, --identity and --push-credentials"
                + " need --repo");
      }
      if (push == null
          && (branch != null
              || knownHosts != null
              || identity != null
              || pushCredentials != null)) {
        throw new IllegalArgumentException(
            "--branch, --known-hosts, --identity and --push-credentials need --push");
      }
      // A key that cannot be used stops the scan before it starts, not after.
      recipient = commitOptions.recipient();
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift-agent scan: " + ErrorText.of(e));
      return AgentMain.EXIT_ERROR;
    }
    try {
      ScanReport report = scan();
      if (json.on()) {
        JsonReport.write(report, out);
      } else if (rpmFormat) {
        RpmFormat.print(report, out);
        report.warnings().forEach(w -> err.println("warning: " + w));
      } else {
        TextReport.print(report, out);
      }
      out.flush();
      if (repo != null && !commit(report, recipient)) {
        return AgentMain.EXIT_ERROR;
      }
      return report.findings().isEmpty() ? AgentMain.EXIT_CLEAN : AgentMain.EXIT_DRIFT;
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift-agent scan: " + ErrorText.of(e));
      return AgentMain.EXIT_ERROR;
    }
  }

  /** Commits the report to --repo; says what happened on stderr, so --json stays one document. */
  private boolean commit(ScanReport report, SecretCipher.Recipient recipient) {
    Path r = root.toAbsolutePath().normalize();
    List<Path> sources = new ArrayList<>(packageDirs);
    sources.addAll(debDirs.isEmpty() ? List.of(r.resolve("var/cache/apt/archives")) : debDirs);
    ConfigRepo.Settings settings =
        new ConfigRepo.Settings(
            commitOptions.authorName(),
            authorEmail != null ? authorEmail : "kickdrift@" + report.host(),
            agentVersion(),
            UUID.randomUUID().toString(),
            Clock.systemUTC(),
            recipient);
    try (ConfigRepo cr = ConfigRepo.openOrCreate(repo)) {
      Originals originals =
          report.backend().isRpm()
              ? RpmOriginals.forRoot(r, packageDirs)
              : new DebOriginals(DebCache.scan(sources));
      ConfigRepo.Result res = cr.record(report, r, originals, settings);
      res.warnings().forEach(w -> err.println("warning: repo: " + w));
      err.println(
          "repo "
              + repo
              + ": "
              + res.summary()
              + (res.commits().isEmpty()
                  ? ""
                  : " ("
                      + res.commits().size()
                      + " commit"
                      + (res.commits().size() == 1 ? "" : "s")
                      + ", "
                      + res.commits().get(res.commits().size() - 1).substring(0, 12)
                      + ")"));
      err.flush();
      return push == null || push(cr, report.host());
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift-agent scan: cannot commit to " + repo + ": " + ErrorText.of(e));
      return false;
    }
  }

  /** Pushes after the commit (or when the remote is behind); the local repository is only read. */
  private boolean push(ConfigRepo cr, String host) {
    String b = branch != null ? branch : "drift/" + host;
    try {
      ConfigRepo.Pushed p =
          cr.push(new ConfigRepo.PushTarget(push, b, knownHosts, identity, pushCredentials));
      err.println(
          "push "
              + push
              + " "
              + b
              + ": "
              + p.outcome()
              + (p.commit() == null ? "" : " (" + p.commit().substring(0, 12) + ")"));
      return true;
    } catch (IOException e) {
      err.println(
          "kickdrift-agent scan: cannot push to " + push + " (" + b + "): " + ErrorText.of(e));
      return false;
    } finally {
      err.flush();
    }
  }

  ScanReport scan() throws IOException {
    Path r = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(r)) {
      throw new IOException(r + ": not a directory");
    }
    List<Path> debSources =
        debDirs.isEmpty() ? List.of(r.resolve("var/cache/apt/archives")) : debDirs;
    DebCache debs = noDebMetadata ? null : DebCache.scan(debSources);
    PackageDatabase db =
        noCache
            ? PackageDatabases.open(r, backend, debs, scope.all())
            : PackageDatabases.open(
                r,
                backend,
                debs,
                debSources,
                scope.all(),
                state.dir().packageSnapshot(r, scope.all()),
                agentVersion());
    ScanOptions options =
        new ScanOptions(
            r,
            scope.all(),
            noUnowned ? List.of() : scope.paths(),
            ignoreRules(),
            defaults("default-secrets.txt"),
            noCache ? null : state.dir().statCache(r),
            threads);
    return Scanner.scan(db, options, host != null ? host : hostName(r));
  }

  private GlobRules ignoreRules() throws IOException {
    GlobRules rules = noDefaultIgnores ? GlobRules.empty() : defaults("default-ignore.txt");
    for (Path f : ignoreFiles) {
      rules = rules.plus(GlobRules.parse(f.toString(), Files.readString(f)));
    }
    return rules;
  }

  static GlobRules defaults(String resource) throws IOException {
    try (InputStream in = Scanner.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("built-in rules " + resource + " missing from the jar");
      }
      return GlobRules.parse(
          "(built-in " + resource + ")", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static String agentVersion() {
    String v = ScanCommand.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The root's own host name: /etc/hostname, or the kernel's for the running system. */
  static String hostName(Path r) {
    List<Path> sources = new ArrayList<>();
    if (r.equals(Path.of("/"))) {
      sources.add(Path.of("/proc/sys/kernel/hostname"));
    }
    sources.add(r.resolve("etc/hostname"));
    for (Path p : sources) {
      try {
        String h = Files.readString(p).strip();
        if (!h.isEmpty()) {
          return h;
        }
      } catch (IOException e) {
        // try the next source
      }
    }
    return "localhost";
  }
}
