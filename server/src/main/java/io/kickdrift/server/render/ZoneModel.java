package io.kickdrift.server.render;

import java.util.List;

/**
 * A zone as the zone-file templates ({@code dns/forward.ftl}, {@code dns/reverse.ftl}) see it.
 * Names are in DNS presentation format as dnsjava writes them (absolute names end in a dot; what a
 * zone file reads as syntax is escaped), owners relative to the origin ({@code @} for the origin
 * itself); the numbers are the SOA's.
 *
 * @param source the inventory's file name, for the "generated from" header
 * @param contact the SOA's responsible mailbox as a name ({@code hostmaster.example.com.})
 * @param nameservers unmodifiable, as {@code ZoneFiles} gives them
 * @param records in DNSSEC canonical order of their owners; unmodifiable
 */
public record ZoneModel(
    String source,
    String origin,
    long ttl,
    String primary,
    String contact,
    long serial,
    long refresh,
    long retry,
    long expire,
    long minimum,
    List<String> nameservers,
    List<Entry> records) {
  /** One record: {@code web01 IN A 192.0.2.21} is owner {@code web01}, type {@code A}, data. */
  public record Entry(String owner, String type, String data) {}
}
