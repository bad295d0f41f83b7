package io.kickdrift.agent.cli;

import io.kickdrift.agent.pkgdb.PackageDatabase;
import io.kickdrift.agent.pkgdb.PackageDatabases;
import io.kickdrift.agent.pkgdb.deb.DebCache;
import io.kickdrift.agent.pkgdb.deb.DebIndex;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.agent.repo.DebOriginals;
import io.kickdrift.agent.repo.Originals;
import io.kickdrift.agent.repo.RpmOriginals;
import io.kickdrift.agent.repo.SecretCipher;
import io.kickdrift.agent.repo.SecretDigestKey;
import io.kickdrift.agent.report.JsonReport;
import io.kickdrift.agent.report.RpmFormat;
import io.kickdrift.agent.report.TextReport;
import io.kickdrift.agent.scan.AgainstDesired;
import io.kickdrift.agent.scan.DesiredManifest;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.OriginsMemo;
import io.kickdrift.agent.scan.ScanOptions;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Scanner;
import java.io.IOException;
import java.io.PrintStream;
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
 * Its help text is in {@code ScanCommand.properties}.
 */
@Command(name = "scan", mixinStandardHelpOptions = true)
public final class ScanCommand implements Callable<Integer> {
  @Option(names = "--root", paramLabel = "DIR")
  Path root = Path.of("/");

  @Mixin ScanScope scope = new ScanScope();

  @Option(names = "--verbose")
  boolean verbose;

  @Option(names = "--include-generated")
  boolean includeGenerated;

  @Option(names = "--no-unowned")
  boolean noUnowned;

  @Mixin JsonOption json = new JsonOption();

  @Option(names = "--rpm-format")
  boolean rpmFormat;

  @Option(names = "--ignore-file", paramLabel = "FILE")
  List<Path> ignoreFiles = new ArrayList<>();

  @Option(names = "--no-default-ignores")
  boolean noDefaultIgnores;

  @Option(names = "--debs", paramLabel = "DIR")
  List<Path> debDirs = new ArrayList<>();

  @Option(names = "--no-deb-metadata")
  boolean noDebMetadata;

  @Option(names = "--backend", paramLabel = "NAME")
  PackageDatabases.Backend backend = PackageDatabases.Backend.AUTO;

  @Mixin StateOption state = new StateOption();

  @Option(names = "--no-cache")
  boolean noCache;

  @Option(names = "--threads", paramLabel = "N")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--host", paramLabel = "NAME")
  String host;

  @Option(names = "--repo", paramLabel = "DIR")
  Path repo;

  @Option(names = "--packages", paramLabel = "DIR")
  List<Path> packageDirs = new ArrayList<>();

  @Mixin CommitOptions commitOptions = new CommitOptions();

  @Option(names = "--author-email", paramLabel = "EMAIL")
  String authorEmail;

  @Mixin PushOptions push = new PushOptions();

  @Mixin SecretRulesOption secretRules = new SecretRulesOption();

  /** The desired-state manifest; {@code ""} (the option alone) means the root's own. */
  @Option(names = "--against-desired", paramLabel = "FILE", arity = "0..1", fallbackValue = "")
  String againstDesired;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    SecretCipher.Recipient recipient;
    try {
      if (repo == null && (commitOptions.encrypts() || push.given())) {
        throw new IllegalArgumentException(
            "--encrypt-to, --push, --branch, --known-hosts, --identity and --push-credentials"
                + " need --repo");
      }
      push.check();
      // A key or rule file that cannot be used stops the scan before it starts, not after.
      recipient = commitOptions.recipient();
      secretRules.inlineSecrets();
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift-agent scan: " + ErrorText.of(e));
      return AgentMain.EXIT_ERROR;
    }
    try {
      ScanReport report = scan();
      if (againstDesired != null) {
        report = againstDesired(report);
      }
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
      if (againstDesired != null) {
        return AgainstDesired.unexpected(report) ? AgentMain.EXIT_DRIFT : AgentMain.EXIT_CLEAN;
      }
      return report.drift().isEmpty() ? AgentMain.EXIT_CLEAN : AgentMain.EXIT_DRIFT;
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift-agent scan: " + ErrorText.of(e));
      return AgentMain.EXIT_ERROR;
    }
  }

  /**
   * The report with each finding classified by the host's desired state: {@code --against-desired
   * FILE}, or without a file the one the install left in the root ({@link
   * DesiredManifest#DEFAULT_PATH}).
   */
  private ScanReport againstDesired(ScanReport report) throws IOException {
    Path r = root.toAbsolutePath().normalize();
    Path file =
        againstDesired.isEmpty()
            ? r.resolve(DesiredManifest.DEFAULT_PATH.substring(1))
            : Path.of(againstDesired);
    DesiredManifest desired = DesiredManifest.read(file);
    if (desired.host() != null && !desired.host().equals(report.host())) {
      err.println(
          "warning: "
              + file
              + " is the desired state of "
              + desired.host()
              + ", not of "
              + report.host());
    }
    // the manifest is not drift when it lies in the scanned root
    Path abs = file.toAbsolutePath().normalize();
    String inRoot = abs.startsWith(r) ? "/" + r.relativize(abs) : null;
    return AgainstDesired.classify(report, desired, r, inRoot);
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
            Version.number(),
            UUID.randomUUID().toString(),
            Clock.systemUTC(),
            recipient,
            null);
    try (ConfigRepo cr = ConfigRepo.openOrCreate(repo)) {
      settings = settings.withRedaction(redaction());
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
      return !push.pushes() || push(cr, report.host());
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift-agent scan: cannot commit to " + repo + ": " + ErrorText.of(e));
      return false;
    }
  }

  /**
   * How secret values inside committed files become placeholders: the detector's rules, and the
   * state directory's digest key (made on first use), so that an unchanged value commits the same
   * placeholder scan after scan.
   */
  ConfigRepo.Redaction redaction() throws IOException {
    return new ConfigRepo.Redaction(
        secretRules.inlineSecrets(), SecretDigestKey.load(state.dir().secretDigestKey()));
  }

  /** Pushes after the commit (or when the remote is behind); the local repository is only read. */
  private boolean push(ConfigRepo cr, String host) {
    String b = push.branch(host);
    try {
      ConfigRepo.Pushed p = cr.push(push.target(host));
      err.println(
          "push "
              + push.remote()
              + " "
              + b
              + ": "
              + p.outcome()
              + (p.commit() == null ? "" : " (" + p.commit().substring(0, 12) + ")"));
      return true;
    } catch (IOException e) {
      err.println(
          "kickdrift-agent scan: cannot push to "
              + push.remote()
              + " ("
              + b
              + "): "
              + ErrorText.of(e));
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
    if (debs != null && !noCache) {
      debs = debs.indexedIn(DebIndex.at(state.dir().debIndex()));
    }
    PackageDatabase db;
    OriginsMemo memo;
    if (noCache) {
      db = PackageDatabases.open(r, backend, debs, scope.all());
      memo = OriginsMemo.none();
    } else {
      Path snapshot = state.dir().packageSnapshot(r, scope.all());
      PackageDatabases.Kept kept =
          PackageDatabases.openKept(
              r, backend, debs, debSources, scope.all(), snapshot, Version.number());
      db = kept.db();
      // Beside the snapshot, under the same fingerprint: valid exactly while it is.
      memo =
          OriginsMemo.load(
              snapshot.resolveSibling(snapshot.getFileName() + ".origins"), kept.fingerprint());
    }
    ScanOptions options =
        new ScanOptions(
            r,
            scope.all(),
            noUnowned ? List.of() : scope.paths(),
            ignoreRules(),
            GlobRules.builtIn("default-secrets.txt"),
            noCache ? null : state.dir().statCache(r),
            threads,
            verbose,
            includeGenerated,
            secretRules.inlineSecrets());
    return Scanner.scan(db, options, host != null ? host : hostName(r), memo);
  }

  private GlobRules ignoreRules() throws IOException {
    GlobRules rules =
        noDefaultIgnores ? GlobRules.empty() : GlobRules.builtIn("default-ignore.txt");
    for (Path f : ignoreFiles) {
      rules = rules.plus(GlobRules.parse(f.toString(), Files.readString(f)));
    }
    return rules;
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
