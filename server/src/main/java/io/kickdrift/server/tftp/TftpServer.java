package io.kickdrift.server.tftp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A read-only TFTP server (RFC 1350, options per RFC 2347-2349 and 7440) on one event-loop thread:
 * every transfer gets its own UDP socket (a new TID) registered with one selector, so hundreds of
 * concurrent transfers cost a socket and a few objects each, not a thread.
 *
 * <pre>{@code
 * try (var server = new TftpServer(new RootSource(dir), Settings.defaults(), System.out::println)) {
 *   InetSocketAddress at = server.start(new InetSocketAddress("127.0.0.1", 0));
 * }
 * }</pre>
 */
public final class TftpServer implements AutoCloseable {
  /**
   * Limits: {@code timeout} before the first retransmission (doubled on each retry, up to 8x),
   * {@code retries} before a transfer is given up, and the largest block and window granted.
   */
  public record Settings(Duration timeout, int retries, int maxBlockSize, int maxWindowSize) {
    public Settings {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be at least 0: " + retries);
      }
      if (maxBlockSize < 512 || maxBlockSize > TftpPacket.MAX_BLOCK_SIZE) {
        throw new IllegalArgumentException("maxBlockSize not in 512..65464: " + maxBlockSize);
      }
      if (maxWindowSize < 1 || maxWindowSize > 65535) {
        throw new IllegalArgumentException("maxWindowSize not in 1..65535: " + maxWindowSize);
      }
    }

    /** 1 s timeout, 5 retries, blocks up to 65464 bytes, windows up to 64 blocks. */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(1), 5, TftpPacket.MAX_BLOCK_SIZE, 64);
    }
  }

  /**
   * Counters since start: transfers completed, failed (timed out or unreadable) and aborted by the
   * client (ERROR from it, such as a ROM refusing the OACK after asking for tsize); requests
   * refused (outside the root, WRQ, unsupported mode) or for missing files; packets dropped as
   * malformed or unexpected, from a wrong TID, and duplicate ACKs ignored; transfers active now.
   */
  public record Stats(
      long completed,
      long failed,
      long aborted,
      long refused,
      long notFound,
      long dropped,
      long wrongTid,
      long duplicateAcks,
      int active) {}

  private final TftpSource source;
  private final Settings settings;
  private final Consumer<String> log;
  private final PriorityQueue<Transfer.Timer> timers = new PriorityQueue<>();
  private final ByteBuffer rx = ByteBuffer.allocateDirect(65536);
  private final ByteBuffer tx = ByteBuffer.allocateDirect(4 + TftpPacket.MAX_BLOCK_SIZE);
  private Selector selector;
  private DatagramChannel listener;
  private Thread loop;
  private volatile boolean closing;

  final Counters count = new Counters();

  public TftpServer(TftpSource source, Settings settings, Consumer<String> log) {
    this.source = source;
    this.settings = settings;
    this.log = log;
  }

  /** The counters behind {@link Stats}: written by the loop thread only, read from any thread. */
  static final class Counters {
    volatile long completed, failed, aborted, refused, notFound, dropped, wrongTid, duplicateAcks;
    volatile int active;

    Stats snapshot() {
      return new Stats(
          completed, failed, aborted, refused, notFound, dropped, wrongTid, duplicateAcks, active);
    }
  }

  /** Binds and starts serving; returns the bound address (port 0 gives an ephemeral port). */
  public synchronized InetSocketAddress start(InetSocketAddress bind) throws IOException {
    if (loop != null) {
      throw new IllegalStateException("already started");
    }
    selector = Selector.open();
    listener = DatagramChannel.open(family(bind));
    try {
      listener.bind(bind);
      listener.configureBlocking(false);
      // Room for a boot storm of requests arriving together (the kernel may cap it lower).
      listener.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      listener.register(selector, SelectionKey.OP_READ);
    } catch (IOException e) {
      listener.close();
      selector.close();
      throw e;
    }
    InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
    loop = new Thread(this::run, "tftp " + bound);
    loop.setDaemon(true);
    loop.start();
    return bound;
  }

  public Stats stats() {
    return count.snapshot();
  }

  /** Stops the loop and closes every socket and file it opened; returns once they are closed. */
  @Override
  public synchronized void close() {
    closing = true;
    if (loop == null) {
      return;
    }
    selector.wakeup();
    try {
      loop.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Settings settings() {
    return settings;
  }

  void log(String line) {
    try {
      log.accept(line);
    } catch (RuntimeException e) {
      // A failing log consumer must not stop the server.
    }
  }

  private void run() {
    try {
      while (!closing) {
        long now = System.nanoTime();
        Transfer.Timer next = timers.peek();
        long waitMillis = next == null ? 0 : Math.max(1, (next.at() - now + 999_999) / 1_000_000);
        selector.select(waitMillis);
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.attachment() instanceof Transfer t) {
            t.readable(rx, tx);
          } else {
            listenerReadable();
          }
        }
        selector.selectedKeys().clear();
        fireTimers();
      }
    } catch (IOException | ClosedSelectorException e) {
      log("tftp server stopped: " + e.getMessage());
    } finally {
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof Transfer t) {
          t.release();
        }
      }
      closeQuietly(listener);
      try {
        selector.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
  }

  private void fireTimers() {
    long now = System.nanoTime();
    Transfer.Timer timer;
    while ((timer = timers.peek()) != null && timer.at() - now <= 0) {
      timers.poll();
      try {
        timer.transfer().timerDue(timer, now, tx);
      } catch (RuntimeException | IOException e) {
        timer.transfer().fail("internal error: " + e);
      }
    }
  }

  void schedule(Transfer.Timer timer) {
    timers.add(timer);
  }

  private void listenerReadable() throws IOException {
    // Drain what is queued, but let transfers and timers run between bursts.
    for (int i = 0; i < 256; i++) {
      rx.clear();
      InetSocketAddress from = (InetSocketAddress) listener.receive(rx);
      if (from == null) {
        return;
      }
      rx.flip();
      try {
        request(from, TftpPacket.decode(rx));
      } catch (TftpCodecException e) {
        count.dropped++;
        log("tftp " + show(from) + " malformed request dropped: " + e.getMessage());
        reply(from, new TftpPacket.Error(TftpPacket.ErrorCode.ILLEGAL_OPERATION, e.getMessage()));
      } catch (IOException | RuntimeException e) {
        count.failed++;
        log("tftp " + show(from) + " request failed: " + e);
        reply(from, new TftpPacket.Error(TftpPacket.ErrorCode.UNDEFINED, "server error"));
      }
    }
  }

  private void request(InetSocketAddress from, TftpPacket packet) throws IOException {
    if (packet instanceof TftpPacket.WriteRequest w) {
      count.refused++;
      log("tftp " + show(from) + " refused WRQ " + w.filename() + ": read-only server");
      reply(from, new TftpPacket.Error(TftpPacket.ErrorCode.ACCESS_VIOLATION, "read-only server"));
      return;
    }
    if (!(packet instanceof TftpPacket.ReadRequest rrq)) {
      // Never answer an ERROR (no loops); the rest are strays for a transfer that is gone.
      count.dropped++;
      log("tftp " + show(from) + " unexpected " + name(packet) + " on the request port dropped");
      return;
    }
    String mode = rrq.mode().toLowerCase(Locale.ROOT);
    if (!mode.equals("octet") && !mode.equals("netascii")) {
      count.refused++;
      log("tftp " + show(from) + " refused " + rrq.filename() + ": mode " + rrq.mode());
      reply(from, new TftpPacket.Error(TftpPacket.ErrorCode.ILLEGAL_OPERATION, "unsupported mode"));
      return;
    }
    Optional<TftpContent> content;
    try {
      content = source.open(rrq.filename(), from);
    } catch (TftpRefusedException e) {
      count.refused++;
      log("tftp " + show(from) + " refused " + rrq.filename() + ": " + e.getMessage());
      reply(from, new TftpPacket.Error(TftpPacket.ErrorCode.ACCESS_VIOLATION, e.getMessage()));
      return;
    }
    if (content.isEmpty()) {
      count.notFound++;
      log("tftp " + show(from) + " RRQ " + rrq.filename() + ": file not found");
      reply(from, new TftpPacket.Error(TftpPacket.ErrorCode.FILE_NOT_FOUND, "file not found"));
      return;
    }
    Negotiation n = Negotiation.of(rrq.options(), content.get().size(), settings);
    DatagramChannel channel = null;
    try {
      channel = DatagramChannel.open(family((InetSocketAddress) listener.getLocalAddress()));
      channel.bind(
          new InetSocketAddress(((InetSocketAddress) listener.getLocalAddress()).getAddress(), 0));
      channel.configureBlocking(false);
      int burst = n.windowSize() * (n.blockSize() + 64);
      if (burst > 200_000) {
        channel.setOption(StandardSocketOptions.SO_SNDBUF, Math.min(burst * 2, 8 << 20));
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      content.get().close();
      throw e;
    }
    Transfer t = new Transfer(this, channel, from, rrq.filename(), content.get(), n);
    count.active++;
    try {
      channel.register(selector, SelectionKey.OP_READ, t);
      t.start(tx);
    } catch (IOException | RuntimeException e) {
      t.fail("could not start: " + e);
    }
  }

  private void reply(InetSocketAddress to, TftpPacket packet) throws IOException {
    tx.clear();
    packet.encode(tx);
    tx.flip();
    listener.send(tx, to);
  }

  static String show(InetSocketAddress a) {
    return a.getAddress() instanceof Inet6Address
        ? "[" + a.getAddress().getHostAddress() + "]:" + a.getPort()
        : a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  static String name(TftpPacket p) {
    return p.getClass().getSimpleName();
  }

  private static StandardProtocolFamily family(InetSocketAddress a) {
    return a.getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET;
  }

  static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // closing on the way out: nothing to do
    }
  }
}
