package io.kickdrift.server.inventory;

import java.util.List;

/**
 * A forward zone ({@code lab.example.com}) or reverse zone ({@code 2.0.192.in-addr.arpa}, {@code
 * ...ip6.arpa}) kickdrift keeps host records in. A host name, or an address's reverse name, belongs
 * to the zone with the longest matching suffix.
 *
 * @param primary where dynamic updates and zone transfers go, {@code address[:port]}; needed by
 *     {@code dns sync}, not by rendered zone files
 * @param nameservers the zone's NS names; the first is the SOA's primary name server in rendered
 *     zone files
 * @param contact the SOA contact as a domain name ({@code hostmaster.example.com}); default {@code
 *     hostmaster.} followed by the zone
 * @param keyFile this zone's TSIG key file, instead of {@code dns.key-file}
 */
public record DnsZone(
    String name, String primary, List<String> nameservers, String contact, String keyFile) {
  public DnsZone {
    nameservers = Copies.list(nameservers);
  }
}
