package io.kickdrift.server.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A zone's primary over TCP, every message signed with the TSIG key. When the server turns a
 * transfer down, a signed SOA query finds out why, so the error says BADKEY, BADSIG or the clock
 * skew instead of a bare NOTAUTH.
 */
final class Primary {
  private final InetSocketAddress address;
  private final String label;
  private final TsigKey key;
  private final Clock clock;
  private final Duration timeout;

  public Primary(InetSocketAddress address, TsigKey key, Clock clock, Duration timeout) {
    this.address = address;
    this.label = endpoint(address);
    this.key = key;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Parses {@code address[:port]} (IPv6 in brackets), port 53 by default. */
  public static InetSocketAddress parse(String endpoint, int defaultPort) {
    String host = endpoint;
    int port = defaultPort;
    int close = endpoint.indexOf(']');
    int colon = endpoint.lastIndexOf(':');
    if (endpoint.startsWith("[")) {
      host = endpoint.substring(1, close);
      if (endpoint.length() > close + 1) {
        port = Integer.parseInt(endpoint.substring(close + 2));
      }
    } else if (colon > 0) {
      host = endpoint.substring(0, colon);
      port = Integer.parseInt(endpoint.substring(colon + 1));
    }
    try {
      // a literal address: no lookup happens
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address " + endpoint + ": " + e.getMessage(), e);
    }
  }

  static String endpoint(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** How errors name the server, e.g. {@code 192.0.2.2:53}. */
  public String label() {
    return label;
  }

  /** Every record of the zone (a signed AXFR), SOA first and last. */
  public List<Record> transfer(Name zone) throws DnsException {
    ZoneTransferIn axfr = ZoneTransferIn.newAXFR(zone, address, key.signer(clock));
    axfr.setTimeout(timeout);
    try {
      axfr.run();
      return axfr.getAXFR();
    } catch (ZoneTransferException e) {
      throw new DnsException(
          "zone "
              + zone.toString(true)
              + ": "
              + label
              + " refused the zone transfer ("
              + e.getMessage()
              + ")"
              + diagnose(zone)
              + "; sync reads the zone by AXFR signed with key "
              + key.name()
              + ", so the zone needs allow-transfer { key \""
              + key.name()
              + "\"; };");
    } catch (IOException e) {
      throw new DnsException(
          "zone " + zone.toString(true) + ": zone transfer from " + label + " failed: " + io(e), e);
    }
  }

  /** Sends a signed update and returns the server's answer, whatever its rcode. */
  public Message update(Update update) throws DnsException {
    SimpleResolver resolver = resolver(key.signer(clock));
    try {
      return resolver.send(update);
    } catch (IOException e) {
      throw new DnsException(
          "zone "
              + update.getQuestion().getName().toString(true)
              + ": update to "
              + label
              + " failed: "
              + io(e),
          e);
    }
  }

  private SimpleResolver resolver(TSIG tsig) {
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTCP(true);
    resolver.setTimeout(timeout);
    resolver.setTSIGKey(tsig);
    return resolver;
  }

  /** Why the server turned us down, from a signed SOA query; empty when that says nothing more. */
  private String diagnose(Name zone) {
    try {
      Message answer =
          resolver(key.signer(clock))
              .send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
      String why = explain(answer, label, clock);
      return why.isEmpty() ? "" : ": " + why;
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * What an answer's rcode and TSIG error mean, e.g. {@code NOTAUTH, TSIG BADTIME: clock skew with
   * 192.0.2.2:53 is 412 s}; empty for a plain NOERROR.
   */
  public static String explain(Message answer, String server, Clock clock) {
    int rcode = answer.getRcode();
    TSIGRecord tsig = answer.getTSIG();
    int error = tsig == null ? Rcode.NOERROR : tsig.getError();
    if (rcode == Rcode.NOERROR && error == Rcode.NOERROR) {
      return "";
    }
    StringBuilder why = new StringBuilder(Rcode.string(rcode));
    if (error != Rcode.NOERROR) {
      why.append(", TSIG ").append(Rcode.TSIGstring(error));
      switch (error) {
        case Rcode.BADKEY -> why.append(": ").append(server).append(" does not know the key");
        case Rcode.BADSIG ->
            why.append(": the key's secret or algorithm differs from the server's");
        case Rcode.BADTIME ->
            why.append(": clock skew with ")
                .append(server)
                .append(" is ")
                .append(skewSeconds(tsig, clock))
                .append(" s (TSIG allows ")
                .append(org.xbill.DNS.TSIG.FUDGE.toSeconds())
                .append(" s); fix the clocks (NTP)");
        default -> {}
      }
    } else if (rcode == Rcode.NOTAUTH) {
      why.append(": the server is not authoritative for the zone, or does not accept the key");
    } else if (rcode == Rcode.REFUSED) {
      why.append(": the server's policy (allow-update / update-policy) refuses this key");
    }
    return why.toString();
  }

  /** The server's time minus ours, from a BADTIME answer's other data (RFC 8945 5.2.3). */
  static long skewSeconds(TSIGRecord tsig, Clock clock) {
    byte[] other = tsig.getOther();
    long server;
    if (other != null && other.length == 6) {
      server = 0;
      for (byte b : other) {
        server = (server << 8) | (b & 0xff);
      }
    } else {
      server = tsig.getTimeSigned().getEpochSecond();
    }
    return server - clock.instant().getEpochSecond();
  }

  private static String io(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return "no answer in time";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
