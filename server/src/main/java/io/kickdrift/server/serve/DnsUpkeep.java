package io.kickdrift.server.serve;

import io.kickdrift.server.dns.DnsSync;
import io.kickdrift.server.dns.HostNames;
import io.kickdrift.server.inventory.Dns;
import io.kickdrift.server.inventory.DnsZone;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.state.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * {@code serve}'s DNS upkeep: the same sync as {@code kickdrift dns sync}, run for every host at
 * start, for a host when it finishes its install, and for the hosts added, changed or removed when
 * the inventory file is reloaded. Only zones with a {@code primary} take part. Syncs run one at a
 * time on their own thread, so a slow DNS server never holds up TFTP or HTTP; each is logged and
 * recorded as a {@code dns-sync} or {@code dns-sync-failed} event.
 */
final class DnsUpkeep implements AutoCloseable {
  private final Supplier<Inventory> inventory;
  private final DnsSync sync;
  private volatile io.kickdrift.server.metrics.ServeMetrics metrics =
      io.kickdrift.server.metrics.ServeMetrics.none();
  private final StateStore state;
  private final Clock clock;
  private final Consumer<String> log;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "dns-sync");
            t.setDaemon(true);
            return t;
          });

  public DnsUpkeep(
      Supplier<Inventory> inventory,
      DnsSync.Options options,
      StateStore state,
      Clock clock,
      Consumer<String> log) {
    this.inventory = inventory;
    this.sync = new DnsSync(options);
    this.state = state;
    this.clock = clock;
    this.log = log;
  }

  /** Whether {@code inventory} has a zone serve can update. */
  public static boolean wanted(Inventory inventory) {
    return inventory.dns() != null
        && inventory.dns().zones().stream().anyMatch(z -> z.primary() != null);
  }

  /**
   * Runs {@code check} (which reloads a changed inventory file, calling {@link #reloaded}) every
   * {@code period}, so a host added to the file gets its records without waiting for a request.
   */
  public void watch(Runnable check, java.time.Duration period) {
    worker.scheduleWithFixedDelay(
        () -> {
          try {
            check.run();
          } catch (RuntimeException e) {
            log.accept("inventory check failed: " + e);
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Times each sync, by outcome, in {@code metrics} (none until called). */
  public void measure(io.kickdrift.server.metrics.ServeMetrics metrics) {
    this.metrics = metrics;
  }

  /** Queues a sync of every name. */
  public void all() {
    submit(null, null, "start");
  }

  /** Queues a sync of one host's names (after its install callback). */
  public void host(String name) {
    submit(name, null, "install finished");
  }

  /**
   * Queues a sync of the names of hosts that differ between two inventories. Without a {@code dns:}
   * section there is nothing to keep in step; when the subnets (the domains a short name takes) are
   * equal, only the hosts whose entries differ are looked at, so a one-host edit of a big inventory
   * costs one host's names, not every host's.
   */
  public void reloaded(Inventory before, Inventory after) {
    if (after.dns() == null) {
      return; // the sync of a queued host does nothing without a dns: section
    }
    Map<String, Host> gone = new HashMap<>();
    before.hosts().forEach(h -> gone.put(h.name(), h));
    boolean sameSubnets = before.subnets().equals(after.subnets());
    Map<String, List<HostNames.Entry>> old = new HashMap<>();
    Map<String, List<HostNames.Entry>> now = new HashMap<>();
    for (Host h : after.hosts()) {
      Host earlier = gone.remove(h.name());
      if (!sameSubnets || !h.equals(earlier)) {
        now.put(h.name(), HostNames.of(after, h));
        if (earlier != null) {
          old.put(h.name(), HostNames.of(before, earlier));
        }
      }
    }
    gone.values().forEach(h -> old.put(h.name(), HostNames.of(before, h)));
    Set<String> hosts = new LinkedHashSet<>(old.keySet());
    hosts.addAll(now.keySet());
    for (String h : hosts) {
      List<HostNames.Entry> was = old.getOrDefault(h, List.of());
      List<HostNames.Entry> is = now.getOrDefault(h, List.of());
      if (!was.equals(is)) {
        Set<Name> names = new LinkedHashSet<>(names(was));
        names.addAll(names(is));
        String why = was.isEmpty() ? "added" : is.isEmpty() ? "removed" : "changed";
        submit(h, names, "host " + why + " in the inventory");
      }
    }
  }

  private static List<Name> names(Collection<HostNames.Entry> entries) {
    List<Name> names = new ArrayList<>();
    for (HostNames.Entry e : entries) {
      names.add(e.name());
      names.add(e.reverse());
    }
    return names;
  }

  private void submit(String host, Collection<Name> names, String why) {
    worker.execute(() -> run(host, names, why));
  }

  private void run(String host, Collection<Name> given, String why) {
    Inventory inv = syncable(inventory.get());
    if (inv.dns() == null) {
      return;
    }
    Collection<Name> names = given;
    if (names == null && host != null) {
      names = inv.host(host).map(h -> names(HostNames.of(inv, h))).orElse(List.of());
    }
    if (names != null && names.isEmpty()) {
      return;
    }
    String subject = host == null ? "all hosts" : host;
    long started = System.nanoTime();
    try {
      DnsSync.Result result = sync.run(inv, names);
      List<String> problems = new ArrayList<>();
      int changes = 0;
      int conflicts = 0;
      for (DnsSync.ZoneResult z : result.zones()) {
        changes += z.plan().updates().size();
        conflicts += z.plan().conflicts().size();
        if (z.error() != null) {
          problems.add(z.error());
        }
        z.failed().forEach(f -> problems.add("zone " + z.zone().toString(true) + ": " + f));
        z.plan().conflicts().forEach(c -> problems.add("conflict at " + c.name() + ": " + c.why()));
      }
      String summary =
          "dns sync of "
              + subject
              + " ("
              + why
              + "): "
              + (changes == 0 ? "in step" : changes + " names changed")
              + ", "
              + result.messages()
              + " update messages"
              + (conflicts == 0 ? "" : ", " + conflicts + " conflicts");
      boolean failed =
          result.zones().stream().anyMatch(z -> z.error() != null || !z.failed().isEmpty());
      metrics.dnsUpdate(failed ? "failed" : "ok", System.nanoTime() - started);
      log.accept(summary);
      problems.forEach(p -> log.accept("dns sync of " + subject + ": " + p));
      state.event(
          host,
          failed ? "dns-sync-failed" : "dns-sync",
          summary + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)),
          clock.instant());
    } catch (RuntimeException e) {
      metrics.dnsUpdate("failed", System.nanoTime() - started);
      log.accept("dns sync of " + subject + " failed: " + e);
      state.event(host, "dns-sync-failed", e.toString(), clock.instant());
    }
  }

  /** The inventory with only the zones that have a primary. */
  static Inventory syncable(Inventory inv) {
    Dns dns = inv.dns();
    if (dns == null) {
      return inv;
    }
    List<DnsZone> zones = dns.zones().stream().filter(z -> z.primary() != null).toList();
    Dns only =
        zones.isEmpty()
            ? null
            : new Dns(dns.keyFile(), dns.ttl(), dns.owner(), dns.resolvers(), zones);
    return inv.withDns(only);
  }

  /** Waits for queued syncs, a few seconds at most. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(15, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
