package io.kickdrift.server.tftp;

import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.logs.LogFields;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One read transfer on its own socket: sends a window of blocks, slides it on ACKs, resends from
 * the first unacknowledged block on timeout (with backoff) and ignores ACKs for blocks already
 * acknowledged (no Sorcerer's Apprentice). Blocks are counted from 1 in a {@code long}; the wire
 * number is the low 16 bits, so transfers past 65,535 blocks roll over to 0.
 *
 * <p>What a client's ACKs can make it send again is bounded: an ACK that says blocks were lost (one
 * inside the window or, with windowsize above 1, the first repeat of the last ACK) resends them
 * only while all blocks resent so far, plus these, stay within a budget of a quarter of the file
 * plus one window. Past that, ACKs only slide the window and the retransmission timer alone
 * resends. So a client that ACKs every block pulls at most 1.25 times the file plus one window
 * (docs/tftp.md).
 */
final class Transfer {
  /** A wake-up at {@code at} (System.nanoTime); stale ones are recognised and skipped. */
  record Timer(long at, Transfer transfer) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      return Long.compare(at - o.at, 0);
    }
  }

  private static final int READ_AHEAD = 32 << 10;

  private final TftpServer server;
  private final ByteBuffer cache;
  private long cacheStart;
  private final DatagramChannel channel;
  private final InetSocketAddress client;
  private final String shownName; // the file name as logged (LogText)
  private final TftpContent content;
  private final Negotiation options;
  private final long lastBlock;
  private final long started = System.nanoTime();
  private boolean oackPending;
  private long acked; // highest block acknowledged, 0 before the first
  private long sent; // highest block sent
  private int attempts;
  private long deadline;
  private Timer scheduled;
  private long duplicateAcks;
  private final long resendBudget; // blocks that ACKs may have resent
  private long resent; // blocks sent again, by ACKs or timeouts
  private long wentBackAt = -1; // the value of acked at the last resend an ACK asked for
  private boolean done;

  Transfer(
      TftpServer server,
      DatagramChannel channel,
      InetSocketAddress client,
      String shownName,
      TftpContent content,
      Negotiation options) {
    this.server = server;
    this.channel = channel;
    this.client = client;
    this.shownName = shownName;
    this.content = content;
    this.options = options;
    this.lastBlock = content.size() / options.blockSize() + 1;
    this.resendBudget = content.size() / (4L * options.blockSize()) + options.windowSize();
    int blocks = Math.max(1, READ_AHEAD / options.blockSize());
    // no bigger than the file: a flood of transfers of a small menu holds little memory
    long capacity = Math.min((long) blocks * options.blockSize(), content.size());
    this.cache = ByteBuffer.allocate((int) capacity).limit(0);
  }

  void start(ByteBuffer tx) throws IOException {
    if (options.accepted().isEmpty()) {
      sendWindow(false, tx);
    } else {
      oackPending = true;
      sendOack(tx);
    }
  }

  /**
   * Handles one datagram. One per wake-up: the selector reports the socket again while more are
   * queued, and a second receive that finds nothing would cost a system call per block.
   */
  void readable(ByteBuffer rx, ByteBuffer tx) {
    try {
      rx.clear();
      InetSocketAddress from = (InetSocketAddress) channel.receive(rx);
      if (from != null && !done) {
        rx.flip();
        handle(from, rx, tx);
      }
    } catch (IOException | RuntimeException e) {
      fail("I/O error: " + e);
    }
  }

  private void handle(InetSocketAddress from, ByteBuffer rx, ByteBuffer tx) throws IOException {
    if (!from.equals(client)) {
      server.count.wrongTid++;
      server.log("tftp " + TftpServer.show(from) + " wrong TID for " + shownName + ": ERROR 5");
      send(new TftpPacket.Error(TftpPacket.ErrorCode.UNKNOWN_TRANSFER_ID, "unknown TID"), from, tx);
      return;
    }
    TftpPacket packet;
    try {
      packet = TftpPacket.decode(rx);
    } catch (TftpCodecException e) {
      server.count.dropped++;
      server.log("tftp " + who() + " malformed packet dropped: " + LogText.of(e.getMessage()));
      return;
    }
    if (packet instanceof TftpPacket.Ack a) {
      ack(a.block(), tx);
    } else if (packet instanceof TftpPacket.Error e) {
      server.count.aborted++;
      end(false, "aborted by the client: ERROR " + e.code() + " " + LogText.of(e.message()));
    } else {
      server.count.dropped++;
      server.log("tftp " + who() + " unexpected " + TftpServer.name(packet) + " dropped");
    }
  }

  private void ack(int wire, ByteBuffer tx) throws IOException {
    if (oackPending) {
      if (wire != 0) {
        duplicate();
        return;
      }
      oackPending = false;
      attempts = 0;
      sendWindow(false, tx);
      return;
    }
    // Which block in (acked, sent] has this wire number? Anything else is old news.
    long delta = (wire - acked) & 0xFFFF;
    if (delta == 0 && options.windowSize() > 1 && acked < sent && mayGoBack()) {
      // RFC 7440: a client that lost the first block of a window ACKs the block before it. Once
      // per value of acked, so repeating that ACK is no Sorcerer's Apprentice.
      sendWindow(true, tx);
      return;
    }
    if (delta == 0 || delta > sent - acked) {
      duplicate();
      return;
    }
    acked += delta;
    attempts = 0;
    if (acked == lastBlock) {
      server.count.completed++;
      end(true, null);
      return;
    }
    // An ACK inside the window: the client lost what followed (RFC 7440), or it acknowledges
    // every block; resend only while the budget lasts, else just slide the window.
    sendWindow(acked < sent && mayGoBack(), tx);
  }

  private void duplicate() {
    duplicateAcks++;
    server.count.duplicateAcks++;
  }

  /**
   * Whether an ACK may have blocks acked+1..sent sent again: not twice for the same acked, and only
   * if the resent blocks stay within the budget.
   */
  private boolean mayGoBack() {
    if (wentBackAt == acked || resent + (sent - acked) > resendBudget) {
      return false;
    }
    wentBackAt = acked;
    return true;
  }

  void timerDue(Timer timer, long now, ByteBuffer tx) throws IOException {
    if (done || timer != scheduled) {
      return;
    }
    scheduled = null;
    if (deadline - now > 0) {
      arm(deadline);
      return;
    }
    attempts++;
    if (attempts > server.settings().retries()) {
      send(new TftpPacket.Error(TftpPacket.ErrorCode.UNDEFINED, "timed out"), client, tx);
      fail("no ACK after " + server.settings().retries() + " retries, at block " + (acked + 1));
      return;
    }
    if (oackPending) {
      sendOack(tx);
    } else {
      sendWindow(true, tx);
    }
  }

  private void sendOack(ByteBuffer tx) throws IOException {
    send(new TftpPacket.OptionAck(options.accepted()), client, tx);
    armTimeout();
  }

  /**
   * Sends the window, blocks acked+1 up to acked+windowsize: all of them ({@code again}), or only
   * those not sent before.
   */
  private void sendWindow(boolean again, ByteBuffer tx) throws IOException {
    long first = again ? acked + 1 : sent + 1;
    long last = Math.min(acked + options.windowSize(), lastBlock);
    int blockSize = options.blockSize();
    for (long block = first; block <= last; block++) {
      long position = (block - 1) * blockSize;
      int length = (int) Math.max(0, Math.min(blockSize, content.size() - position));
      tx.clear();
      tx.putShort((short) 3).putShort((short) block);
      tx.put(readAhead(position, length));
      tx.flip();
      channel.send(tx, client);
    }
    long repeats = Math.max(0, Math.min(last, sent) - first + 1);
    resent += repeats;
    server.count.resent += repeats;
    sent = Math.max(sent, last);
    armTimeout();
  }

  /**
   * The bytes at {@code position}, from a read-ahead buffer of whole blocks: one positional read
   * serves many blocks, which matters at windowsize 1 where every block is a round trip.
   */
  private ByteBuffer readAhead(long position, int length) throws IOException {
    if (position < cacheStart || position + length > cacheStart + cache.limit()) {
      cache.clear();
      cacheStart = position;
      while (cache.hasRemaining() && content.read(position + cache.position(), cache) >= 0) {}
      cache.flip();
    }
    int from = (int) (position - cacheStart);
    return cache.slice(from, Math.min(length, cache.limit() - from));
  }

  private void armTimeout() {
    long backoff = 1L << Math.min(attempts, 3);
    long at = System.nanoTime() + options.timeout().toNanos() * backoff;
    deadline = at;
    if (scheduled == null || at - scheduled.at() < 0) {
      arm(at);
    }
  }

  private void arm(long at) {
    scheduled = new Timer(at, this);
    server.schedule(scheduled);
  }

  private void send(TftpPacket packet, InetSocketAddress to, ByteBuffer tx) throws IOException {
    tx.clear();
    packet.encode(tx);
    tx.flip();
    channel.send(tx, to);
  }

  void fail(String why) {
    if (!done) {
      server.count.failed++;
      end(false, why);
    }
  }

  private void end(boolean ok, String why) {
    if (done) {
      return;
    }
    long nanos = System.nanoTime() - started;
    long ms = nanos / 1_000_000;
    server.ended(ok, ok ? content.size() : 0, nanos);
    String head = "tftp " + who() + " RRQ " + shownName + describe();
    String dups =
        (duplicateAcks == 0 ? "" : " (" + duplicateAcks + " duplicate ACKs ignored)")
            + (resent == 0 ? "" : " (" + resent + " blocks resent)");
    try (LogFields f = LogFields.of("peer", who(), "path", shownName)) {
      if (ok) {
        server.log(head + ": sent " + content.size() + " bytes in " + ms + " ms" + dups);
      } else {
        server.log(head + ": " + why + " after " + ms + " ms" + dups);
      }
    }
    release();
  }

  /** Closes the socket and the content; called once, at the end or when the server stops. */
  void release() {
    if (done) {
      return;
    }
    done = true;
    server.count.active--;
    TftpServer.closeQuietly(channel);
    TftpServer.closeQuietly(content);
    server.released(client);
  }

  private String who() {
    return TftpServer.show(client);
  }

  private String describe() {
    if (options.accepted().isEmpty() && options.ignored().isEmpty()) {
      return "";
    }
    String accepted =
        options.accepted().stream()
            .map(o -> LogText.of(o.name().toLowerCase(Locale.ROOT)) + "=" + o.value())
            .collect(Collectors.joining(" "));
    // the client's own option names and values: printable, and a bounded line however many
    String ignored =
        options.ignored().isEmpty()
            ? ""
            : " ignored[" + LogText.of(String.join(", ", options.ignored()), 300) + "]";
    return (accepted.isEmpty() ? "" : " " + accepted) + ignored;
  }
}
