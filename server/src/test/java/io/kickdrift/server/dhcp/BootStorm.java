package io.kickdrift.server.dhcp;

import io.kickdrift.server.dhcp.DhcpPacket.MessageType;
import io.kickdrift.server.tftp.TftpPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A boot storm for bench/boot-storm.sh, run inside the clients' network namespace: {@code BootStorm
 * CLIENTS PER_SECOND SECONDS LOADER_BYTES}. Client {@code i} (1..CLIENTS) has MAC {@code
 * 52:54:00:5b:HI:LO}; clients start at PER_SECOND, each on its own thread, and each does what a
 * BIOS PXE ROM and pxelinux do:
 *
 * <ol>
 *   <li>{@code dhcp}: DISCOVER (broadcast, {@code PXEClient} arch 0), REQUEST of the first OFFER,
 *       ACK; again from DISCOVER after a NAK or 2 s of silence;
 *   <li>{@code loader}: TFTP of the OFFER's boot file from its next server with blksize 1428 and
 *       windowsize 16 (lockstep when the server does not take the option); it must be LOADER_BYTES
 *       long;
 *   <li>{@code menu}: TFTP of {@code pxelinux.cfg/01-MAC} from the same server;
 *   <li>{@code kickstart}: HTTP GET of the menu's {@code inst.ks=} URL, which must answer 200 with
 *       a {@code %packages} section;
 * </ol>
 *
 * then a RELEASE, so that the address goes back to the range: a /24 holds a thousand clients only
 * in turns. TFTP and HTTP go out from the leased address, as a machine's would (servers limit
 * transfers per client address), so the clients' interface must hold every address of the range. A
 * lost TFTP block is asked for again after 1 s (ACK of the last block in order), as ROMs do. Prints
 * {@code ok MAC SERVER DHCP LOADER MENU KICKSTART} (milliseconds) or {@code fail MAC STEP WHY} per
 * client as it ends, then p50/p99/max per step, the clients per server, and {@code done OK FAILED
 * WALL_MS}. A client that has not finished SECONDS after the storm began fails.
 */
public final class BootStorm {
  private BootStorm() {}

  /** The steps of one boot, in order. */
  enum Step {
    DHCP,
    LOADER,
    MENU,
    KICKSTART
  }

  /** How one client's boot ended: the milliseconds per step, or the step that failed and why. */
  record Outcome(String mac, String server, long[] millis, Step failed, String why) {
    String line() {
      if (failed != null) {
        return "fail " + mac + " " + failed.name().toLowerCase() + " " + why;
      }
      StringBuilder b = new StringBuilder("ok " + mac + " " + server);
      for (long m : millis) {
        b.append(' ').append(m);
      }
      return b.toString();
    }
  }

  /** A step that went wrong, and why. */
  private static final class StepFailed extends Exception {
    StepFailed(String why) {
      super(why);
    }
  }

  private static final Pattern KICKSTART = Pattern.compile("inst\\.ks=(\\S+)");

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    int perSecond = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    long loaderBytes = Long.parseLong(args[3]);
    ExecutorService threads = Executors.newCachedThreadPool();
    List<Future<Outcome>> outcomes = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    try (DhcpLine dhcp = new DhcpLine()) {
      for (int i = 1; i <= count; i++) {
        long due = start + (i - 1) * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        Client c = new Client(i, dhcp, loaderBytes, deadline);
        outcomes.add(threads.submit(c::boot));
      }
      List<Outcome> done = new ArrayList<>();
      for (Future<Outcome> f : outcomes) {
        done.add(f.get());
      }
      long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      summary(done, wall);
    } finally {
      threads.shutdownNow();
    }
  }

  private static void summary(List<Outcome> outcomes, long wallMillis) {
    List<Outcome> ok = outcomes.stream().filter(o -> o.failed() == null).toList();
    System.out.printf("%-10s %8s %8s %8s%n", "step", "p50 ms", "p99 ms", "max ms");
    for (int s = 0; s <= Step.values().length; s++) {
      int step = s;
      long[] ms =
          ok.stream()
              .mapToLong(
                  o ->
                      step < Step.values().length
                          ? o.millis()[step]
                          : Arrays.stream(o.millis()).sum())
              .sorted()
              .toArray();
      String name = step < Step.values().length ? Step.values()[step].name().toLowerCase() : "boot";
      System.out.printf(
          "%-10s %8d %8d %8d%n",
          name, rank(ms, 50), rank(ms, 99), ms.length == 0 ? 0 : ms[ms.length - 1]);
    }
    Map<String, Integer> byServer = new TreeMap<>();
    ok.forEach(o -> byServer.merge(o.server(), 1, Integer::sum));
    System.out.println("servers " + byServer);
    System.out.println(
        "done " + ok.size() + " " + (outcomes.size() - ok.size()) + " " + wallMillis);
  }

  /** The nearest-rank percentile {@code p} of sorted {@code ms}; 0 when empty. */
  static long rank(long[] ms, int p) {
    if (ms.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * ms.length) - 1;
    return ms[Math.max(0, Math.min(ms.length - 1, i))];
  }

  /** One simulated machine. */
  private record Client(int index, DhcpLine dhcp, long loaderBytes, long deadline) {
    String mac() {
      return String.format("52:54:00:5b:%02x:%02x", index / 256, index % 256);
    }

    Outcome boot() {
      String mac = mac();
      long[] millis = new long[Step.values().length];
      Step step = Step.DHCP;
      String server = "-";
      DhcpPacket ack = null;
      try {
        long t = System.nanoTime();
        ack = dhcp.bind(mac, 0x5b000000 + index, deadline);
        server = ack.serverId().map(Inet4Address::getHostAddress).orElse("-");
        millis[0] = since(t);
        InetSocketAddress tftp = new InetSocketAddress(ack.siaddr(), 69);

        step = Step.LOADER;
        t = System.nanoTime();
        byte[] loader = Tftp.get(ack.yiaddr(), tftp, ack.file(), 16, deadline);
        if (loader.length != loaderBytes) {
          throw new StepFailed(ack.file() + " is " + loader.length + " bytes, not " + loaderBytes);
        }
        millis[1] = since(t);

        step = Step.MENU;
        t = System.nanoTime();
        String name = "pxelinux.cfg/01-" + mac.replace(':', '-');
        String menu =
            new String(Tftp.get(ack.yiaddr(), tftp, name, 16, deadline), StandardCharsets.UTF_8);
        millis[2] = since(t);

        step = Step.KICKSTART;
        t = System.nanoTime();
        Matcher ks = KICKSTART.matcher(menu);
        if (!ks.find()) {
          throw new StepFailed(name + " has no inst.ks=");
        }
        Http.get(ack.yiaddr(), URI.create(ks.group(1)), "%packages", deadline);
        millis[3] = since(t);
        Outcome o = new Outcome(mac, server, millis, null, null);
        print(o);
        return o;
      } catch (StepFailed | IOException | InterruptedException | RuntimeException e) {
        Outcome o = new Outcome(mac, server, millis, step, String.valueOf(e.getMessage()));
        print(o);
        return o;
      } finally {
        // a failed client gives its address back too: the range is small, and a held address
        // would slow every client after it
        if (ack != null) {
          try {
            dhcp.release(mac, 0x5b000000 + index, ack);
          } catch (IOException e) {
            System.err.println(mac + ": RELEASE not sent: " + e.getMessage());
          }
        }
      }
    }

    private static long since(long t) {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
    }

    private static synchronized void print(Outcome o) {
      System.out.println(o.line());
      System.out.flush();
    }
  }

  /**
   * The clients' one DHCP socket (udp 68, broadcast): a thread hands each reply to the client whose
   * transaction it answers.
   */
  private static final class DhcpLine implements AutoCloseable {
    private static final InetSocketAddress SERVERS = new InetSocketAddress("255.255.255.255", 67);
    private final DatagramChannel channel;
    private final Map<Integer, BlockingQueue<DhcpPacket>> waiting = new ConcurrentHashMap<>();
    private final Thread reader;

    DhcpLine() throws IOException {
      channel = DatagramChannel.open();
      channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      channel.bind(new InetSocketAddress("0.0.0.0", 68));
      reader = new Thread(this::read, "dhcp-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      ByteBuffer rx = ByteBuffer.allocate(2048);
      try {
        while (channel.isOpen()) {
          RawDhcpClient.Reply reply = RawDhcpClient.receive(channel, rx);
          if (reply != null) {
            BlockingQueue<DhcpPacket> q = waiting.get(reply.packet().xid());
            if (q != null) {
              q.offer(reply.packet());
            }
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    /** DISCOVER, REQUEST and the ACK for {@code mac}, as a ROM retries them, until the deadline. */
    DhcpPacket bind(String mac, int xid, long deadline)
        throws IOException, InterruptedException, StepFailed {
      BlockingQueue<DhcpPacket> replies = new ArrayBlockingQueue<>(64);
      waiting.put(xid, replies);
      try {
        while (System.nanoTime() < deadline) {
          send(Requests.discover(mac).pxe(0).xid(xid).build(), SERVERS);
          DhcpPacket offer = next(replies, MessageType.OFFER, null);
          if (offer == null) {
            continue;
          }
          String server = offer.serverId().map(Inet4Address::getHostAddress).orElse(null);
          if (server == null) {
            throw new StepFailed("OFFER without a server identifier");
          }
          send(
              Requests.request(mac, offer.yiaddr().getHostAddress())
                  .pxe(0)
                  .xid(xid)
                  .ip(DhcpPacket.SERVER_ID, server)
                  .build(),
              SERVERS);
          DhcpPacket answer = next(replies, MessageType.ACK, MessageType.NAK);
          if (answer != null && answer.messageType().orElse(null) == MessageType.ACK) {
            return answer;
          }
        }
        throw new StepFailed("no lease before the deadline");
      } finally {
        waiting.remove(xid);
      }
    }

    /** The next reply of type {@code a} or {@code b} within 2 s; null when none came. */
    private static DhcpPacket next(BlockingQueue<DhcpPacket> q, MessageType a, MessageType b)
        throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      long left;
      while ((left = until - System.nanoTime()) > 0) {
        DhcpPacket p = q.poll(left, TimeUnit.NANOSECONDS);
        if (p == null) {
          return null;
        }
        MessageType t = p.messageType().orElse(null);
        if (t == a || (b != null && t == b)) {
          return p;
        }
      }
      return null;
    }

    /** Gives the address of {@code ack} back to the server that leased it. */
    void release(String mac, int xid, DhcpPacket ack) throws IOException {
      Inet4Address server = ack.serverId().orElseThrow();
      send(
          Requests.of(MessageType.RELEASE)
              .mac(mac)
              .xid(xid)
              .unicast()
              .ciaddr(ack.yiaddr().getHostAddress())
              .ip(DhcpPacket.SERVER_ID, server.getHostAddress())
              .build(),
          new InetSocketAddress(server, 67));
    }

    private void send(DhcpPacket p, InetSocketAddress to) throws IOException {
      channel.send(p.encode(), to);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** An installer's fetch of its kickstart: one connection, from its own address, closed after. */
  static final class Http {
    private Http() {}

    /**
     * GETs {@code url} from {@code local}; fails unless it answers 200 with {@code expect} in it.
     */
    static void get(Inet4Address local, URI url, String expect, long deadline)
        throws IOException, StepFailed {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(local, 0));
        s.connect(
            new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()),
            left(url, deadline));
        s.setSoTimeout(left(url, deadline));
        String request =
            "GET "
                + url.getRawPath()
                + " HTTP/1.1\r\nHost: "
                + url.getHost()
                + "\r\nUser-Agent: BootStorm\r\nConnection: close\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        // ISO-8859-1: one char per byte, so chunk sizes (in bytes) count chars
        String response =
            new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        int head = response.indexOf("\r\n\r\n");
        String status = response.isEmpty() ? "nothing" : response.lines().findFirst().orElse("");
        if (head < 0 || !status.startsWith("HTTP/1.1 200")) {
          throw new StepFailed(url + " answered " + status);
        }
        String body = response.substring(head + 4);
        if (response.substring(0, head).toLowerCase().contains("transfer-encoding: chunked")) {
          body = unchunked(body);
        }
        if (!body.contains(expect)) {
          throw new StepFailed(url + " has no " + expect);
        }
      }
    }

    /** The milliseconds left before {@code deadline}, at least one; past it, a failure. */
    private static int left(URI url, long deadline) throws StepFailed {
      long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (ms <= 0) {
        throw new StepFailed(url + ": the storm's deadline passed");
      }
      return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /**
     * A chunked body's data (RFC 9112 section 7.1), trailers dropped; {@code chunked} holds one
     * char per byte (ISO-8859-1), as chunk sizes count bytes.
     */
    static String unchunked(String chunked) {
      StringBuilder out = new StringBuilder();
      int at = 0;
      while (true) {
        int eol = chunked.indexOf("\r\n", at);
        int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].strip(), 16);
        if (size == 0) {
          return out.toString();
        }
        out.append(chunked, eol + 2, eol + 2 + size);
        at = eol + 2 + size + 2;
      }
    }
  }

  /** A TFTP client as a PXE ROM is one: windowed (RFC 7440), asking again after 1 s of silence. */
  static final class Tftp {
    private Tftp() {}

    /** The whole of {@code file} from {@code server} to {@code local}, or why not. */
    static byte[] get(
        Inet4Address local, InetSocketAddress server, String file, int window, long deadline)
        throws IOException, StepFailed {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
        s.setReceiveBufferSize(1 << 20);
        s.setSoTimeout(1000);
        byte[] rrq =
            bytes(
                new TftpPacket.ReadRequest(
                    file,
                    "octet",
                    List.of(
                        new TftpPacket.Option("blksize", "1428"),
                        new TftpPacket.Option("windowsize", Integer.toString(window)))));
        s.send(new DatagramPacket(rrq, rrq.length, server));
        InetSocketAddress peer = null;
        int blockSize = 512;
        int windowSize = 1;
        long expected = 1;
        int sinceAck = 0;
        boolean gapAcked = false;
        int silences = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (true) {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          try {
            s.receive(p);
          } catch (SocketTimeoutException e) {
            if (++silences > 10 || System.nanoTime() > deadline) {
              throw new StepFailed(file + ": no answer after block " + (expected - 1));
            }
            if (peer == null) {
              s.send(new DatagramPacket(rrq, rrq.length, server));
            } else {
              send(s, new TftpPacket.Ack((int) ((expected - 1) & 0xFFFF)), peer);
            }
            continue;
          }
          InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
          if (peer != null && !peer.equals(from)) {
            continue; // a second transfer started by a repeated RRQ: the first one counts
          }
          TftpPacket packet;
          try {
            packet = TftpPacket.decode(ByteBuffer.wrap(buf, 0, p.getLength()));
          } catch (IOException e) { // the codec's error: not TFTP
            throw new StepFailed(file + ": " + e.getMessage());
          }
          peer = from;
          silences = 0;
          if (System.nanoTime() > deadline) {
            throw new StepFailed(file + ": the storm's deadline passed at block " + expected);
          }
          if (packet instanceof TftpPacket.Error e) {
            throw new StepFailed(file + ": ERROR " + e.code() + " " + e.message());
          } else if (packet instanceof TftpPacket.OptionAck o) {
            for (TftpPacket.Option opt : o.options()) {
              if (opt.name().equalsIgnoreCase("blksize")) {
                blockSize = Integer.parseInt(opt.value());
              } else if (opt.name().equalsIgnoreCase("windowsize")) {
                windowSize = Integer.parseInt(opt.value());
              }
            }
            send(s, new TftpPacket.Ack(0), peer);
          } else if (packet instanceof TftpPacket.Data d) {
            if (d.block() != (int) (expected & 0xFFFF)) {
              if (!gapAcked) { // out of order or a repeat: where we are, once per gap
                send(s, new TftpPacket.Ack((int) ((expected - 1) & 0xFFFF)), peer);
                gapAcked = true;
                sinceAck = 0;
              }
              continue;
            }
            gapAcked = false;
            out.write(d.bytes());
            boolean last = d.bytes().length < blockSize;
            if (last || ++sinceAck == windowSize) {
              send(s, new TftpPacket.Ack(d.block()), peer);
              sinceAck = 0;
            }
            if (last) {
              return out.toByteArray();
            }
            expected++;
          }
        }
      }
    }

    private static void send(DatagramSocket s, TftpPacket p, InetSocketAddress to)
        throws IOException {
      byte[] b = bytes(p);
      s.send(new DatagramPacket(b, b.length, to));
    }

    private static byte[] bytes(TftpPacket p) {
      ByteBuffer b = p.encode();
      byte[] a = new byte[b.remaining()];
      b.get(a);
      return a;
    }
  }
}
