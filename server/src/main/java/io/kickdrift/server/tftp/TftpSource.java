package io.kickdrift.server.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/** What a TFTP server serves. */
public interface TftpSource {
  /**
   * The content for a read request, or empty when there is none (ERROR 1 file not found). {@code
   * path} is as the client sent it; {@code client} is the requester (for per-MAC menus and logs).
   *
   * @throws TftpRefusedException for a path that must be refused (traversal...): ERROR 2
   */
  Optional<TftpContent> open(String path, InetSocketAddress client) throws IOException;

  /**
   * Whether this request may use the transfers the server keeps in reserve when it is busy (a known
   * machine's boot menu, say). Asked only when every other slot is taken, so it must be cheap and
   * must not open anything.
   */
  default boolean priority(String path, InetSocketAddress client) {
    return false;
  }
}
