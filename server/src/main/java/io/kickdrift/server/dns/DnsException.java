package io.kickdrift.server.dns;

/** A DNS step failed; the message names the zone or file, the name and what the server said. */
class DnsException extends Exception {
  public DnsException(String message) {
    super(message);
  }

  public DnsException(String message, Throwable cause) {
    super(message, cause);
  }
}
