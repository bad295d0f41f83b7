package io.kickdrift.server.serve;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.state.SecretFile;
import io.kickdrift.agent.state.StateDir;
import io.kickdrift.server.dhcp.DhcpServer;
import io.kickdrift.server.dhcp.JdbcLeaseStore;
import io.kickdrift.server.dhcp.LeaseStore;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.loaders.Manifest;
import io.kickdrift.server.logs.Component;
import io.kickdrift.server.metrics.ServeMetrics;
import io.kickdrift.server.render.CallbackTokens;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import io.kickdrift.server.state.Database;
import io.kickdrift.server.state.JdbcStateStore;
import io.kickdrift.server.state.LastKnownState;
import io.kickdrift.server.state.StateStore;
import io.kickdrift.server.tftp.TftpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One running {@code serve}: the state database, the provisioner, the TFTP and HTTP listeners.
 * {@link #close} stops them in reverse order.
 */
public final class Serve implements AutoCloseable {
  /**
   * What serve was asked for; null fields take the inventory's values ({@code desired} null: no
   * desired state in the kickstarts; {@code database} null: SQLite in {@code state}).
   */
  public record Options(
      Path inventory,
      Path state,
      Path root,
      Path templates,
      InetAddress bind,
      Integer tftpPort,
      Integer httpPort,
      DhcpServer.Mode dhcp,
      String dhcpInterface,
      io.kickdrift.server.fleet.BaselineScans.Settings baseline,
      boolean dnsSync,
      Https https,
      Console console,
      Desired desired,
      io.kickdrift.server.state.DatabaseUrl database) {}

  /**
   * The desired-state tree kickstarts lay down (docs/desired-state.md) and what opens its encrypted
   * secrets (may be null).
   */
  public record Desired(Path dir, io.kickdrift.agent.repo.Restore.Decryptor decryptor) {}

  /**
   * Who may use the console and API: the users file, the login limits, how long an unused session
   * lives. Null in {@link Options}: the admin token alone (tests of other parts).
   */
  public record Console(
      Path users, io.kickdrift.server.access.LoginGuard.Limits limits, java.time.Duration idle) {}

  /** The console's and API's HTTPS: the PEM certificate chain, its key, the port (0: any). */
  public record Https(Path cert, Path key, int port) {}

  private final StateStore state;
  private final Provisioner provisioner;
  private final LeaseStore leases;
  private final DhcpServer dhcp;
  private io.kickdrift.server.fleet.BaselineScans baseline;
  private DnsUpkeep dns;
  private final TftpServer tftp;
  private final HttpFront http;
  private final InetSocketAddress tftpAddress;
  private final InetSocketAddress httpAddress;
  private final ServeMetrics metrics;
  private final AtomicReference<String> notReady;
  private io.kickdrift.server.access.AccessControl accessControl;

  /** The other servers' changes to the state, as the database tells them (none on SQLite). */
  private AutoCloseable listening;

  /** The inventory, then the TLS certificate: what SIGHUP and POST /api/v1/reload re-read. */
  private java.util.function.Function<String, Provisioner.Reloaded> reloadAll;

  private Serve(
      StateStore state,
      Provisioner provisioner,
      LeaseStore leases,
      DhcpServer dhcp,
      TftpServer tftp,
      HttpFront http,
      InetSocketAddress tftpAddress,
      InetSocketAddress httpAddress,
      ServeMetrics metrics,
      AtomicReference<String> notReady) {
    this.state = state;
    this.provisioner = provisioner;
    this.leases = leases;
    this.dhcp = dhcp;
    this.tftp = tftp;
    this.http = http;
    this.tftpAddress = tftpAddress;
    this.httpAddress = httpAddress;
    this.metrics = metrics;
    this.notReady = notReady;
  }

  /** Starts everything, every component logging to {@code log}, without meters. */
  public static Serve start(Options o, Consumer<String> log) throws Exception {
    return start(o, ServeLog.lines(log), ServeMetrics.none());
  }

  /**
   * Starts everything; on failure, stops what it started and throws. Each component logs to its own
   * logger of {@code logs}; {@code metrics} is what {@code GET /metrics} shows.
   */
  public static Serve start(Options o, ServeLog logs, ServeMetrics metrics) throws Exception {
    Consumer<String> log = logs.of(Component.SERVE);
    // /readyz says this until every port is bound and the first inventory is in use
    AtomicReference<String> notReady = new AtomicReference<>("starting");
    Files.createDirectories(o.root());
    StateDir stateDir = new StateDir(o.state());
    // every store shares one database: SQLite in the state directory, or PostgreSQL's pool
    Database db = Database.open(o.database(), o.state());
    // while the database is away, the last known state answers (docs/scale.md)
    LastKnownState lastKnown =
        new LastKnownState(
            new JdbcStateStore(db.share()), Clock.systemUTC(), logs.of(Component.STATE));
    StateStore state = lastKnown;
    // records changed by the other servers on the database are read again as they change
    AutoCloseable listening = db.listen(lastKnown::changed, logs.of(Component.STATE));
    TftpServer tftp = null;
    HttpFront http = null;
    LeaseStore leases = null;
    DhcpServer dhcp = null;
    Provisioner provisioner = null;
    io.kickdrift.server.access.AccessControl control = null;
    try {
      CallbackTokens tokens = CallbackTokens.load(stateDir.callbackKey());
      byte[] admin = SecretFile.readOrCreate(stateDir.adminToken(), 16);
      Inventory first = io.kickdrift.server.inventory.InventoryLoader.load(o.inventory());
      InetAddress bind = o.bind() != null ? o.bind() : InetAddress.getByName("0.0.0.0");
      int tftpPort = o.tftpPort() != null ? o.tftpPort() : first.server().tftpPort();
      int httpPort = o.httpPort() != null ? o.httpPort() : first.server().httpPort();
      // Machines are told the bound address when it is a specific one, else the inventory's.
      String advertised = bind.isAnyLocalAddress() ? null : bind.getHostAddress();
      // the GRUB in the served root decides linux or linuxefi where a distro does not say
      String installedGrub = Manifest.readIn(o.root()).flatMap(Manifest::grubLinux).orElse(null);
      provisioner =
          new Provisioner(
              o.inventory(),
              inv ->
                  listeners(inv, advertised, httpPort, tftpPort)
                      .withInstalledGrubLinux(installedGrub),
              tokens,
              new TreeRenderer(new Templates(o.templates())),
              state,
              Clock.systemUTC(),
              logs.of(Component.LIFECYCLE));
      provisioner.measure(metrics);
      if (o.desired() != null) {
        provisioner.useDesired(o.desired().dir(), o.desired().decryptor());
      }
      if (o.dhcp() != null) {
        // before the first request: the address rule accepts a host's active lease
        leases = new JdbcLeaseStore(db.share());
        provisioner.useLeases(leases);
      }
      // install windows for the inventory's netboot hosts, before any menu is asked for
      provisioner.start();
      tftp =
          new TftpServer(
              new ServeTftpSource(provisioner, o.root()),
              TftpServer.Settings.defaults(),
              logs.of(Component.TFTP));
      tftp.measure(metrics);
      TftpMeters.register(metrics, tftp);
      InetSocketAddress tftpAt = bindOrExplain(tftp, new InetSocketAddress(bind, tftpPort), "udp");
      Provisioner p = provisioner;
      // the baseline scans start after the listeners; a rescan asked before then is a 409
      AtomicReference<io.kickdrift.server.fleet.BaselineScans> scans = new AtomicReference<>();
      Operations ops =
          new Operations(
                  metrics,
                  () -> Optional.ofNullable(notReady.get()).or(lastKnown::unavailable),
                  why -> reload(p, metrics, why))
              .withRescan(() -> Optional.ofNullable(scans.get()).map(b -> b::scanNow));
      if (o.baseline() != null) {
        ops = ops.withDrift(new RepoDrift(o.baseline().fleet().repo()));
      }
      AtomicReference<HttpFront> front = new AtomicReference<>();
      Operations reloading =
          ops.withReload(
              why -> {
                Provisioner.Reloaded r = reload(p, metrics, why);
                HttpFront f = front.get();
                if (f != null) {
                  f.reloadTls().ifPresent(log);
                }
                return r;
              });
      ops = reloading;
      io.kickdrift.server.access.Access access =
          new io.kickdrift.server.access.AdminTokenOnly(admin);
      if (o.console() != null) {
        control = console(o, admin, db.share(), log);
        access = control;
        ops = ops.withAccounts(new AccessAccounts(control));
      }
      http =
          new HttpFront(
              provisioner,
              o.root(),
              access,
              HttpFront.Limits.defaults(),
              logs.of(Component.HTTP),
              ops);
      front.set(http);
      http.withPages(
          new io.kickdrift.server.web.Pages(
              new io.kickdrift.server.render.Templates(o.templates())));
      if (o.https() != null) {
        Tls tls = Tls.load(o.https().cert(), o.https().key());
        tls.validityWarning(java.time.Instant.now()).ifPresent(log);
        http.withTls(tls, o.https().port());
      }
      InetSocketAddress httpAt;
      try {
        httpAt = http.start(new InetSocketAddress(bind, httpPort));
      } catch (IOException e) {
        throw explain(e, "tcp", new InetSocketAddress(bind, httpPort));
      }
      log.accept("tftp listening on udp " + hostPort(tftpAt) + ", root " + o.root());
      if (http.httpsAddress() != null) {
        log.accept(
            "https listening on https://"
                + hostPort(http.httpsAddress())
                + "/ (console and API; plain HTTP sends them there)");
      } else if (!bind.isLoopbackAddress()) {
        log.accept(
            "warning: the console and API answer over plain HTTP on "
                + bind.getHostAddress()
                + ": passwords and tokens cross the network in clear text; give serve"
                + " tls.cert and tls.key");
      }
      log.accept(
          "http listening on http://"
              + hostPort(httpAt)
              + "/ (machines are told "
              + provisioner.site().baseUrl()
              + ")");
      if (o.dhcp() != null) {
        InetAddress serverId =
            bind.isAnyLocalAddress() ? null : bind; // else the interface's or the site's address
        dhcp =
            new DhcpServer(
                provisioner::site,
                new DhcpServer.Settings(o.dhcp(), o.dhcpInterface(), 67, 4011, serverId),
                leases,
                logs.of(Component.DHCP));
        dhcp.measure(metrics);
        try {
          dhcp.start();
        } catch (IOException e) {
          throw explain(e, "udp", new InetSocketAddress("0.0.0.0", 67));
        }
        log.accept(
            "dhcp ("
                + o.dhcp().name().toLowerCase(java.util.Locale.ROOT)
                + ") listening on udp 0.0.0.0:67 and 4011"
                + (o.dhcpInterface() == null ? "" : ", interface " + o.dhcpInterface()));
      }
      log.accept("state in " + o.state() + " (admin token in " + stateDir.adminToken() + ")");
      Serve serve =
          new Serve(
              state, provisioner, leases, dhcp, tftp, http, tftpAt, httpAt, metrics, notReady);
      serve.reloadAll = reloading.reload();
      serve.accessControl = control;
      serve.listening = listening;
      if (o.baseline() != null) {
        try {
          serve.baseline =
              new io.kickdrift.server.fleet.BaselineScans(
                  o.baseline(),
                  provisioner::host,
                  state,
                  new io.kickdrift.server.fleet.ScanJobs(db.share()),
                  Clock.systemUTC(),
                  logs.of(Component.FLEET));
          serve.baseline.measure(metrics);
        } catch (IOException | RuntimeException e) {
          serve.close();
          throw new IOException("baseline scans: " + e.getMessage(), e);
        }
        provisioner.onInstalled(serve.baseline::schedule);
        scans.set(serve.baseline);
        log.accept(
            "baseline scans into "
                + o.baseline().fleet().repo()
                + ", "
                + io.kickdrift.server.fleet.Ssh.seconds(o.baseline().delay())
                + " after each install callback");
      }
      if (o.dnsSync()) {
        serve.dns =
            new DnsUpkeep(
                provisioner::inventory,
                io.kickdrift.server.dns.DnsSync.Options.defaults(
                    o.inventory().toAbsolutePath().getParent()),
                state,
                Clock.systemUTC(),
                logs.of(Component.DNS));
        serve.dns.measure(metrics);
        provisioner.onInstalled(serve.dns::host);
        // the provisioner's background thread reloads the file and calls this
        provisioner.onReload(serve.dns::reloaded);
        if (DnsUpkeep.wanted(first)) {
          log.accept(
              "dns sync of the inventory's hosts to the zones' primaries (--no-dns-sync: off)");
        }
        serve.dns.all();
      }
      notReady.set(null);
      return serve;
    } catch (Exception e) {
      closeQuietly(listening, dhcp, http, tftp, provisioner, leases, control);
      state.close();
      throw e;
    } finally {
      db.close(); // the stores hold it now
    }
  }

  /**
   * The users file (made with user admin on a first start when it can be written), the tokens and
   * the audit log: what the console and API ask who a request is.
   */
  private static io.kickdrift.server.access.AccessControl console(
      Options o, byte[] admin, Database db, Consumer<String> log) throws IOException {
    Path users = o.console().users();
    switch (io.kickdrift.server.access.UsersFile.bootstrap(users, o.state())) {
      case CREATED ->
          log.accept(
              "console users in "
                  + users
                  + ": made user admin, its password in "
                  + o.state().resolve("initial-admin-password")
                  + " (change it: kickdrift user passwd admin)");
      case NOT_WRITABLE ->
          log.accept(
              "console users: no "
                  + users
                  + " and it cannot be written here; add one: kickdrift user add NAME --role admin");
      case EXISTS -> log.accept("console users in " + users);
    }
    io.kickdrift.server.access.AccessControl ac =
        io.kickdrift.server.access.AccessControl.open(
            new io.kickdrift.server.access.AccessControl.Settings(
                users, o.state(), admin, o.console().limits(), o.console().idle()),
            db);
    String problem = ac.usersFile().problem();
    if (!ac.usersFile().users().isEmpty() || problem == null) {
      return ac;
    }
    log.accept("console users: " + problem);
    return ac;
  }

  private static Inventory listeners(Inventory inv, String advertised, int http, int tftp) {
    String address = advertised;
    if (address == null) {
      try {
        address = Models.serverAddress(inv);
      } catch (RenderException e) {
        address = null; // Models reports it when it builds the site
      }
    }
    return inv.withServer(inv.server().withListeners(address, http, tftp));
  }

  private static InetSocketAddress bindOrExplain(
      TftpServer tftp, InetSocketAddress at, String proto) throws IOException {
    try {
      return tftp.start(at);
    } catch (IOException e) {
      throw explain(e, proto, at);
    }
  }

  private static IOException explain(IOException e, String proto, InetSocketAddress at) {
    String hint =
        at.getPort() < 1024
            ? "; ports below 1024 need root or CAP_NET_BIND_SERVICE (or choose a port above 1023)"
            : "; is another server (or another kickdrift serve) using it? stop it, or choose"
                + " another port or --bind address";
    return new IOException(
        "cannot listen on " + proto + " " + hostPort(at) + ": " + reason(e) + hint, e);
  }

  /** The bind failure in words: MINA's own ("Failed to bind to /127.0.0.1:80") repeats the port. */
  private static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException b) {
        return ErrorText.reason(b);
      }
    }
    return ErrorText.reason(e);
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /**
   * Re-reads the inventory now (SIGHUP, {@code POST /api/v1/reload}); transfers and requests in
   * flight go on with the inventory they started with. A file that does not load keeps the old
   * inventory, the problems logged with FILE:LINE.
   */
  public Provisioner.Reloaded reload(String why) {
    return reloadAll.apply(why);
  }

  private static Provisioner.Reloaded reload(
      Provisioner provisioner, ServeMetrics metrics, String why) {
    Provisioner.Reloaded r = provisioner.reloadNow(why);
    metrics.reload(r.ok());
    return r;
  }

  public InetSocketAddress tftpAddress() {
    return tftpAddress;
  }

  public InetSocketAddress httpAddress() {
    return httpAddress;
  }

  /** The TFTP server's counters now, {@code active} transfers among them. */
  public TftpServer.Stats tftpStats() {
    return tftp.stats();
  }

  /** The HTTP request pool and open connections now. */
  public HttpFront.Stats httpStats() {
    return http.stats();
  }

  /** The HTTP route table being served, for the tests that must cover every route. */
  List<Route> routes() {
    return http.routes();
  }

  @Override
  public void close() {
    notReady.set("stopping");
    if (dns != null) {
      dns.close();
    }
    if (baseline != null) {
      baseline.close();
    }
    closeQuietly(listening, dhcp, http, tftp, provisioner, leases, accessControl);
    state.close();
  }

  /** Closes each in order, the absent ones ({@code null}) and the failing ones skipped. */
  private static void closeQuietly(AutoCloseable... all) {
    for (AutoCloseable c : all) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception ignored) {
        // stopping: nothing more to do with it
      }
    }
  }
}
