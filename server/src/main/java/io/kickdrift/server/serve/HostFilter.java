package io.kickdrift.server.serve;

import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.Ipv4;
import io.kickdrift.server.inventory.Subnet;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which hosts a list shows ({@code GET /api/v1/hosts}, the console's hosts page): {@code q} (a
 * piece of the name or of a MAC, any case), {@code profile}, {@code state} ({@code
 * install-pending}, {@code installed}, …), {@code subnet} (a CIDR, or the {@code domain} of one of
 * the inventory's subnets), {@code drift} ({@code yes}/{@code no}, with a config repository), and
 * the page: {@code limit} (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and {@code
 * offset}. One pass over hosts already in memory: no query per host.
 */
record HostFilter(
    String q, String profile, String state, String subnet, Boolean drift, int limit, int offset) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  static final List<String> PARAMETERS =
      List.of("q", "profile", "state", "subnet", "drift", "limit", "offset");

  /** One page of hosts, and how many matched in all. */
  record Page(List<Provisioner.Row> rows, int total) {}

  /** The filter of a query ({@link #PARAMETERS}); an empty value is no filter. */
  static HostFilter parse(Query query) throws ClientError {
    String drift = blank(query.get("drift"));
    if (drift != null && !drift.equals("yes") && !drift.equals("no")) {
      throw new ClientError(400, "drift: expected yes or no");
    }
    return new HostFilter(
        blank(query.get("q")),
        blank(query.get("profile")),
        blank(query.get("state")),
        blank(query.get("subnet")),
        drift == null ? null : drift.equals("yes"),
        query.number("limit", 1, MAX_LIMIT, DEFAULT_LIMIT),
        query.number("offset", 0, Integer.MAX_VALUE, 0));
  }

  private static String blank(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The page of {@code rows} this filter selects; {@code drifted} says which hosts drift (null
   * without a config repository: a drift filter is then a 404).
   */
  Page apply(List<Provisioner.Row> rows, Inventory inventory, Map<String, Boolean> drifted)
      throws ClientError {
    if (drift != null && drifted == null) {
      throw new ClientError(404, "no config repository (serve --scan-repo): no drift to filter on");
    }
    Optional<Ipv4.Cidr> network = subnet == null ? Optional.empty() : network(inventory);
    String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
    List<Provisioner.Row> page = new ArrayList<>();
    int total = 0;
    for (Provisioner.Row r : rows) {
      if ((needle == null || matches(r, needle))
          && (profile == null || profile.equals(r.host().profile()))
          && (state == null || state.equals(r.status().state()))
          && (network.isEmpty() || inNetwork(r, network.get()))
          && (drift == null || drift == drifted.getOrDefault(r.host().name(), false))) {
        if (total >= offset && page.size() < limit) {
          page.add(r);
        }
        total++;
      }
    }
    return new Page(page, total);
  }

  private Optional<Ipv4.Cidr> network(Inventory inventory) throws ClientError {
    Optional<Ipv4.Cidr> cidr = Ipv4.Cidr.parse(subnet);
    if (cidr.isPresent()) {
      return cidr;
    }
    for (Subnet s : inventory.subnets()) {
      if (subnet.equalsIgnoreCase(s.domain())) {
        return Ipv4.Cidr.parse(s.network());
      }
    }
    throw new ClientError(
        400,
        "subnet: expected a network such as 192.0.2.0/24 or the domain of one of the inventory's"
            + " subnets");
  }

  private static boolean matches(Provisioner.Row r, String needle) {
    if (r.host().name().toLowerCase(Locale.ROOT).contains(needle)) {
      return true;
    }
    for (Interface nic : r.host().interfaces()) {
      if (nic.mac() != null && nic.mac().contains(needle)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inNetwork(Provisioner.Row r, Ipv4.Cidr network) {
    for (Interface nic : r.host().interfaces()) {
      if (nic.ip() != null && network.contains(Ipv4.parse(nic.ip()))) {
        return true;
      }
    }
    return false;
  }

  /** The query of the page after this one (the same filters), for a {@code Link: rel="next"}. */
  String next() {
    return at((long) offset + limit);
  }

  /** The query of the page before this one (the same filters). */
  String previous() {
    return at(Math.max(0, (long) offset - limit));
  }

  private String at(long start) {
    StringBuilder b = new StringBuilder();
    add(b, "q", q);
    add(b, "profile", profile);
    add(b, "state", state);
    add(b, "subnet", subnet);
    add(b, "drift", drift == null ? null : drift ? "yes" : "no");
    add(b, "limit", Integer.toString(limit));
    add(b, "offset", Long.toString(start));
    return b.toString();
  }

  private static void add(StringBuilder b, String name, String value) {
    if (value != null) {
      b.append(b.isEmpty() ? "" : "&")
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }
}
