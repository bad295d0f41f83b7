package io.kickdrift.server.tftp;

import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.guard.ServedRoot;
import io.kickdrift.server.logs.LogFields;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
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
  /** The message of the ERROR 0 that turns a request away when the server is at a limit. */
  public static final String BUSY = "server busy, try again later";

  /**
   * Limits: {@code timeout} before the first retransmission (doubled on each retry, up to 8x),
   * {@code retries} before a transfer is given up, the largest block and window granted; {@code
   * maxTransfers} at once in all, {@code maxPerClient} at once per client address, and {@code
   * priorityReserve} of the total kept for requests the source marks as priority (a known machine's
   * menu). The server lowers the total further when the process's file-descriptor limit is too low
   * for it (see docs/tftp.md).
   */
  public record Settings(
      Duration timeout,
      int retries,
      int maxBlockSize,
      int maxWindowSize,
      int maxTransfers,
      int maxPerClient,
      int priorityReserve) {
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
      if (maxTransfers < 1 || maxTransfers > 1_000_000) {
        throw new IllegalArgumentException("maxTransfers not in 1..1000000: " + maxTransfers);
      }
      if (maxPerClient < 1 || maxPerClient > maxTransfers) {
        throw new IllegalArgumentException(
            "maxPerClient not in 1..maxTransfers (" + maxTransfers + "): " + maxPerClient);
      }
      if (priorityReserve < 0 || priorityReserve >= maxTransfers) {
        throw new IllegalArgumentException(
            "priorityReserve not in 0..maxTransfers-1 ("
                + (maxTransfers - 1)
                + "): "
                + priorityReserve);
      }
    }

    /**
     * 1 s timeout, 5 retries, blocks up to 65464 bytes, windows up to 64 blocks; 2048 transfers at
     * once, 8 per client address, 64 of them kept for known machines' menus.
     */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(1), 5, TftpPacket.MAX_BLOCK_SIZE, 64, 2048, 8, 64);
    }

    /** These settings with other transfer limits. */
    public Settings withLimits(int maxTransfers, int maxPerClient, int priorityReserve) {
      return new Settings(
          timeout,
          retries,
          maxBlockSize,
          maxWindowSize,
          maxTransfers,
          maxPerClient,
          priorityReserve);
    }
  }

  /**
   * Counters since start: transfers completed, failed (timed out or unreadable) and aborted by the
   * client (ERROR from it, such as a ROM refusing the OACK after asking for tsize); requests
   * refused (outside the root, WRQ, unsupported mode), for missing files, and turned away busy
   * (over a transfer limit, or out of file descriptors); packets dropped as malformed or
   * unexpected, from a wrong TID, and duplicate ACKs ignored; blocks sent again; transfers active
   * now.
   */
  public record Stats(
      long completed,
      long failed,
      long aborted,
      long refused,
      long notFound,
      long busy,
      long dropped,
      long wrongTid,
      long duplicateAcks,
      long resent,
      int active) {}

  private final TftpSource source;
  private final Settings settings;
  private final Consumer<String> log;

  /** Each request as it comes, before any answer: {@code --log-level tftp=debug}. */
  private static final org.slf4j.Logger DEBUG = org.slf4j.LoggerFactory.getLogger(TftpServer.class);

  private volatile io.kickdrift.server.metrics.ServeMetrics metrics =
      io.kickdrift.server.metrics.ServeMetrics.none();
  private final PriorityQueue<Transfer.Timer> timers = new PriorityQueue<>();
  private final ByteBuffer rx = ByteBuffer.allocateDirect(65536);
  private final ByteBuffer tx = ByteBuffer.allocateDirect(4 + TftpPacket.MAX_BLOCK_SIZE);
  private Selector selector;
  private DatagramChannel listener;
  private Thread loop;
  private volatile boolean closing;
  private final long descriptorLimit;
  private final Admission admission;
  private final Busy busy = new Busy(this::load);

  final Counters count = new Counters();

  public TftpServer(TftpSource source, Settings settings, Consumer<String> log) {
    this(source, settings, log, descriptorLimit());
  }

  /** With the file-descriptor limit given, not read from the process (0: unknown). */
  TftpServer(TftpSource source, Settings settings, Consumer<String> log, long descriptorLimit) {
    this.source = source;
    this.settings = settings;
    this.log = log;
    this.descriptorLimit = descriptorLimit;
    this.admission = Admission.of(settings, descriptorLimit);
  }

  /**
   * The process's limit on open files (RLIMIT_NOFILE), or 0 where it cannot be told: from
   * /proc/self/limits on Linux (the management beans cost serve a tenth of a second at start), else
   * from the JVM.
   */
  static long descriptorLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        OptionalLong soft = softOpenFiles(line);
        if (soft.isPresent()) {
          return soft.getAsLong();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc: ask the JVM
    }
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : 0;
  }

  /** The soft limit of a {@code Max open files SOFT HARD files} line of /proc/self/limits. */
  static OptionalLong softOpenFiles(String line) {
    if (!line.startsWith("Max open files")) {
      return OptionalLong.empty();
    }
    String[] words = line.substring("Max open files".length()).trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return OptionalLong.empty();
    }
    return words[0].equals("unlimited")
        ? OptionalLong.of(Long.MAX_VALUE)
        : OptionalLong.of(Long.parseLong(words[0]));
  }

  /** The counters behind {@link Stats}: written by the loop thread only, read from any thread. */
  static final class Counters {
    volatile long completed, failed, aborted, refused, notFound, busy;
    volatile long dropped, wrongTid, duplicateAcks, resent;
    volatile int active;

    Stats snapshot() {
      return new Stats(
          completed,
          failed,
          aborted,
          refused,
          notFound,
          busy,
          dropped,
          wrongTid,
          duplicateAcks,
          resent,
          active);
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
    log(
        "tftp limits: "
            + admission.total()
            + " transfers at once, "
            + admission.perClient()
            + " per client address, "
            + admission.reserve()
            + " of them kept for known machines' menus"
            + (admission.total() < settings.maxTransfers()
                ? " (lowered from "
                    + settings.maxTransfers()
                    + " to fit the limit of "
                    + descriptorLimit
                    + " open files; raise it, e.g. LimitNOFILE=, for more)"
                : ""));
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

  /** Counts each transfer's end, bytes and time in {@code metrics} (none until called). */
  public void measure(io.kickdrift.server.metrics.ServeMetrics metrics) {
    this.metrics = metrics;
  }

  void ended(boolean ok, long bytes, long nanos) {
    metrics.tftpTransfer(ok, bytes, nanos);
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
        log("tftp " + show(from) + " malformed request dropped: " + LogText.of(e.getMessage()));
        reply(from, error(TftpPacket.ErrorCode.ILLEGAL_OPERATION, e.getMessage()));
      } catch (IOException | RuntimeException e) {
        count.failed++;
        log("tftp " + show(from) + " request failed: " + LogText.of(e.toString()));
        reply(from, error(TftpPacket.ErrorCode.UNDEFINED, "server error"));
      }
    }
  }

  private void request(InetSocketAddress from, TftpPacket packet) throws IOException {
    String path =
        packet instanceof TftpPacket.ReadRequest r
            ? LogText.of(r.filename())
            : packet instanceof TftpPacket.WriteRequest w ? LogText.of(w.filename()) : null;
    try (LogFields f = LogFields.of("peer", show(from), "path", path)) {
      DEBUG.debug("tftp {} {} {}", show(from), name(packet), path);
      answer(from, packet);
    }
  }

  private void answer(InetSocketAddress from, TftpPacket packet) throws IOException {
    if (packet instanceof TftpPacket.WriteRequest w) {
      count.refused++;
      log("tftp " + show(from) + " refused WRQ " + LogText.of(w.filename()) + ": read-only server");
      reply(from, error(TftpPacket.ErrorCode.ACCESS_VIOLATION, "read-only server"));
      return;
    }
    if (!(packet instanceof TftpPacket.ReadRequest rrq)) {
      // Never answer an ERROR (no loops); the rest are strays for a transfer that is gone.
      count.dropped++;
      log("tftp " + show(from) + " unexpected " + name(packet) + " on the request port dropped");
      return;
    }
    String shown = LogText.of(rrq.filename());
    int nameBytes = rrq.filename().getBytes(StandardCharsets.UTF_8).length;
    if (!couldBeAFile(rrq.filename(), nameBytes)) {
      // No file has such a name: not found, whatever the source would make of it.
      count.notFound++;
      log("tftp " + show(from) + " RRQ " + shown + ": file not found (" + nameBytes + " bytes)");
      reply(from, error(TftpPacket.ErrorCode.FILE_NOT_FOUND, "file not found"));
      return;
    }
    String mode = rrq.mode().toLowerCase(Locale.ROOT);
    if (!mode.equals("octet") && !mode.equals("netascii")) {
      count.refused++;
      log("tftp " + show(from) + " refused " + shown + ": mode " + LogText.of(rrq.mode()));
      reply(from, error(TftpPacket.ErrorCode.ILLEGAL_OPERATION, "unsupported mode"));
      return;
    }
    Admission.Verdict verdict = admission.admit(from.getAddress(), () -> priority(rrq, from));
    if (verdict != Admission.Verdict.ADMITTED) {
      busy(from, verdict == Admission.Verdict.OVER_CLIENT ? Busy.Why.CLIENT : Busy.Why.TOTAL);
      return;
    }
    boolean started = false;
    try {
      started = open(from, rrq, shown);
    } catch (IOException e) {
      if (!outOfDescriptors(e)) {
        throw e;
      }
      busy(from, Busy.Why.DESCRIPTORS);
    } finally {
      if (!started) {
        admission.release(from.getAddress());
      }
    }
  }

  /** Opens the content and starts its transfer; false when there is none to start. */
  private boolean open(InetSocketAddress from, TftpPacket.ReadRequest rrq, String shown)
      throws IOException {
    Optional<TftpContent> content;
    try {
      content = source.open(rrq.filename(), from);
    } catch (TftpRefusedException e) {
      count.refused++;
      log("tftp " + show(from) + " refused " + shown + ": " + LogText.of(e.getMessage()));
      reply(from, error(TftpPacket.ErrorCode.ACCESS_VIOLATION, e.getMessage()));
      return false;
    }
    if (content.isEmpty()) {
      count.notFound++;
      log("tftp " + show(from) + " RRQ " + shown + ": file not found");
      reply(from, error(TftpPacket.ErrorCode.FILE_NOT_FOUND, "file not found"));
      return false;
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
    Transfer t = new Transfer(this, channel, from, shown, content.get(), n);
    count.active++;
    try {
      channel.register(selector, SelectionKey.OP_READ, t);
      t.start(tx);
    } catch (IOException | RuntimeException e) {
      t.fail("could not start: " + LogText.of(e.toString()));
    }
    return true;
  }

  /** Whether the source puts this request first; a source that fails to say is taken as no. */
  private boolean priority(TftpPacket.ReadRequest rrq, InetSocketAddress from) {
    try {
      return source.priority(rrq.filename(), from);
    } catch (RuntimeException e) {
      log(
          "tftp priority of "
              + LogText.of(rrq.filename())
              + " unknown: "
              + LogText.of(e.toString()));
      return false;
    }
  }

  /**
   * Whether a file could have this name: within Linux's PATH_MAX and NAME_MAX (as {@link
   * ServedRoot} checks too), so that no source is asked for a name the OS would throw on.
   */
  private static boolean couldBeAFile(String name, int bytes) {
    if (bytes > ServedRoot.MAX_NAME) {
      return false;
    }
    int segment = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/') {
        segment = 0;
      } else {
        // UTF-8 length of this char: 1..3 bytes, a surrogate pair 2 + 2
        segment += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        if (segment > ServedRoot.MAX_SEGMENT) {
          return false;
        }
      }
    }
    return true;
  }

  /** EMFILE or ENFILE, as the JDK reports them (only in the message), anywhere in the causes. */
  static boolean outOfDescriptors(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Too many open files")) {
        return true;
      }
    }
    return false;
  }

  /** Turns a request away with ERROR 0 "server busy" (see docs/tftp.md for why that code). */
  private void busy(InetSocketAddress from, Busy.Why why) throws IOException {
    count.busy++;
    reply(from, error(TftpPacket.ErrorCode.UNDEFINED, BUSY));
    busy.refused(why, System.nanoTime()).ifPresent(this::log);
  }

  /** Called by a transfer once it has closed its socket and content. */
  void released(InetSocketAddress client) {
    admission.release(client.getAddress());
    if (count.active == 0 && !closing) {
      busy.idle(System.nanoTime()).ifPresent(this::log);
    }
  }

  /** The busy log line's facts: what the limits are and how many run. */
  String load() {
    return count.active
        + " active of "
        + admission.total()
        + " ("
        + admission.perClient()
        + " per client, "
        + admission.reserve()
        + " kept for known machines' menus)";
  }

  /** An ERROR packet whose message fits one datagram and one log line whatever it quotes. */
  static TftpPacket.Error error(TftpPacket.ErrorCode code, String message) {
    return new TftpPacket.Error(code, LogText.of(message));
  }

  private void reply(InetSocketAddress to, TftpPacket packet) throws IOException {
    tx.clear();
    packet.encode(tx);
    tx.flip();
    listener.send(tx, to);
  }

  /** {@code a} as logs print it: {@code 192.0.2.1:69}, {@code [2001:db8::1]:69}. */
  public static String show(InetSocketAddress a) {
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
