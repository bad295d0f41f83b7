package io.kickdrift.server.dhcp;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@link LeaseStore} in memory, for tests and for running without a state directory. */
public final class MemoryLeaseStore implements LeaseStore {
  private final Map<Inet4Address, Lease> byIp = new LinkedHashMap<>();

  @Override
  public synchronized Optional<Lease> byMac(String mac) {
    return byIp.values().stream().filter(l -> l.mac().equals(mac)).findFirst();
  }

  @Override
  public synchronized Optional<Lease> byIp(Inet4Address ip) {
    return Optional.ofNullable(byIp.get(ip));
  }

  @Override
  public synchronized Set<Inet4Address> active(Instant now) {
    Set<Inet4Address> out = new HashSet<>();
    byIp.values().stream().filter(l -> l.activeAt(now)).forEach(l -> out.add(l.ip()));
    return out;
  }

  @Override
  public synchronized boolean claim(Lease lease, Instant now) {
    Lease held = byIp.get(lease.ip());
    if (held != null && held.activeAt(now) && !held.mac().equals(lease.mac())) {
      return false;
    }
    put(lease);
    return true;
  }

  @Override
  public synchronized void put(Lease lease) {
    if (!lease.mac().isEmpty()) {
      byIp.values().removeIf(l -> l.mac().equals(lease.mac()));
    }
    byIp.put(lease.ip(), lease);
  }

  @Override
  public synchronized void release(String mac, Inet4Address ip) {
    Lease l = byIp.get(ip);
    if (l != null && l.mac().equals(mac)) {
      byIp.remove(ip);
    }
  }

  @Override
  public synchronized int expire(Instant now) {
    int before = byIp.size();
    byIp.values().removeIf(l -> !l.activeAt(now));
    return before - byIp.size();
  }

  @Override
  public void close() {}
}
