package io.kickdrift.server.fleet;

import io.kickdrift.agent.repo.ConfigRepo;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link ScanJobs} job this server holds while it scans the host: the lease is renewed every
 * third of its length until the job is finished, postponed or closed; the commit goes on only while
 * the lease holds ({@link #guard}), and a job taken again returns the commit an earlier attempt of
 * the same scan made instead of committing twice (docs/scale.md, "Shared scans").
 */
final class JobLease implements AutoCloseable {
  /** Commits made by another server's clock may be this much older than the job. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final ScanJobs jobs;
  private final ScanJobs.Taken taken;
  private final String owner;
  private final Duration lease;
  private final Clock clock;
  private final ScheduledFuture<?> renewal;

  JobLease(
      ScanJobs jobs,
      ScanJobs.Taken taken,
      String owner,
      Duration lease,
      Clock clock,
      ScheduledExecutorService timer,
      Consumer<String> log) {
    this.jobs = jobs;
    this.taken = taken;
    this.owner = owner;
    this.lease = lease;
    this.clock = clock;
    long every = Math.max(100, lease.toMillis() / 3);
    this.renewal =
        timer.scheduleWithFixedDelay(
            () -> {
              try {
                if (!renew()) {
                  log.accept(
                      taken.job()
                          + ": the lease on "
                          + taken.host()
                          + " ran out before it was renewed; another server may take it");
                }
              } catch (RuntimeException e) {
                log.accept(taken.job() + ": cannot renew the lease on " + taken.host() + ": " + e);
              }
            },
            every,
            every,
            TimeUnit.MILLISECONDS);
  }

  ScanJobs.Taken taken() {
    return taken;
  }

  private boolean renew() {
    Instant now = clock.instant();
    return jobs.renew(taken.job(), List.of(taken.host()), owner, now, now.plus(lease)).isEmpty();
  }

  /** Under the repository lock: commit only while holding the job, once per scan and host. */
  ConfigRepo.Guard guard() {
    return new ConfigRepo.Guard() {
      @Override
      public void check() throws IOException {
        if (!renew()) {
          throw new IOException(
              taken.host()
                  + ": the lease on it in "
                  + taken.job()
                  + " ran out and another server took it over; nothing committed here");
        }
      }

      @Override
      public Instant onceSince() {
        return taken.attempts() > 1 ? taken.created().minus(CLOCK_SKEW) : null;
      }
    };
  }

  /** Records the outcome; false when another server took the job over meanwhile. */
  boolean finish(FleetScan.HostResult result) {
    renewal.cancel(false);
    return jobs.finish(taken.job(), result, owner, clock.instant());
  }

  /** Gives the job back until {@code due}; false when another server took it over meanwhile. */
  boolean postpone(Instant due) {
    renewal.cancel(false);
    return jobs.postpone(taken.job(), taken.host(), owner, clock.instant(), due);
  }

  @Override
  public void close() {
    renewal.cancel(false);
  }
}
