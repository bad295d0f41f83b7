package io.kickdrift.server.dns;

import io.kickdrift.server.inventory.Dns;
import io.kickdrift.server.inventory.DnsZone;
import io.kickdrift.server.inventory.Inventory;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;

/**
 * The records the inventory wants, sorted into its configured zones: A/AAAA in forward zones, PTR
 * in reverse zones. A name or reverse name that no configured zone holds is listed in {@code
 * outside}, not guessed at.
 *
 * @param zones per zone (in inventory order), the wanted records by owner name, names sorted
 * @param outside one line per record no zone holds, e.g. {@code web09.other.example. A 192.0.2.9:
 *     no zone in dns.zones holds it}
 */
record Wanted(Map<Name, Map<Name, List<Record>>> zones, List<String> outside) {
  /** The wanted records for every host of {@code inventory}; empty without a dns section. */
  public static Wanted of(Inventory inventory) {
    return of(inventory, HostNames.of(inventory));
  }

  /** The wanted records for {@code entries} (one host's, say), in {@code inventory}'s zones. */
  public static Wanted of(Inventory inventory, Collection<HostNames.Entry> entries) {
    Dns dns = inventory.dns();
    Map<Name, Map<Name, List<Record>>> zones = new LinkedHashMap<>();
    List<String> outside = new ArrayList<>();
    if (dns == null) {
      return new Wanted(zones, outside);
    }
    for (DnsZone z : dns.zones()) {
      zones.put(HostNames.absolute(z.name()), new TreeMap<>());
    }
    long ttl = dns.ttl();
    for (HostNames.Entry e : entries) {
      Record forward =
          e.address() instanceof Inet4Address
              ? new ARecord(e.name(), DClass.IN, ttl, e.address())
              : new AAAARecord(e.name(), DClass.IN, ttl, e.address());
      Record reverse = new PTRRecord(e.reverse(), DClass.IN, ttl, e.name());
      for (Record r : List.of(forward, reverse)) {
        Optional<Name> zone = zoneOf(zones.keySet(), r.getName());
        if (zone.isEmpty()) {
          outside.add(r + ": no zone in dns.zones holds it");
        } else {
          List<Record> at =
              zones.get(zone.get()).computeIfAbsent(r.getName(), n -> new ArrayList<>());
          if (!at.contains(r)) {
            at.add(r);
          }
        }
      }
    }
    zones.replaceAll((z, names) -> freeze(names));
    return new Wanted(java.util.Collections.unmodifiableMap(zones), List.copyOf(outside));
  }

  private static Map<Name, List<Record>> freeze(Map<Name, List<Record>> names) {
    TreeMap<Name, List<Record>> copy = new TreeMap<>();
    names.forEach((n, rs) -> copy.put(n, List.copyOf(rs)));
    return java.util.Collections.unmodifiableSortedMap(copy);
  }

  /** The zone of {@code zones} with the longest suffix of {@code name}. */
  public static Optional<Name> zoneOf(Collection<Name> zones, Name name) {
    Name best = null;
    for (Name z : zones) {
      if (name.subdomain(z) && (best == null || z.labels() > best.labels())) {
        best = z;
      }
    }
    return Optional.ofNullable(best);
  }
}
