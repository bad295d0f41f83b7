package io.kickdrift.server.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.server.dns.DnsSync;
import io.kickdrift.server.dns.HostNames;
import io.kickdrift.server.dns.Plan;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kickdrift dns sync}: RFC 2136 updates, signed with TSIG, until DNS matches the inventory.
 * Its help text is in {@code DnsSyncCommand.properties}.
 */
@Command(name = "sync", mixinStandardHelpOptions = true)
final class DnsSyncCommand implements Callable<Integer> {
  @Mixin InventoryOption inventory = new InventoryOption();

  @Option(names = "--host", paramLabel = "NAME")
  java.util.List<String> hosts;

  @Option(names = "--dry-run")
  boolean dryRun;

  @Mixin TimeoutOption timeout = new TimeoutOption("10s");

  @Option(names = "--batch", paramLabel = "N", defaultValue = "100")
  int batch;

  @Mixin JsonOption json = new JsonOption();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The clock TSIG signatures carry; tests shift it. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (batch < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1");
    }
    Inventory loaded;
    try {
      loaded = InventoryLoader.load(inventory.file());
    } catch (InventoryException e) {
      return Failed.report("dns sync", e, err::println);
    }
    if (loaded.dns() == null || loaded.dns().zones().isEmpty()) {
      err.println("kickdrift dns sync: " + inventory + " has no dns.zones; nothing to sync");
      return 2;
    }
    Path base = inventory.file().toAbsolutePath().getParent();
    java.util.List<org.xbill.DNS.Name> names = null;
    if (hosts != null) {
      names = new java.util.ArrayList<>();
      for (String h : hosts) {
        var host = loaded.host(h);
        if (host.isEmpty()) {
          err.println("kickdrift dns sync: --host " + h + ": no such host in " + inventory);
          return 2;
        }
        for (HostNames.Entry e : HostNames.of(loaded, host.get())) {
          names.add(e.name());
          names.add(e.reverse());
        }
      }
    }
    warnIfReadable(loaded, base, err);
    long start = System.nanoTime();
    DnsSync.Result result =
        new DnsSync(new DnsSync.Options(base, dryRun, clock, timeout.value(), batch))
            .run(loaded, names);
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (!json.on()) {
      DnsSync.diff(result).forEach(out::println);
    }
    for (DnsSync.ZoneResult z : result.zones()) {
      z.failed()
          .forEach(
              f -> err.println("kickdrift dns sync: zone " + z.zone().toString(true) + ": " + f));
      if (z.error() != null) {
        err.println("kickdrift dns sync: " + z.error());
      }
    }
    if (json.on()) {
      out.println(JsonOption.text(Synced.of(result, dryRun, ms)));
    } else {
      out.printf(
          "%s %d zones in %d ms: %d update messages sent%n",
          dryRun ? "planned" : "synced", result.zones().size(), ms, result.messages());
    }
    out.flush();
    return result.exitStatus(dryRun);
  }

  /** What {@code --json} prints: the diff and the summary line, field by field (docs/dns.md). */
  record Synced(
      @JsonProperty("dry-run") boolean dryRun,
      List<Zone> zones,
      List<String> outside,
      int messages,
      long millis) {
    static Synced of(DnsSync.Result r, boolean dryRun, long millis) {
      return new Synced(
          dryRun, r.zones().stream().map(Zone::of).toList(), r.outside(), r.messages(), millis);
    }
  }

  /** One zone: its header line and the lines under it. */
  record Zone(
      String zone,
      String server,
      @JsonProperty("in-step") boolean inStep,
      List<Change> changes,
      int messages,
      List<String> failed,
      String error) {
    static Zone of(DnsSync.ZoneResult z) {
      return new Zone(
          z.zone().toString(true),
          z.server(),
          z.plan().inStep(),
          z.plan().changes().stream().map(Change::of).toList(),
          z.messages(),
          z.failed(),
          z.error());
    }
  }

  /** One name: its - and + lines (records in zone-file form), or for a conflict, why. */
  record Change(String kind, String name, List<String> removed, List<String> added, String why) {
    static Change of(Plan.Change c) {
      return new Change(
          c.kind().name().toLowerCase(Locale.ROOT),
          c.name().toString(),
          DnsSync.removed(c).stream().map(Object::toString).toList(),
          DnsSync.added(c).stream().map(Object::toString).toList(),
          c.why());
    }
  }

  /** A TSIG secret anyone on the host can read is anyone's key to the zone: say so. */
  private static void warnIfReadable(Inventory inv, Path base, PrintWriter err) {
    java.util.Set<String> files = new java.util.TreeSet<>();
    if (inv.dns().keyFile() != null) {
      files.add(inv.dns().keyFile());
    }
    inv.dns().zones().stream()
        .map(io.kickdrift.server.inventory.DnsZone::keyFile)
        .filter(java.util.Objects::nonNull)
        .forEach(files::add);
    for (String f : files) {
      Path file = base.resolve(f);
      try {
        var perms = java.nio.file.Files.getPosixFilePermissions(file);
        if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
            || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)) {
          err.println(
              "kickdrift dns sync: warning: "
                  + file
                  + " (a TSIG secret) is readable by "
                  + (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
                      ? "every user"
                      : "its group")
                  + "; chmod 600 it");
        }
      } catch (java.io.IOException | UnsupportedOperationException e) {
        // unreadable files are reported by the sync itself, naming the zone
      }
    }
  }
}
