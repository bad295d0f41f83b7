package io.kickdrift.server.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One named fleet scan that several servers split (docs/scale.md, "Shared scans"): each adds the
 * hosts it was given as {@link ScanJobs} (a host already there is not added twice), then takes jobs
 * until every host of the scan is finished, by it or by another. While it scans a host it renews
 * that job's lease every third of the lease; a server that dies stops renewing, and its hosts are
 * taken again once their leases run out.
 *
 * <p>Each host is committed once. Under the config repository's lock, just before its commit, a
 * server checks that it still holds the host's job (else it commits nothing: another took it over);
 * a retaken job first looks for a commit of the same scan of that host, made by the server that
 * died after committing, and returns that one instead of committing again.
 */
public final class SharedScan {
  /**
   * @param job the scan's name, the same on every server that works on it; its commits' {@code
   *     Scan-Id}
   * @param owner this server, as the table records it
   * @param lease how long a job stays taken without being renewed
   * @param parallel hosts scanned at once by this server
   */
  public record Settings(String job, String owner, Duration lease, int parallel) {
    public Settings {
      if (lease.toMillis() < 300) {
        throw new IllegalArgumentException("--job-lease " + lease + "; expected at least 300 ms");
      }
    }
  }

  private final FleetScan fleet;
  private final ScanJobs jobs;
  private final Settings settings;
  private final Clock clock;
  private final Consumer<String> log;

  public SharedScan(
      FleetScan fleet, ScanJobs jobs, Settings settings, Clock clock, Consumer<String> log) {
    this.fleet = fleet;
    this.jobs = jobs;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
  }

  /** This process as an owner of jobs: {@code HOSTNAME:PID:RANDOM}. */
  public static String thisServer() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      name = "localhost";
    }
    return name
        + ":"
        + ProcessHandle.current().pid()
        + ":"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

  /**
   * Adds {@code targets} to the scan and works on it until every host of it is finished; the
   * outcome of each target, in their order, whoever scanned it.
   *
   * @throws io.kickdrift.server.state.StateException when the database fails; the jobs stay, and
   *     running the same scan again goes on where it stopped
   */
  public List<FleetScan.HostResult> run(List<SshTarget> targets, FleetScan.Listener listener)
      throws IOException {
    Map<String, SshTarget> byName = new HashMap<>();
    targets.forEach(t -> byName.put(t.name(), t));
    jobs.add(settings.job(), List.copyOf(byName.keySet()), clock.instant());
    ScheduledExecutorService renewer =
        Executors.newSingleThreadScheduledExecutor(FleetScan.daemons("scan-leases"));
    long poll = Math.max(100, settings.lease().toMillis() / 3);
    ExecutorService pool =
        Executors.newFixedThreadPool(settings.parallel(), FleetScan.daemons("fleet-host"));
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < settings.parallel(); i++) {
        workers.add(pool.submit(() -> work(byName, listener, renewer, poll)));
      }
      for (Future<?> w : workers) {
        try {
          w.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException("fleet worker failed", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
      renewer.shutdownNow();
    }
    Map<String, FleetScan.HostResult> finished = new HashMap<>();
    for (ScanJobs.Row r : jobs.rows(settings.job())) {
      finished.put(r.host(), r.result());
    }
    return targets.stream().map(t -> finished.get(t.name())).toList();
  }

  private Void work(
      Map<String, SshTarget> byName,
      FleetScan.Listener listener,
      ScheduledExecutorService renewer,
      long poll)
      throws InterruptedException {
    while (true) {
      Instant now = clock.instant();
      Optional<ScanJobs.Taken> taken =
          jobs.take(settings.job(), settings.owner(), now, now.plus(settings.lease()));
      if (taken.isEmpty()) {
        if (jobs.rows(settings.job()).stream().allMatch(r -> r.result() != null)) {
          return null;
        }
        Thread.sleep(poll); // another server holds the rest: wait for them, or for their leases
        continue;
      }
      ScanJobs.Taken t = taken.get();
      try (JobLease held =
          new JobLease(jobs, t, settings.owner(), settings.lease(), clock, renewer, log)) {
        if (t.attempts() > 1) {
          log.accept(
              "scan "
                  + settings.job()
                  + ": "
                  + t.host()
                  + " taken again (attempt "
                  + t.attempts()
                  + "): its last server stopped renewing its lease");
        }
        SshTarget target = byName.get(t.host());
        FleetScan.HostResult r =
            target == null
                ? new FleetScan.HostResult(
                    t.host(),
                    null,
                    -1,
                    0,
                    null,
                    null,
                    t.host() + ": not in the inventory of " + settings.owner(),
                    List.of())
                : fleet.scanOne(target, listener, held.guard());
        if (held.finish(r)) {
          listener.finished(r);
        } else {
          log.accept(
              "scan "
                  + settings.job()
                  + ": "
                  + t.host()
                  + " was taken over by another server while this one scanned it; its outcome"
                  + " counts");
        }
      }
    }
  }
}
