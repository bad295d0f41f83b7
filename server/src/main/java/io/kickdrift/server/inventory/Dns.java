package io.kickdrift.server.inventory;

import java.util.List;

/**
 * The {@code dns:} section: the zones kickdrift keeps host records in, how it signs its updates and
 * where {@code doctor} resolves. Absent when the site's DNS is not kickdrift's business.
 *
 * @param keyFile the BIND-format TSIG key file ({@code tsig-keygen} output) updates and zone
 *     transfers are signed with, relative to the inventory's directory; a zone may name its own
 * @param ttl the TTL of every record kickdrift writes, in seconds (default 3600)
 * @param owner the owner id in the ownership marker beside every name kickdrift manages (default
 *     {@code kickdrift}); two kickdrift sites sharing a zone need different ids
 * @param resolvers where {@code doctor} resolves, {@code address[:port]}; default the subnets'
 *     {@code dns} servers
 */
public record Dns(
    String keyFile, int ttl, String owner, List<String> resolvers, List<DnsZone> zones) {
  public static final int DEFAULT_TTL = 3600;

  public Dns {
    if (ttl == 0) {
      ttl = DEFAULT_TTL;
    }
    if (owner == null) {
      owner = "kickdrift";
    }
    resolvers = Copies.list(resolvers);
    zones = Copies.list(zones);
  }
}
