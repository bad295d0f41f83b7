package io.kickdrift.server.tftp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options agreed for one read transfer (RFC 2347 to 2349, RFC 7440): what the client asked for,
 * bounded by the server's settings. Unknown options, repeated options (after the first) and values
 * that cannot be honoured are left out of the OACK, so the RFC default applies; values above the
 * server's limit are lowered to it (RFC 2348 lets the server answer a smaller blksize).
 *
 * @param accepted the OACK options in the client's order; empty means no OACK (plain RFC 1350)
 * @param ignored the options left out, with why, for the log
 */
record Negotiation(
    int blockSize,
    int windowSize,
    Duration timeout,
    List<TftpPacket.Option> accepted,
    List<String> ignored) {
  static final int DEFAULT_BLOCK_SIZE = 512;

  static Negotiation of(List<TftpPacket.Option> requested, long size, TftpServer.Settings s) {
    int blockSize = DEFAULT_BLOCK_SIZE;
    int windowSize = 1;
    Duration timeout = s.timeout();
    List<TftpPacket.Option> accepted = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (TftpPacket.Option o : requested) {
      String name = o.name().toLowerCase(Locale.ROOT);
      if (!seen.add(name)) {
        ignored.add(name + ": repeated");
        continue;
      }
      long v = number(o.value());
      switch (name) {
        case "blksize" -> {
          if (v < 8) {
            ignored.add("blksize=" + o.value() + ": not a number in 8..65464");
          } else {
            blockSize = (int) Math.min(v, s.maxBlockSize());
            accepted.add(new TftpPacket.Option(o.name(), Integer.toString(blockSize)));
          }
        }
        case "windowsize" -> {
          if (v < 1) {
            ignored.add("windowsize=" + o.value() + ": not a number in 1..65535");
          } else {
            windowSize = (int) Math.min(v, s.maxWindowSize());
            accepted.add(new TftpPacket.Option(o.name(), Integer.toString(windowSize)));
          }
        }
        case "timeout" -> {
          if (v < 1 || v > 255) {
            ignored.add("timeout=" + o.value() + ": not a number of seconds in 1..255");
          } else {
            timeout = Duration.ofSeconds(v);
            accepted.add(new TftpPacket.Option(o.name(), Long.toString(v)));
          }
        }
        case "tsize" -> {
          // A reading client sends 0; any number is taken as the question "how big?".
          if (v < 0) {
            ignored.add("tsize=" + o.value() + ": not a number");
          } else if (size == 0) {
            // curl (7.88) rejects an OACK with tsize 0 as invalid; without it, it reads 0 bytes.
            ignored.add("tsize: not sent for an empty file");
          } else {
            accepted.add(new TftpPacket.Option(o.name(), Long.toString(size)));
          }
        }
        default -> ignored.add(name + ": unknown");
      }
    }
    return new Negotiation(blockSize, windowSize, timeout, accepted, ignored);
  }

  /** The value as a non-negative number, saturating at Long.MAX_VALUE; -1 when not decimal. */
  private static long number(String value) {
    if (value.isEmpty() || value.length() > 40) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
    }
    return n;
  }
}
