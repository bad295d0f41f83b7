package io.kickdrift.server.dhcp;

import java.io.IOException;

/** A datagram that is not a well-formed BOOTP/DHCP message; the message says what was wrong. */
final class DhcpCodecException extends IOException {
  public DhcpCodecException(String message) {
    super(message);
  }
}
