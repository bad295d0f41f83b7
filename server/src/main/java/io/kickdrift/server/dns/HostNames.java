package io.kickdrift.server.dns;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.Ipv6;
import io.kickdrift.server.inventory.Subnet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The names and addresses the inventory says DNS should hold, a pure function of it. The first
 * interface with an address carries the host's own name; every further one is named {@code
 * <interface>.<host>} (as MAAS does), so each address has exactly one name and each name points
 * back to it. A host name without a dot is completed with its subnet's {@code domain}.
 */
public final class HostNames {
  /** One address record the inventory wants, with the reverse name its PTR lives at. */
  public record Entry(String host, Name name, InetAddress address, Name reverse) {}

  private HostNames() {}

  /** Every wanted address record, in inventory order. */
  public static List<Entry> of(Inventory inventory) {
    List<Entry> entries = new ArrayList<>();
    for (Host host : inventory.hosts()) {
      entries.addAll(of(inventory, host));
    }
    return List.copyOf(entries);
  }

  /** The records one host wants. */
  public static List<Entry> of(Inventory inventory, Host host) {
    List<Entry> entries = new ArrayList<>();
    boolean first = true;
    for (Interface nic : host.interfaces()) {
      if (nic.ip() == null && nic.ip6() == null) {
        continue;
      }
      Name base = fqdn(inventory, host, nic);
      Name name = first ? base : concat(nic.name(), base);
      first = false;
      for (String ip : new String[] {nic.ip(), nic.ip6()}) {
        if (ip == null) {
          continue;
        }
        InetAddress address = address(ip);
        entries.add(
            new Entry(host.name(), name, address, org.xbill.DNS.ReverseMap.fromAddress(address)));
      }
    }
    return entries;
  }

  private static Name fqdn(Inventory inventory, Host host, Interface nic) {
    String name = host.name();
    if (!name.contains(".") && nic.ip() != null) {
      String domain =
          inventory.subnets().stream()
              .filter(s -> s.contains(nic.ip()))
              .map(Subnet::domain)
              .filter(d -> d != null && !d.isBlank())
              .findFirst()
              .orElse(null);
      if (domain != null) {
        name = name + "." + domain;
      }
    }
    return absolute(name);
  }

  /** {@code name} as an absolute DNS name; a trailing dot is optional. */
  public static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("DNS name '" + name + "': " + e.getMessage(), e);
    }
  }

  private static Name concat(String label, Name base) {
    try {
      return Name.concatenate(Name.fromString(label), base);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException(label + "." + base + ": " + e.getMessage(), e);
    }
  }

  private static InetAddress address(String ip) {
    try {
      if (ip.contains(":")) {
        InetAddress a = Ipv6.parse(ip);
        if (a == null) {
          throw new IllegalArgumentException("malformed IPv6 address " + ip);
        }
        return a;
      }
      return InetAddress.getByAddress(org.xbill.DNS.Address.toByteArray(ip, 1));
    } catch (UnknownHostException | NullPointerException e) {
      throw new IllegalArgumentException("malformed IPv4 address " + ip, e);
    }
  }
}
