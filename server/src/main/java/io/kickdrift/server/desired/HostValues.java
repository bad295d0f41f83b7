package io.kickdrift.server.desired;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host's own values, known from the inventory, by the variable name a template uses ({@code
 * [=host.NAME]}): {@code fqdn} (the inventory name), {@code hostname} (its first label), {@code
 * domain} (the rest, when there is one), and for the first interface {@code ip}, {@code ip6},
 * {@code mac}; every interface also as {@code IFNAME_ip}, {@code IFNAME_ip6}, {@code IFNAME_mac} (a
 * name's characters other than letters and digits written {@code _}). Values shorter than {@link
 * #SHORTEST} characters are left out: "a1" would match too much to mean the host.
 */
public final class HostValues {
  /** The shortest value that becomes a variable. */
  public static final int SHORTEST = 3;

  private HostValues() {}

  /** The values of {@code host}, in a stable order (the order above). */
  public static Map<String, String> of(Host host) {
    Map<String, String> v = new LinkedHashMap<>();
    String name = host.name();
    put(v, "fqdn", name);
    int dot = name.indexOf('.');
    if (dot > 0) {
      put(v, "hostname", name.substring(0, dot));
      put(v, "domain", name.substring(dot + 1));
    }
    boolean first = true;
    for (Interface i : host.interfaces()) {
      if (first) {
        put(v, "ip", i.ip());
        put(v, "ip6", i.ip6());
        put(v, "mac", i.mac());
        first = false;
      }
      String prefix = i.name() == null ? null : i.name().replaceAll("[^A-Za-z0-9]", "_");
      if (prefix != null && !prefix.isEmpty()) {
        put(v, prefix + "_ip", i.ip());
        put(v, prefix + "_ip6", i.ip6());
        put(v, prefix + "_mac", i.mac());
      }
    }
    return v;
  }

  private static void put(Map<String, String> v, String key, String value) {
    if (value != null && value.length() >= SHORTEST) {
      v.put(key, value);
    }
  }
}
