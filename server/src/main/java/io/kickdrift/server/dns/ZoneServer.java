package io.kickdrift.server.dns;

import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Update;

/** A zone's primary as sync sees it: read the zone, send an update. */
public interface ZoneServer {
  /** How errors name the server, e.g. {@code 192.0.2.2:53}. */
  String label();

  /** Every record of the zone (a signed AXFR), SOA first. */
  List<Record> transfer(Name zone) throws DnsException;

  /** Sends a signed update and returns the server's answer, whatever its rcode. */
  Message update(Update update) throws DnsException;
}
