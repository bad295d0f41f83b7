package io.kickdrift.server.dhcp;

import io.kickdrift.server.render.SiteModel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A DHCP server for PXE boot on one event-loop thread: port 67 and, for the PXE boot-server
 * exchange, port 4011. Answers come from the current site model, so an inventory change applies to
 * the next request.
 *
 * <pre>{@code
 * try (LeaseStore leases = JdbcLeaseStore.open(stateDir);
 *     DhcpServer dhcp =
 *         new DhcpServer(provisioner::site, new Settings(Mode.PROXY, null, 67, 4011, addr), leases,
 *             System.out::println)) {
 *   dhcp.start();
 * }
 * }</pre>
 */
public final class DhcpServer implements AutoCloseable {
  /**
   * {@code PROXY}: answer PXE clients with boot information only, beside another DHCP server that
   * gives addresses. {@code RESERVATIONS}: be the DHCP server, giving inventory hosts their fixed
   * address and other clients a lease from the subnet's range.
   */
  public enum Mode {
    PROXY,
    RESERVATIONS
  }

  /**
   * Where and how to serve: {@code interfaceName} (may be null) supplies the server address when
   * {@code serverAddress} is null; {@code port} is 67 in production (0 binds an ephemeral port, for
   * tests); {@code pxePort} 4011, 0 for off; {@code serverAddress} is sent as server identifier
   * (null: the interface's first IPv4 address, else the site's server address).
   */
  public record Settings(
      Mode mode, String interfaceName, int port, int pxePort, InetAddress serverAddress) {
    public Settings {
      Objects.requireNonNull(mode, "mode");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("dhcp port " + port + " not in 0..65535");
      }
      if (pxePort < 0 || pxePort > 65535) {
        throw new IllegalArgumentException("pxe port " + pxePort + " not in 0..65535 (0 = off)");
      }
      if (serverAddress != null && !(serverAddress instanceof Inet4Address)) {
        throw new IllegalArgumentException("server address " + serverAddress + " is not IPv4");
      }
    }
  }

  /**
   * Counters since start: replies sent, requests ignored (not ours to answer: no PXE vendor class
   * in proxy mode, another server chosen, no free address, RELEASE/DECLINE), datagrams dropped as
   * malformed, and requests that failed (a send or lease-store error).
   */
  public record Stats(long answered, long ignored, long malformed, long failed) {}

  private final Supplier<SiteModel> site;
  private final Settings settings;
  private final LeaseStore leases;
  private final Consumer<String> log;
  private final Clock clock;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(65536);
  private volatile long answered, ignored, malformed, failed;
  private volatile io.kickdrift.server.metrics.ServeMetrics metrics =
      io.kickdrift.server.metrics.ServeMetrics.none();
  private Selector selector;
  private DatagramChannel main;
  private DatagramChannel pxe;

  /** Sends limited broadcasts: bound to the server address, see {@link #openBroadcaster}. */
  private DatagramChannel broadcaster;

  private DhcpPolicy policy;
  private Thread loop;
  private volatile boolean closing;

  public DhcpServer(
      Supplier<SiteModel> site, Settings settings, LeaseStore leases, Consumer<String> log) {
    this(site, settings, leases, log, Clock.systemUTC());
  }

  DhcpServer(
      Supplier<SiteModel> site,
      Settings settings,
      LeaseStore leases,
      Consumer<String> log,
      Clock clock) {
    this.site = site;
    this.settings = settings;
    this.leases = leases;
    this.log = log;
    this.clock = clock;
  }

  /** Binds 0.0.0.0:port (and :pxePort) and starts answering. */
  public synchronized void start() throws IOException {
    if (loop != null) {
      throw new IllegalStateException("already started");
    }
    Inet4Address server = serverAddress();
    policy = new DhcpPolicy(settings.mode(), server, leases, clock);
    selector = Selector.open();
    try {
      main = open(settings.port());
      if (settings.pxePort() != 0) {
        pxe = open(settings.pxePort());
      }
    } catch (IOException e) {
      closeQuietly(main);
      selector.close();
      throw e;
    }
    broadcaster = openBroadcaster(server);
    loop = new Thread(this::run, "dhcp " + server.getHostAddress());
    loop.setDaemon(true);
    loop.start();
    log(
        "dhcp "
            + settings.mode().name().toLowerCase(java.util.Locale.ROOT)
            + " mode on port "
            + port()
            + (pxe == null ? "" : " and " + ((InetSocketAddress) pxe.getLocalAddress()).getPort())
            + ", server id "
            + server.getHostAddress());
  }

  /** The bound DHCP port (the ephemeral one when the settings said 0). */
  int port() throws IOException {
    return ((InetSocketAddress) main.getLocalAddress()).getPort();
  }

  public Stats stats() {
    return new Stats(answered, ignored, malformed, failed);
  }

  /** Stops the loop and closes its sockets; returns once they are closed. */
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

  /**
   * A socket for replies to 255.255.255.255, bound to the server's own address and port. Sent from
   * the wildcard socket, a limited broadcast follows the default route: on a host without one it
   * fails ("Network is unreachable"), and on a host whose default route is another interface it
   * leaves by the wrong one. With the source bound, Linux sends it out of the interface that owns
   * the address. Being the more specific binding, it also receives the requests sent to the server
   * address itself, so it is read like the others. Null (replies go out of the wildcard socket)
   * when the address is not local.
   */
  private DatagramChannel openBroadcaster(Inet4Address server) {
    DatagramChannel c = null;
    try {
      c = DatagramChannel.open(StandardProtocolFamily.INET);
      c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      c.setOption(StandardSocketOptions.SO_BROADCAST, true);
      c.bind(new InetSocketAddress(server, port()));
      // Unicast to the server address (relays, renewals) now arrives here, the better match.
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
      return c;
    } catch (IOException e) {
      closeQuietly(c);
      log(
          "dhcp: cannot bind "
              + server.getHostAddress()
              + " for broadcasts ("
              + e.getMessage()
              + "); they follow the routing table");
      return null;
    }
  }

  private DatagramChannel open(int port) throws IOException {
    DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      c.setOption(StandardSocketOptions.SO_BROADCAST, true);
      c.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      c.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port));
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
      return c;
    } catch (IOException e) {
      c.close();
      throw e;
    }
  }

  private Inet4Address serverAddress() throws IOException {
    if (settings.serverAddress() != null) {
      return (Inet4Address) settings.serverAddress();
    }
    if (settings.interfaceName() != null) {
      NetworkInterface nic = NetworkInterface.getByName(settings.interfaceName());
      if (nic == null) {
        throw new SocketException("no network interface " + settings.interfaceName());
      }
      Optional<Inet4Address> a =
          Collections.list(nic.getInetAddresses()).stream()
              .filter(Inet4Address.class::isInstance)
              .map(Inet4Address.class::cast)
              .findFirst();
      return a.orElseThrow(
          () -> new SocketException(settings.interfaceName() + " has no IPv4 address"));
    }
    try {
      return DhcpPacket.ipv4(site.get().serverAddress());
    } catch (IllegalArgumentException e) {
      throw new SocketException(
          "server address " + site.get().serverAddress() + " is not an IPv4 address; set one");
    }
  }

  private void run() {
    long nextExpiry = 0;
    try {
      while (!closing) {
        selector.select(1000);
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isReadable()) {
            readable((DatagramChannel) key.channel());
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - nextExpiry >= 0) {
          nextExpiry = now + Duration.ofMinutes(1).toNanos();
          expireLeases();
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      log("dhcp server stopped: " + e.getMessage());
    } finally {
      closeQuietly(main);
      closeQuietly(pxe);
      closeQuietly(broadcaster);
      try {
        selector.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
  }

  private void expireLeases() {
    try {
      leases.expire(clock.instant());
    } catch (RuntimeException e) {
      log("dhcp lease expiry failed: " + e.getMessage());
    }
  }

  private void readable(DatagramChannel channel) throws IOException {
    // Drain a burst, but let the other port have its turn.
    for (int i = 0; i < 256; i++) {
      rx.clear();
      InetSocketAddress from = (InetSocketAddress) channel.receive(rx);
      if (from == null) {
        return;
      }
      rx.flip();
      DhcpPacket request;
      try {
        request = DhcpPacket.decode(rx);
      } catch (DhcpCodecException e) {
        malformed++;
        metrics.dhcpPacket("malformed", "dropped");
        log("dhcp " + show(from) + " malformed packet dropped: " + e.getMessage());
        continue;
      }
      try {
        Optional<DhcpPolicy.Reply> reply = policy.answer(request, from, channel == pxe, site.get());
        if (reply.isEmpty()) {
          ignored++;
          metrics.dhcpPacket(type(request), "ignored");
          continue;
        }
        InetSocketAddress to = reply.get().to();
        boolean limitedBroadcast =
            to.getAddress() != null && to.getAddress().getHostAddress().equals("255.255.255.255");
        DatagramChannel out = limitedBroadcast && broadcaster != null ? broadcaster : channel;
        out.send(reply.get().packet().encode(), to);
        answered++;
        metrics.dhcpPacket(type(request), "answered");
        log(reply.get().log());
      } catch (io.kickdrift.server.state.StateException e) {
        // reservations need no database; a dynamic lease that cannot be recorded is not given
        failed++;
        metrics.dhcpPacket(type(request), "failed");
        log(
            "dhcp "
                + show(from)
                + " "
                + request.mac()
                + ": no dynamic lease while the state database is unavailable ("
                + e.getMessage()
                + ")");
      } catch (IOException | RuntimeException e) {
        failed++;
        metrics.dhcpPacket(type(request), "failed");
        log("dhcp " + show(from) + " request from " + request.mac() + " failed: " + e);
      }
    }
  }

  /** Counts each packet by message type and outcome in {@code metrics} (none until called). */
  public void measure(io.kickdrift.server.metrics.ServeMetrics metrics) {
    this.metrics = metrics;
  }

  private static String type(DhcpPacket p) {
    return p.messageType().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).orElse("bootp");
  }

  private void log(String line) {
    try {
      log.accept(line);
    } catch (RuntimeException e) {
      // A failing log consumer must not stop the server.
    }
  }

  private static String show(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static void closeQuietly(java.io.Closeable c) {
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
