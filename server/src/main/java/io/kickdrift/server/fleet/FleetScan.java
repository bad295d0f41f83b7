package io.kickdrift.server.fleet;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.agent.repo.SecretCipher;
import io.kickdrift.agent.scan.Finding;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scans hosts over SSH and commits each one's findings to the config repository as a local scan
 * would (docs/fleet.md). Hosts run in parallel, at most {@code parallel} at once; each is bounded
 * by the command and host time limits, and one failing or hanging host never holds up the others. A
 * host is committed only after everything was fetched from it: a failed host leaves no commit.
 *
 * <pre>{@code
 * try (Ssh ssh = new Ssh(sshSettings); FleetScan fleet = new FleetScan(ssh, options)) {
 *   List<FleetScan.HostResult> results = fleet.run(targets, listener);
 * }
 * }</pre>
 */
public final class FleetScan implements AutoCloseable {
  /** How a host is scanned: with the agent when it has Java 17 ({@code AUTO}), or as told. */
  public enum Way {
    AUTO,
    AGENT,
    AGENTLESS
  }

  /**
   * What to scan and where to commit.
   *
   * @param agentJar the jar copied to hosts for agent scans (the kickdrift jar itself will do)
   * @param agentCache where it goes on hosts: absolute, or relative to the login user's home
   *     ({@code null}: {@code .cache/kickdrift})
   * @param root the tree scanned on each host, {@code /} normally
   * @param paths where unowned files are looked for
   * @param encryptTo secrets are committed encrypted to this key; {@code null}: placeholders, and
   *     their content is never fetched
   * @param commandTimeout each remote command
   * @param hostTimeout the whole of one host, connecting to committing
   * @param redaction how secret values inside the committed files become placeholders: the
   *     detector, and the server's digest key (its state directory's), so that one secret on two
   *     hosts reads the same; {@code null}: the built-in rules under a key of this run only
   */
  public record Options(
      Path repo,
      Way way,
      Path agentJar,
      String root,
      List<String> paths,
      boolean allFiles,
      GlobRules ignore,
      GlobRules secrets,
      SecretCipher.Recipient encryptTo,
      String authorName,
      String version,
      Duration commandTimeout,
      Duration hostTimeout,
      int parallel,
      ConfigRepo.Redaction redaction,
      String agentCache) {
    /** Options with the agent jar in {@code ~/.cache/kickdrift} on hosts. */
    public Options(
        Path repo,
        Way way,
        Path agentJar,
        String root,
        List<String> paths,
        boolean allFiles,
        GlobRules ignore,
        GlobRules secrets,
        SecretCipher.Recipient encryptTo,
        String authorName,
        String version,
        Duration commandTimeout,
        Duration hostTimeout,
        int parallel,
        ConfigRepo.Redaction redaction) {
      this(
          repo,
          way,
          agentJar,
          root,
          paths,
          allFiles,
          ignore,
          secrets,
          encryptTo,
          authorName,
          version,
          commandTimeout,
          hostTimeout,
          parallel,
          redaction,
          null);
    }

    /** Options whose redaction key lasts this run only. */
    public Options(
        Path repo,
        Way way,
        Path agentJar,
        String root,
        List<String> paths,
        boolean allFiles,
        GlobRules ignore,
        GlobRules secrets,
        SecretCipher.Recipient encryptTo,
        String authorName,
        String version,
        Duration commandTimeout,
        Duration hostTimeout,
        int parallel) {
      this(
          repo,
          way,
          agentJar,
          root,
          paths,
          allFiles,
          ignore,
          secrets,
          encryptTo,
          authorName,
          version,
          commandTimeout,
          hostTimeout,
          parallel,
          null);
    }

    public Options {
      if (redaction == null) {
        redaction = ConfigRepo.Redaction.ephemeral();
      }
      paths = List.copyOf(paths);
      agentCache = AgentWay.cacheDir(agentCache);
      if (parallel < 1) {
        throw new IllegalArgumentException("--parallel " + parallel + "; expected at least 1");
      }
      if (!root.startsWith("/")) {
        throw new IllegalArgumentException("--root " + root + "; expected an absolute path");
      }
    }
  }

  /**
   * How one host went.
   *
   * @param way {@code agent} or {@code agentless}; {@code null} when the host failed before
   * @param findings what the scan found; -1 when it did not finish
   * @param commit the new head commit, {@code null} when nothing new was committed
   * @param summary what the commit says, or {@code nothing new}
   * @param error one line naming the host and what went wrong; {@code null} when it went well
   */
  public record HostResult(
      String host,
      String way,
      int findings,
      long millis,
      String commit,
      String summary,
      String error,
      List<String> warnings) {
    public HostResult {
      warnings = List.copyOf(warnings);
    }

    public boolean failed() {
      return error != null;
    }
  }

  /** Told of each host's steps, from the worker threads. */
  public interface Listener {
    default void step(String host, String step) {}

    void finished(HostResult result);
  }

  private final Ssh ssh;
  private final Options options;
  private final ConfigRepo repo;
  private final ScheduledExecutorService watchdog;
  private final String scanId;
  private final AgentWay.Jar jar;

  public FleetScan(Ssh ssh, Options options) throws IOException {
    this(ssh, options, UUID.randomUUID().toString());
  }

  /**
   * A scan whose commits carry {@code scanId} ({@code Scan-Id:}): a shared scan's name, the same on
   * every server that works on it.
   */
  public FleetScan(Ssh ssh, Options options, String scanId) throws IOException {
    this.ssh = ssh;
    this.options = options;
    this.scanId = scanId;
    this.jar = options.way() == Way.AGENTLESS ? null : AgentWay.Jar.of(options.agentJar());
    this.repo = ConfigRepo.openOrCreate(options.repo());
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemons("fleet-watchdog"));
  }

  /** Threads that do not keep the JVM alive, each named {@code name}. */
  static ThreadFactory daemons(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Scans {@code targets}; the results are in the targets' order. */
  public List<HostResult> run(List<SshTarget> targets, Listener listener) throws IOException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(options.parallel(), Math.max(1, targets.size())), daemons("fleet-host"));
    try {
      List<Future<HostResult>> futures = new ArrayList<>();
      for (SshTarget t : targets) {
        futures.add(
            pool.submit(
                () -> {
                  HostResult r = scanOne(t, listener);
                  listener.finished(r);
                  return r;
                }));
      }
      List<HostResult> out = new ArrayList<>();
      for (Future<HostResult> f : futures) {
        try {
          out.add(f.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
          throw new IllegalStateException("fleet worker failed", e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One host, start to commit; never throws: every failure becomes the result's error. */
  public HostResult scanOne(SshTarget t, Listener listener) {
    return scanOne(t, listener, ConfigRepo.Guard.NONE);
  }

  /** As {@link #scanOne(SshTarget, Listener)}, committing only as {@code guard} allows. */
  public HostResult scanOne(SshTarget t, Listener listener, ConfigRepo.Guard guard) {
    return scanOne(t, listener, guard, scanId);
  }

  /** The same, its commits carrying {@code scanId} instead of this scan's. */
  public HostResult scanOne(SshTarget t, Listener listener, ConfigRepo.Guard guard, String scanId) {
    long start = System.nanoTime();
    AtomicReference<String> step = new AtomicReference<>("connecting");
    AtomicReference<Session> open = new AtomicReference<>();
    AtomicBoolean expired = new AtomicBoolean();
    List<String> warnings = new ArrayList<>();
    String way = null;
    int findings = -1;
    ScheduledFuture<?> limit =
        watchdog.schedule(
            () -> {
              expired.set(true);
              Session s = open.get();
              if (s != null) {
                s.close();
              }
            },
            options.hostTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      listener.step(t.name(), "connecting");
      try (Session s = ssh.open(t)) {
        open.set(s);
        if (expired.get()) {
          throw new SshException(t, "time limit reached");
        }
        try (ShellChannel root = s.rootShell(options.commandTimeout())) {
          boolean agent = options.way() == Way.AGENT;
          AgentWay.HostJava java = null;
          if (options.way() != Way.AGENTLESS) {
            setStep(t, step, listener, "checking java");
            java = AgentWay.javaOnHost(root);
            if (java.major() >= AgentWay.MIN_JAVA) {
              agent = true;
            } else if (agent) {
              throw new IOException(
                  t
                      + ": no Java "
                      + AgentWay.MIN_JAVA
                      + " or later for root on the host"
                      + (java.major() > 0 ? " (found " + java.major() + ")" : "")
                      + "; scan it --way agentless");
            }
          }
          ScanReport report;
          if (agent) {
            way = "agent";
            setStep(t, step, listener, "copying agent");
            String remoteJar =
                AgentWay.install(
                    s, s.asLoginUser(root, options.commandTimeout()), jar, options.agentCache());
            setStep(t, step, listener, "scanning");
            report = AgentWay.scan(root, remoteJar, java, options, t.name());
          } else {
            way = "agentless";
            setStep(t, step, listener, "scanning");
            report =
                Agentless.scan(
                    root,
                    new Agentless.Request(
                        t.name(),
                        options.root(),
                        options.paths(),
                        options.allFiles(),
                        options.ignore(),
                        options.secrets()));
          }
          findings = report.findings().size();
          report.warnings().forEach(w -> warnings.add("scan: " + w));
          setStep(t, step, listener, "fetching files");
          ConfigRepo.Preview preview = repo.preview(report);
          RemoteFiles files = fetch(root, report, preview);
          try {
            Map<String, byte[]> originals =
                preview.originalsWanted().isEmpty()
                    ? Map.of()
                    : RemoteOriginals.fetch(
                        root,
                        options.root(),
                        report.backend().isRpm(),
                        preview.originalsWanted(),
                        warnings);
            setStep(t, step, listener, "committing");
            limit.cancel(false); // everything is here: the commit is local and finishes
            ConfigRepo.Result res =
                repo.record(
                    report,
                    files,
                    RemoteOriginals.of(originals),
                    settings(t.name(), scanId),
                    guard);
            warnings.addAll(res.warnings());
            String commit =
                res.commits().isEmpty() ? null : res.commits().get(res.commits().size() - 1);
            return new HostResult(
                t.name(), way, findings, millis(start), commit, res.summary(), null, warnings);
          } finally {
            files.wipe();
          }
        }
      }
    } catch (SshException | IOException | RuntimeException e) {
      String msg = ErrorText.of(e);
      if (expired.get()) {
        msg =
            t
                + ": host time limit of "
                + Ssh.seconds(options.hostTimeout())
                + " reached while "
                + step.get();
      } else if (!msg.startsWith(t.name())) {
        msg = t + ": " + msg;
      }
      return new HostResult(t.name(), way, findings, millis(start), null, null, msg, warnings);
    } finally {
      limit.cancel(false);
    }
  }

  private static void setStep(
      SshTarget t, AtomicReference<String> step, Listener listener, String now) {
    step.set(now);
    listener.step(t.name(), now);
  }

  /** Fetches what {@link ConfigRepo#record} will read, exactly as it decides to read it locally. */
  private RemoteFiles fetch(RemoteShell root, ScanReport report, ConfigRepo.Preview preview)
      throws IOException, SshException {
    List<String> content = new ArrayList<>();
    Map<String, Long> large = new HashMap<>();
    Set<String> exists = new HashSet<>(preview.earlierPaths());
    for (Finding f : report.findings()) {
      if (f.status() == Status.MISSING || f.status() == Status.UNREADABLE) {
        continue;
      }
      String type = f.actual() == null ? null : f.actual().type();
      if (f.secret() != null && "regular".equals(type) && options.encryptTo() == null) {
        continue; // committed as a placeholder: the content never leaves the host
      }
      Long size = f.actual() == null ? null : f.actual().size();
      if ("regular".equals(type) && size != null && size > MAX_STORED) {
        large.put(f.path(), size);
      } else {
        content.add(f.path());
      }
    }
    return RemoteFiles.fetch(root, options.root(), content, large, exists);
  }

  /** As the config repository: larger files are listed, not stored. */
  static final long MAX_STORED = 16L << 20;

  private ConfigRepo.Settings settings(String host, String scanId) {
    return new ConfigRepo.Settings(
        options.authorName(),
        "kickdrift@" + host,
        options.version(),
        scanId,
        Clock.systemUTC(),
        options.encryptTo(),
        options.redaction());
  }

  private static long millis(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    repo.close();
  }
}
