package io.kickdrift.server.fleet;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.state.StateStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * baseline-scan}, {@code baseline-failed}) and a log line. One host is scanned at a time; a second
 * callback for a host already waiting does not add another scan.
 */
public final class BaselineScans implements AutoCloseable {
  /** When and how; {@code fleet} and {@code ssh} as for {@code kickdrift fleet scan}. */
  public record Settings(
      FleetScan.Options fleet,
      SshSettings ssh,
      Duration delay,
      Duration retry,
      Duration giveUpAfter) {}

  private final Settings settings;
  private final Function<String, Optional<Host>> hosts;
  private final StateStore state;
  private final Clock clock;
  private final Consumer<String> log;
  private final Ssh ssh;
  private final FleetScan fleet;
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<String, Boolean> waiting = new ConcurrentHashMap<>();
  private volatile io.kickdrift.server.metrics.ServeMetrics metrics =
      io.kickdrift.server.metrics.ServeMetrics.none();

  public BaselineScans(
      Settings settings,
      Function<String, Optional<Host>> hosts,
      StateStore state,
      Clock clock,
      Consumer<String> log)
      throws IOException {
    this.settings = settings;
    this.hosts = hosts;
    this.state = state;
    this.clock = clock;
    this.log = log;
    this.ssh = new Ssh(settings.ssh());
    FleetScan f;
    try {
      f = new FleetScan(ssh, settings.fleet());
    } catch (IOException | RuntimeException e) {
      try {
        ssh.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    this.fleet = f;
    this.timer = Executors.newSingleThreadScheduledExecutor(FleetScan.daemons("baseline-scans"));
  }

  /** Times each scan, by outcome, in {@code metrics} (none until called). */
  public void measure(io.kickdrift.server.metrics.ServeMetrics metrics) {
    this.metrics = metrics;
  }

  /** Schedules the host's baseline scan; a host already waiting keeps its place. */
  public void schedule(String host) {
    if (waiting.putIfAbsent(host, Boolean.TRUE) != null) {
      return;
    }
    Instant giveUp = clock.instant().plus(settings.delay()).plus(settings.giveUpAfter());
    state.event(
        host,
        "baseline-scheduled",
        "first scan in "
            + Ssh.seconds(settings.delay())
            + " (until reachable, at most "
            + Ssh.seconds(settings.giveUpAfter())
            + " more)",
        clock.instant());
    timer.schedule(
        () -> attempt(host, giveUp, 1), settings.delay().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Scans the host now, once (an operator asked: {@code POST /api/v1/hosts/HOST/rescan}); false
   * when a scan of it is already waiting. The outcome is an event, as for a baseline.
   */
  public boolean scanNow(String host) {
    if (waiting.putIfAbsent(host, Boolean.TRUE) != null) {
      return false;
    }
    state.event(host, "rescan-requested", "configuration scan now", clock.instant());
    // giving up now: one attempt, no retries while it is unreachable
    timer.execute(() -> attempt(host, clock.instant(), 1));
    return true;
  }

  private void attempt(String host, Instant giveUp, int attempt) {
    boolean done = true;
    try {
      Optional<Host> h = hosts.apply(host);
      if (h.isEmpty()) {
        state.event(host, "baseline-failed", "no longer in the inventory", clock.instant());
        return;
      }
      SshTarget target = SshTarget.of(h.get());
      long started = System.nanoTime();
      FleetScan.HostResult r = fleet.scanOne(target, result -> {});
      metrics.scan(
          "baseline",
          !r.failed() ? "ok" : unreachable(r.error()) ? "unreachable" : "failed",
          System.nanoTime() - started);
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
        state.event(host, "baseline-scan", what, clock.instant());
        log.accept("baseline scan of " + host + ": " + what);
      } else if (unreachable(r.error())
          && clock.instant().plus(settings.retry()).isBefore(giveUp)) {
        done = false;
        log.accept(
            "baseline scan of "
                + host
                + ": not reachable yet (attempt "
                + attempt
                + "): "
                + r.error());
        timer.schedule(
            () -> attempt(host, giveUp, attempt + 1),
            settings.retry().toMillis(),
            TimeUnit.MILLISECONDS);
      } else {
        state.event(host, "baseline-failed", r.error(), clock.instant());
        log.accept("baseline scan of " + host + " failed: " + r.error());
      }
    } catch (RuntimeException e) {
      state.event(host, "baseline-failed", e.toString(), clock.instant());
      log.accept("baseline scan of " + host + " failed: " + e);
    } finally {
      if (done) {
        waiting.remove(host);
      }
    }
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
    fleet.close();
    try {
      ssh.close();
    } catch (IOException e) {
      log.accept("baseline scans: closing the SSH client: " + e.getMessage());
    }
  }
}
