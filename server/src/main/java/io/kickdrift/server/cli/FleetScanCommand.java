package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommitOptions;
import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.agent.cli.ScanScope;
import io.kickdrift.agent.cli.SecretRulesOption;
import io.kickdrift.agent.cli.StateOption;
import io.kickdrift.agent.cli.Version;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.agent.repo.SecretDigestKey;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.server.fleet.FleetScan;
import io.kickdrift.server.fleet.ScanJobs;
import io.kickdrift.server.fleet.SharedScan;
import io.kickdrift.server.fleet.Ssh;
import io.kickdrift.server.fleet.SshConfig;
import io.kickdrift.server.fleet.SshSettings;
import io.kickdrift.server.fleet.SshTarget;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import io.kickdrift.server.state.StateException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift fleet scan}: scan inventory hosts over SSH into the config repository. Its help
 * text is in {@code FleetScanCommand.properties}.
 */
@Command(name = "scan", mixinStandardHelpOptions = true)
final class FleetScanCommand implements Callable<Integer> {
  @Mixin InventoryOption inventory = new InventoryOption();

  @Option(names = "--repo", required = true, paramLabel = "DIR")
  Path repo;

  @Option(names = "--hosts", split = ",", paramLabel = "GLOB")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--parallel", paramLabel = "N")
  int parallel = 10;

  @Option(names = "--identity", paramLabel = "FILE")
  List<Path> identities = new ArrayList<>();

  @Option(names = "--ssh-config", paramLabel = "FILE")
  String sshConfig;

  @Option(names = "--no-ssh-agent")
  boolean noAgent;

  @Option(names = "--known-hosts", paramLabel = "FILE")
  Path knownHosts;

  @Option(names = "--accept-new")
  boolean acceptNew;

  @Option(names = "--way", paramLabel = "WAY")
  FleetScan.Way way = FleetScan.Way.AUTO;

  @Option(names = "--agent-jar", paramLabel = "FILE")
  Path agentJar;

  @Option(names = "--agent-cache", paramLabel = "DIR")
  String agentCache;

  @Option(names = "--root", paramLabel = "DIR")
  String root = "/";

  @Mixin ScanScope scope = new ScanScope();

  @Mixin CommitOptions commit = new CommitOptions();

  @Mixin StateOption state = new StateOption();
  @Mixin SecretRulesOption secretRules = new SecretRulesOption();

  @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration connectTimeout = Duration.ofSeconds(10);

  @Option(names = "--command-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration commandTimeout = Duration.ofMinutes(5);

  @Option(names = "--host-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration hostTimeout = Duration.ofMinutes(15);

  @Mixin JsonOption json = new JsonOption();

  @Mixin DatabaseOption database = new DatabaseOption();

  @Option(names = "--job", paramLabel = "NAME")
  String job;

  @Option(names = "--job-lease", paramLabel = "DURATION", converter = DurationConverter.class)
  Duration jobLease = Duration.ofSeconds(60);

  PrintStream out = System.out;
  PrintStream err = System.err;
  boolean terminal = System.console() != null;

  @Override
  public Integer call() {
    List<SshTarget> targets;
    FleetScan.Options options;
    SshSettings ssh;
    SharedScan.Settings shared = null;
    try {
      if (job != null) {
        shared = new SharedScan.Settings(job, SharedScan.thisServer(), jobLease, parallel);
      } else if (database.url() != null) {
        err.println(
            "kickdrift fleet scan: --database shares a scan between servers as a named job: give"
                + " --job NAME, the same on each");
        return 2;
      }
      // A rule file that cannot be used stops the run before any host is contacted.
      secretRules.inlineSecrets();
      Inventory inv = InventoryLoader.load(inventory.file());
      targets = select(inv.hosts(), hosts, sshConfig());
      if (targets.isEmpty()) {
        err.println("kickdrift fleet scan: no host of " + inventory.file() + " matches " + hosts);
        return 2;
      }
      Path agent = noAgent ? null : agentSocket(System.getenv("SSH_AUTH_SOCK"));
      ssh =
          new SshSettings(
              identities.isEmpty() ? defaultIdentities(agent != null) : identities,
              knownHosts != null ? knownHosts : home().resolve(".ssh/known_hosts"),
              acceptNew,
              connectTimeout,
              connectTimeout,
              commandTimeout,
              agent);
      options =
          new FleetScan.Options(
              repo,
              way,
              way == FleetScan.Way.AGENTLESS ? null : agentJar(),
              root,
              scope.paths(),
              scope.all(),
              GlobRules.builtIn("default-ignore.txt"),
              GlobRules.builtIn("default-secrets.txt"),
              commit.recipient(),
              commit.authorName(),
              Version.number(),
              commandTimeout,
              hostTimeout,
              parallel,
              // The server's key: one secret on two hosts reads the same (docs/config-repo.md).
              new ConfigRepo.Redaction(
                  secretRules.inlineSecrets(), SecretDigestKey.load(state.dir().secretDigestKey())),
              agentCache);
    } catch (InventoryException | IOException | IllegalArgumentException e) {
      err.println("kickdrift fleet scan: " + ErrorText.of(e));
      return 2;
    }
    List<FleetScan.HostResult> results;
    FleetProgress progress = new FleetProgress(err, terminal, targets.size());
    try (Ssh client = new Ssh(ssh);
        FleetScan fleet =
            shared == null
                ? new FleetScan(client, options)
                : new FleetScan(client, options, shared.job())) {
      if (shared == null) {
        results = fleet.run(targets, progress);
      } else {
        try (ScanJobs jobs = new ScanJobs(database.open(state.dir().dir()))) {
          results =
              new SharedScan(fleet, jobs, shared, Clock.systemUTC(), err::println)
                  .run(targets, progress);
        }
      }
    } catch (IOException | StateException e) {
      return Failed.report("fleet scan", e, err::println);
    } finally {
      progress.done();
    }
    if (json.on()) {
      out.println(JsonOption.text(jsonOf(results)));
    } else {
      out.print(table(results));
    }
    return exitStatus(results);
  }

  static int exitStatus(List<FleetScan.HostResult> results) {
    if (results.stream().anyMatch(FleetScan.HostResult::failed)) {
      return 2;
    }
    return results.stream().anyMatch(r -> r.findings() > 0) ? 1 : 0;
  }

  static List<SshTarget> select(List<Host> all, List<String> globs) {
    return select(all, globs, SshConfig.none());
  }

  static List<SshTarget> select(List<Host> all, List<String> globs, SshConfig config) {
    List<Pattern> ps = globs.stream().map(FleetScanCommand::glob).toList();
    List<SshTarget> out = new ArrayList<>();
    for (Host h : all) {
      if (ps.isEmpty() || ps.stream().anyMatch(p -> p.matcher(h.name()).matches())) {
        out.add(config.target(h));
      }
    }
    return out;
  }

  private SshConfig sshConfig() throws IOException {
    if ("none".equals(sshConfig)) {
      return SshConfig.none();
    }
    if (sshConfig != null) {
      return SshConfig.read(Path.of(sshConfig));
    }
    Path standard = home().resolve(".ssh/config");
    return Files.isRegularFile(standard) ? SshConfig.read(standard) : SshConfig.none();
  }

  static Pattern glob(String g) {
    StringBuilder b = new StringBuilder();
    for (char c : g.toCharArray()) {
      switch (c) {
        case '*' -> b.append(".*");
        case '?' -> b.append('.');
        default -> b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(b.toString());
  }

  static String table(List<FleetScan.HostResult> results) {
    int w = "HOST".length();
    for (FleetScan.HostResult r : results) {
      w = Math.max(w, r.host().length());
    }
    StringBuilder b = new StringBuilder();
    String fmt = "%-" + w + "s  %-9s  %8s  %8s  %s%n";
    b.append(String.format(Locale.ROOT, fmt, "HOST", "WAY", "FINDINGS", "TIME", "RESULT"));
    int failed = 0;
    int drift = 0;
    for (FleetScan.HostResult r : results) {
      String result;
      if (r.failed()) {
        failed++;
        result = "FAILED: " + r.error();
      } else {
        drift += r.findings() > 0 ? 1 : 0;
        result =
            r.commit() == null
                ? r.summary()
                : "committed " + r.commit().substring(0, 12) + ": " + r.summary();
      }
      b.append(
          String.format(
              Locale.ROOT,
              fmt,
              r.host(),
              r.way() == null ? "-" : r.way(),
              r.findings() < 0 ? "-" : Integer.toString(r.findings()),
              String.format(Locale.ROOT, "%.1f s", r.millis() / 1000.0),
              result));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%d hosts: %d clean, %d with drift, %d failed%n",
            results.size(),
            results.size() - drift - failed,
            drift,
            failed));
    return b.toString();
  }

  private static Map<String, Object> jsonOf(List<FleetScan.HostResult> results) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hosts", results);
    m.put("failed", results.stream().filter(FleetScan.HostResult::failed).count());
    m.put("drift", results.stream().filter(r -> !r.failed() && r.findings() > 0).count());
    return m;
  }

  static Path home() {
    return Path.of(System.getProperty("user.home"));
  }

  /** The ssh-agent socket {@code SSH_AUTH_SOCK} names, if it is set. */
  static Path agentSocket(String env) {
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  static List<Path> defaultIdentities() throws IOException {
    return defaultIdentities(false);
  }

  /** The user's default key files; none is an error unless an agent is there. */
  static List<Path> defaultIdentities(boolean agent) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
      Path p = home().resolve(".ssh").resolve(n);
      if (Files.isRegularFile(p)) {
        out.add(p);
      }
    }
    if (out.isEmpty() && !agent) {
      throw new IOException(
          "no --identity given, no ~/.ssh/id_ed25519, id_ecdsa or id_rsa, and no ssh-agent"
              + " (SSH_AUTH_SOCK)");
    }
    return out;
  }

  /** The jar this command runs from: it carries the agent. */
  private Path agentJar() throws IOException {
    return agentJar(agentJar);
  }

  /**
   * {@code given}, else the lean agent jar where a package or a build puts it beside this jar, else
   * the jar this command runs from (it carries the agent, at almost twice the size).
   */
  static Path agentJar(Path agentJar) throws IOException {
    if (agentJar != null) {
      if (!Files.isRegularFile(agentJar)) {
        throw new IOException("--agent-jar " + agentJar + ": no such file");
      }
      return agentJar;
    }
    Path self;
    try {
      self =
          Path.of(
              FleetScanCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      self = null;
    }
    if (self == null || !Files.isRegularFile(self) || !self.toString().endsWith(".jar")) {
      throw new IOException("not running from a jar: give the agent jar with --agent-jar");
    }
    return leanAgentJar(self).orElse(self);
  }

  /**
   * The agent's own jar for a server jar at {@code self}: beside it, where the packages put it
   * ({@code /usr/share/kickdrift/kickdrift.jar} and {@code
   * /usr/share/kickdrift-agent/kickdrift-agent.jar}), or where a build of the checkout does ({@code
   * server/target/kickdrift.jar} and {@code agent/target/kickdrift-agent.jar}).
   */
  static java.util.Optional<Path> leanAgentJar(Path self) {
    Path dir = self.toAbsolutePath().getParent();
    List<Path> candidates = new ArrayList<>();
    candidates.add(dir.resolve("kickdrift-agent.jar"));
    if (dir.getParent() != null) {
      candidates.add(dir.resolveSibling("kickdrift-agent").resolve("kickdrift-agent.jar"));
      if (dir.getFileName().toString().equals("target") && dir.getParent().getParent() != null) {
        candidates.add(
            dir.getParent().resolveSibling("agent").resolve("target/kickdrift-agent.jar"));
      }
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }
}
