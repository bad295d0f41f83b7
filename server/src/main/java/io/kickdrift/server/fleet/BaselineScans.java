package io.kickdrift.server.fleet;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The first scan of a freshly installed host, scheduled by {@code serve} when the host's install
 * callback is accepted: after {@code delay} (the host reboots into its new system), then every
 * {@code retry} while the host cannot be reached yet, until {@code giveUpAfter}. Its commit is the
 * host's baseline in the config repository. Each outcome is an event in the state store ({@code
 * baseline-scan}, {@code baseline-failed}) and a log line. One host is scanned at a time by each
 * server; a second callback for a host already waiting does not add another scan.
 *
 * <p>The scans are jobs of the state database ({@link ScanJobs}, job {@value #JOB}): they survive a
 * restart of serve, and with several servers on one PostgreSQL any of them takes a scan that is
 * due, one at a time ({@code FOR UPDATE SKIP LOCKED}); a server that dies while it scans leaves the
 * host to another once its lease runs out, and the host is committed once (docs/scale.md, "Shared
 * scans").
 */
public final class BaselineScans implements AutoCloseable {
  /** When and how; {@code fleet} and {@code ssh} as for {@code kickdrift fleet scan}. */
  public record Settings(
      FleetScan.Options fleet,
      SshSettings ssh,
      Duration delay,
      Duration retry,
      Duration giveUpAfter) {}

  /** The job name of baseline scans and rescans in {@code scan_jobs}. */
  public static final String JOB = "baseline";

  /** How long a server holds a scan without renewing it; renewed every third of it. */
  static final Duration LEASE = Duration.ofSeconds(60);

  /** How often a server looks for scans that are due. */
  static final Duration POLL = Duration.ofSeconds(1);

  private final Settings settings;
  private final Function<String, Optional<Host>> hosts;
  private final StateStore state;
  private final ScanJobs jobs;
  private final String owner = SharedScan.thisServer();
  private final Clock clock;
  private final Consumer<String> log;
  private final Ssh ssh;
  private final FleetScan fleet;
  private final ScheduledExecutorService timer;
  private final ScheduledExecutorService leases;
  private volatile io.kickdrift.server.metrics.ServeMetrics metrics =
      io.kickdrift.server.metrics.ServeMetrics.none();

  /**
   * Scans as {@code settings} say, the jobs in {@code jobs} (which this closes), the hosts as
   * {@code hosts} finds them now, the outcomes recorded in {@code state}.
   */
  public BaselineScans(
      Settings settings,
      Function<String, Optional<Host>> hosts,
      StateStore state,
      ScanJobs jobs,
      Clock clock,
      Consumer<String> log)
      throws IOException {
    this.settings = settings;
    this.hosts = hosts;
    this.state = state;
    this.jobs = jobs;
    this.clock = clock;
    this.log = log;
    this.ssh = new Ssh(settings.ssh());
    FleetScan f;
    try {
      f = new FleetScan(ssh, settings.fleet());
    } catch (IOException | RuntimeException e) {
      jobs.close();
      try {
        ssh.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    this.fleet = f;
    this.timer = Executors.newSingleThreadScheduledExecutor(FleetScan.daemons("baseline-scans"));
    this.leases = Executors.newSingleThreadScheduledExecutor(FleetScan.daemons("baseline-leases"));
    timer.scheduleWithFixedDelay(this::takeDue, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Times each scan, by outcome, in {@code metrics} (none until called). */
  public void measure(io.kickdrift.server.metrics.ServeMetrics metrics) {
    this.metrics = metrics;
  }

  /** Schedules the host's baseline scan; a host already waiting keeps its place. */
  public void schedule(String host) {
    Instant now = clock.instant();
    Instant due = now.plus(settings.delay());
    if (!jobs.schedule(JOB, host, now, due, due.plus(settings.giveUpAfter()))) {
      return;
    }
    state.event(
        host,
        "baseline-scheduled",
        "first scan in "
            + Ssh.seconds(settings.delay())
            + " (until reachable, at most "
            + Ssh.seconds(settings.giveUpAfter())
            + " more)",
        now);
  }

  /**
   * Scans the host now, once (an operator asked: {@code POST /api/v1/hosts/HOST/rescan}); false
   * when a scan of it is already waiting. The outcome is an event, as for a baseline.
   */
  public boolean scanNow(String host) {
    Instant now = clock.instant();
    // giving up now: one attempt, no retries while it is unreachable
    if (!jobs.schedule(JOB, host, now, now, null)) {
      return false;
    }
    state.event(host, "rescan-requested", "configuration scan now", now);
    timer.execute(this::takeDue);
    return true;
  }

  /** Scans every host that is due, one after the other, while there is one nobody holds. */
  private void takeDue() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Instant now = clock.instant();
        Optional<ScanJobs.Taken> taken = jobs.take(JOB, owner, now, now.plus(LEASE));
        if (taken.isEmpty()) {
          return;
        }
        try (JobLease held = new JobLease(jobs, taken.get(), owner, LEASE, clock, leases, log)) {
          attempt(held);
        }
      }
    } catch (RuntimeException e) {
      // the database is away, say: the scans wait there, and the next poll tries again
      log.accept("baseline scans: " + e.getMessage());
    }
  }

  private void attempt(JobLease held) {
    ScanJobs.Taken t = held.taken();
    String host = t.host();
    FleetScan.HostResult r;
    try {
      Optional<Host> h = hosts.apply(host);
      if (h.isEmpty()) {
        r = failed(host, "no longer in the inventory");
      } else {
        long started = System.nanoTime();
        // one Scan-Id per scheduled scan: a server that takes it again finds its commit
        r =
            fleet.scanOne(
                SshTarget.of(h.get()),
                result -> {},
                held.guard(),
                JOB + "-" + t.created().toEpochMilli());
        metrics.scan(
            "baseline",
            !r.failed() ? "ok" : unreachable(r.error()) ? "unreachable" : "failed",
            System.nanoTime() - started);
      }
    } catch (RuntimeException e) {
      r = failed(host, e.toString());
    }
    Instant now = clock.instant();
    if (!r.failed()) {
      String what =
          (r.commit() == null
                  ? r.summary()
                  : "committed " + r.commit().substring(0, 12) + ": " + r.summary())
              + " ("
              + r.way()
              + ", "
              + r.findings()
              + " findings)";
      if (held.finish(r)) {
        state.event(host, "baseline-scan", what, now);
        log.accept("baseline scan of " + host + ": " + what);
      }
    } else if (unreachable(r.error())
        && t.giveUp() != null
        && now.plus(settings.retry()).isBefore(t.giveUp())) {
      log.accept(
          "baseline scan of "
              + host
              + ": not reachable yet (attempt "
              + t.attempts()
              + "): "
              + r.error());
      held.postpone(now.plus(settings.retry()));
    } else if (held.finish(r)) {
      state.event(host, "baseline-failed", r.error(), now);
      log.accept("baseline scan of " + host + " failed: " + r.error());
    }
  }

  private static FleetScan.HostResult failed(String host, String why) {
    return new FleetScan.HostResult(host, null, -1, 0, null, null, why, List.of());
  }

  /** Errors that a host still rebooting gives; anything else (a refused key, say) is final. */
  static boolean unreachable(String error) {
    return error.contains("connection refused")
        || error.contains("connect timed out")
        || error.contains("the SSH banner never came")
        || error.contains("No route to host")
        || error.contains("connection lost");
  }

  @Override
  public void close() {
    timer.shutdownNow();
    leases.shutdownNow();
    jobs.close();
    fleet.close();
    try {
      ssh.close();
    } catch (IOException e) {
      log.accept("baseline scans: closing the SSH client: " + e.getMessage());
    }
  }
}
