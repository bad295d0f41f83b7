package io.kickdrift.server.render;

import java.util.List;

/**
 * A subnet as the DHCP templates see it: {@code id} counts from 1 in inventory order (Kea's
 * subnet-id), {@code tag} is a short name for dnsmasq tags; range fields are null without a dynamic
 * range. Reservations are the inventory interfaces with an address in this subnet.
 */
public record SubnetModel(
    int id,
    String tag,
    String cidr,
    String address,
    String netmask,
    int prefix,
    String router,
    List<String> dns,
    String domain,
    String nextServer,
    String rangeStart,
    String rangeEnd,
    List<Reservation> reservations) {
  public SubnetModel {
    dns = List.copyOf(dns);
    reservations = List.copyOf(reservations);
  }

  /** A fixed address for one interface of a host. */
  public record Reservation(String host, String shortName, String nic, String mac, String ip) {}
}
