package io.kickdrift.server.dns;

import io.kickdrift.server.inventory.Dns;
import io.kickdrift.server.inventory.DnsZone;
import io.kickdrift.server.inventory.Inventory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Brings the inventory's zones in step: for each zone, read it by signed AXFR, {@link Plan} it, and
 * send the planned changes as RFC 2136 updates signed with TSIG, each guarded by prerequisites that
 * hold only if the names are still as read. A batch whose prerequisites fail is retried name by
 * name, so one name changed meanwhile does not hold up the rest; that name is reported, not forced.
 */
public final class DnsSync {
  /**
   * @param base the directory key files are relative to (the inventory's)
   * @param dryRun plan only, send nothing
   * @param batch names per update message
   */
  public record Options(Path base, boolean dryRun, Clock clock, Duration timeout, int batch) {
    public static Options defaults(Path base) {
      return new Options(base, false, Clock.systemUTC(), Duration.ofSeconds(10), 100);
    }
  }

  /**
   * One zone's outcome.
   *
   * @param messages update messages sent (0 when in step)
   * @param failed names whose update did not apply, with why
   * @param error why the zone could not be synced at all; {@code null} when it could
   */
  public record ZoneResult(
      Name zone, String server, Plan plan, int messages, List<String> failed, String error) {}

  /** Every zone's outcome, plus the wanted records no configured zone holds. */
  public record Result(List<ZoneResult> zones, List<String> outside) {
    /**
     * 0 in step, 1 conflicts, failed names, records outside every zone or (dry run) pending, 2 a
     * zone failed.
     */
    public int exitStatus(boolean dryRun) {
      if (zones.stream().anyMatch(z -> z.error() != null)) {
        return 2;
      }
      boolean pending = dryRun && zones.stream().anyMatch(z -> !z.plan().inStep());
      boolean trouble =
          !outside.isEmpty()
              || zones.stream()
                  .anyMatch(z -> !z.failed().isEmpty() || !z.plan().conflicts().isEmpty());
      return pending || trouble ? 1 : 0;
    }

    public int messages() {
      return zones.stream().mapToInt(ZoneResult::messages).sum();
    }
  }

  private final Options options;

  /** A sync that reaches each zone's {@code primary} with its key. */
  public DnsSync(Options options) {
    this.options = options;
  }

  /** Syncs every name of every zone. */
  public Result run(Inventory inventory) {
    return run(inventory, null);
  }

  /**
   * Syncs only {@code names} (forward and reverse owner names, e.g. one host's now and before), or
   * every name when {@code null}.
   */
  public Result run(Inventory inventory, Collection<Name> names) {
    Dns dns = inventory.dns();
    if (dns == null) {
      return new Result(List.of(), List.of());
    }
    Wanted wanted = Wanted.of(inventory);
    List<ZoneResult> results = new ArrayList<>();
    Map<String, TsigKey> keys = new HashMap<>();
    for (DnsZone z : dns.zones()) {
      Name zone = HostNames.absolute(z.name());
      Map<Name, List<Record>> want = wanted.zones().getOrDefault(zone, Map.of());
      List<Name> scope = null;
      if (names != null) {
        scope =
            names.stream()
                .filter(n -> zone.equals(Wanted.zoneOf(wanted.zones().keySet(), n).orElse(null)))
                .toList();
        if (scope.isEmpty()) {
          continue;
        }
      }
      results.add(zone(dns, z, zone, want, scope, keys));
    }
    List<String> outside = wanted.outside();
    if (names != null) {
      outside =
          outside.stream()
              .filter(line -> names.stream().anyMatch(n -> line.startsWith(n + "\t")))
              .toList();
    }
    return new Result(List.copyOf(results), outside);
  }

  private ZoneResult zone(
      Dns dns,
      DnsZone config,
      Name zone,
      Map<Name, List<Record>> want,
      List<Name> scope,
      Map<String, TsigKey> keys) {
    String label = config.primary() == null ? "(no primary)" : config.primary();
    Plan empty = new Plan(zone, List.of());
    Primary server;
    try {
      server = server(dns, config, keys);
      label = server.label();
    } catch (DnsException e) {
      return new ZoneResult(zone, label, empty, 0, List.of(), e.getMessage());
    }
    Map<Name, List<Record>> current;
    try {
      current = byName(server.transfer(zone));
    } catch (DnsException e) {
      return new ZoneResult(zone, label, empty, 0, List.of(), e.getMessage());
    }
    Plan plan = Plan.of(zone, want, current, dns.owner(), dns.ttl(), scope);
    if (options.dryRun() || plan.inStep()) {
      return new ZoneResult(zone, label, plan, 0, List.of(), null);
    }
    List<Plan.Change> updates = plan.updates();
    List<String> failed = new ArrayList<>();
    int[] messages = {0};
    try {
      for (int i = 0; i < updates.size(); i += options.batch()) {
        List<Plan.Change> batch = updates.subList(i, Math.min(updates.size(), i + options.batch()));
        send(server, zone, batch, dns, failed, messages);
      }
    } catch (DnsException e) {
      return new ZoneResult(zone, label, plan, messages[0], List.copyOf(failed), e.getMessage());
    }
    return new ZoneResult(zone, label, plan, messages[0], List.copyOf(failed), null);
  }

  private void send(
      Primary server,
      Name zone,
      List<Plan.Change> batch,
      Dns dns,
      List<String> failed,
      int[] messages)
      throws DnsException {
    Message answer = server.update(Updates.of(zone, batch, dns.owner(), dns.ttl()));
    messages[0]++;
    int rcode = answer.getRcode();
    String why = Primary.explain(answer, server.label(), options.clock());
    if (why.isEmpty()) {
      return;
    }
    if (Set.of(Rcode.YXDOMAIN, Rcode.YXRRSET, Rcode.NXRRSET, Rcode.NXDOMAIN).contains(rcode)
        && answer.getTSIG() != null
        && answer.getTSIG().getError() == Rcode.NOERROR) {
      if (batch.size() > 1) {
        for (Plan.Change c : batch) {
          send(server, zone, List.of(c), dns, failed, messages);
        }
      } else {
        failed.add(
            batch.get(0).name()
                + ": changed on "
                + server.label()
                + " since it was read ("
                + Rcode.string(rcode)
                + "); left as it is, run sync again");
      }
      return;
    }
    throw new DnsException(
        "zone " + zone.toString(true) + ": " + server.label() + " rejected the update: " + why);
  }

  private Primary server(Dns dns, DnsZone config, Map<String, TsigKey> keys) throws DnsException {
    if (config.primary() == null) {
      throw new DnsException(
          "zone " + config.name() + ": no primary in dns.zones; sync needs the server to update");
    }
    String file = config.keyFile() != null ? config.keyFile() : dns.keyFile();
    if (file == null) {
      throw new DnsException(
          "zone "
              + config.name()
              + ": no key-file in dns or the zone; updates are signed with TSIG");
    }
    TsigKey key = keys.get(file);
    if (key == null) {
      key = TsigKey.read(options.base().resolve(file));
      keys.put(file, key);
    }
    return new Primary(
        Primary.parse(config.primary(), 53), key, options.clock(), options.timeout());
  }

  /** Records by owner name, names sorted; the SOA that ends an AXFR is dropped. */
  static Map<Name, List<Record>> byName(List<Record> records) {
    Map<Name, List<Record>> byName = new TreeMap<>();
    boolean soa = false;
    for (Record r : records) {
      if (r.getType() == Type.SOA) {
        if (soa) {
          continue;
        }
        soa = true;
      }
      byName.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
    }
    return byName;
  }

  /** The plans as a diff: {@code +}/{@code -} per record, {@code !} per conflict. */
  public static List<String> diff(Result result) {
    List<String> lines = new ArrayList<>();
    for (ZoneResult z : result.zones()) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (Plan.Change c : z.plan().changes()) {
        counts.merge(c.kind().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      }
      lines.add(
          "zone "
              + z.zone().toString(true)
              + " at "
              + z.server()
              + ": "
              + (z.error() != null && counts.isEmpty()
                  ? "not synced (see the error)"
                  : counts.isEmpty() ? "in step" : counts.toString().replaceAll("[{}]", "")));
      for (Plan.Change c : z.plan().changes()) {
        if (c.kind() == Plan.Kind.CONFLICT) {
          lines.add("! " + c.name() + " " + c.why());
          continue;
        }
        removed(c).forEach(r -> lines.add("- " + r));
        added(c).forEach(r -> lines.add("+ " + r));
      }
    }
    result.outside().forEach(line -> lines.add("? " + line));
    return lines;
  }

  /** The records {@code c} takes away: those it has now and will not keep (with their TTL). */
  public static List<Record> removed(Plan.Change c) {
    return missingFrom(c.before(), c.after());
  }

  /** The records {@code c} adds: those it will have and has not now (with their TTL). */
  public static List<Record> added(Plan.Change c) {
    return missingFrom(c.after(), c.before());
  }

  private static List<Record> missingFrom(List<Record> these, List<Record> others) {
    List<Record> out = new ArrayList<>();
    for (Record r : these) {
      if (!others.contains(r) || others.get(others.indexOf(r)).getTTL() != r.getTTL()) {
        out.add(r);
      }
    }
    return out;
  }
}
