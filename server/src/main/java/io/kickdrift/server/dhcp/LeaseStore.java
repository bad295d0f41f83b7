package io.kickdrift.server.dhcp;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The dynamic leases the DHCP server handed out, at most one per address. Reservations are not
 * stored: they come from the inventory. An address a client declined is held by a lease with an
 * empty MAC until it expires.
 */
public interface LeaseStore extends AutoCloseable {
  /** {@code ip} is bound to {@code mac} (lower case, colons) until {@code expires}. */
  record Lease(String mac, Inet4Address ip, Instant expires) {
    public boolean activeAt(Instant now) {
      return expires.isAfter(now);
    }
  }

  /** The most recent lease of {@code mac}, expired or not. */
  Optional<Lease> byMac(String mac);

  /** The lease on {@code ip}, expired or not. */
  Optional<Lease> byIp(Inet4Address ip);

  /** The addresses with a lease still active at {@code now}. */
  Set<Inet4Address> active(Instant now);

  /**
   * Stores {@code lease} unless another MAC holds its address at {@code now} (a lease or an offer
   * still active); whether it did. Atomic: of several servers claiming one address at once, one
   * wins. Any other lease of its MAC is dropped.
   */
  boolean claim(Lease lease, Instant now);

  /** Stores {@code lease}, replacing the lease on its address and any other lease of its MAC. */
  void put(Lease lease);

  /** Forgets the lease on {@code ip} when it belongs to {@code mac}. */
  void release(String mac, Inet4Address ip);

  /** Deletes the leases that ended before {@code now}; returns how many. */
  int expire(Instant now);

  @Override
  void close();
}
