package io.kickdrift.server.serve;

import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.logs.LogFields;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of {@code serve}, on Jetty 12 (core handlers, no servlets). The routes are one
 * table ({@link Routes}):
 *
 * <pre>
 * GET  /ks/HOST/TOKEN                  the host's kickstart, rendered now
 * POST /callback/HOST/TOKEN            install finished: netboot off
 * GET  /                               302 to the console, /ui/
 * /api/v1/…                            the API (docs/openapi.yaml): a session or bearer token
 * GET  anything else                   a boot menu rendered now, or a file under the served root
 * </pre>
 *
 * Every request is logged in the NCSA common format. Bodies, headers and idle connections are
 * bounded ({@link Limits}); every answer carries the security headers ({@link Router#harden}) and
 * no server version.
 *
 * <pre>{@code
 * HttpFront http = new HttpFront(provisioner, root, adminToken, Limits.defaults(), log);
 * InetSocketAddress at = http.start(new InetSocketAddress("127.0.0.1", 0));
 * }</pre>
 */
final class HttpFront implements AutoCloseable {
  /**
   * The bounds on what one client may hold.
   *
   * @param threads the request thread pool's size
   * @param jsonBody the largest JSON request body, in bytes (413 beyond)
   * @param bodyDeadline how long reading a request body may take in all (408 after it)
   * @param idleTimeout how long a connection may stay silent, in a request or between them
   * @param headerSize the request line and headers together, in bytes (431 or 414 beyond)
   */
  public record Limits(
      int threads, int jsonBody, Duration bodyDeadline, Duration idleTimeout, int headerSize) {
    /**
     * 64 threads; 16 KiB of JSON (the API's bodies are a few dozen bytes); 10 s for a body; 30 s of
     * silence, which a boot loader fetching a kernel never comes near; Jetty's 8 KiB of headers.
     */
    public static Limits defaults() {
      return new Limits(64, 16 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30), 8 * 1024);
    }
  }

  /**
   * The request thread pool now; {@code busy} counts threads running or blocked in a request (and
   * the acceptor and selector, always), so at rest it is back to its level after start.
   */
  public record Stats(int threads, int busy, int idle, int queued, int connections) {}

  private final Provisioner provisioner;
  private final Path root;
  private final io.kickdrift.server.access.Access access;
  private final Limits limits;
  private final Consumer<String> log;
  private final Operations ops;
  private Server server;
  private QueuedThreadPool threads;
  private ServerConnector connector;
  private Tls tls;
  private io.kickdrift.server.web.Pages pages = BuiltInPages.PAGES;
  private int httpsPort;
  private InetSocketAddress httpsAddress;
  private org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl;
  private Router router;
  private EventStreams streams;

  /** With the admin token alone for access (no users): for tests. */
  public HttpFront(Provisioner provisioner, Path root, byte[] adminToken, Consumer<String> log) {
    this(provisioner, root, adminToken, Limits.defaults(), log);
  }

  /** With the admin token alone for access (no users): for tests. */
  public HttpFront(
      Provisioner provisioner, Path root, byte[] adminToken, Limits limits, Consumer<String> log) {
    this(
        provisioner,
        root,
        new io.kickdrift.server.access.AdminTokenOnly(adminToken),
        limits,
        log,
        Operations.of(provisioner));
  }

  HttpFront(
      Provisioner provisioner,
      Path root,
      io.kickdrift.server.access.Access access,
      Limits limits,
      Consumer<String> log,
      Operations ops) {
    this.provisioner = provisioner;
    this.root = root;
    this.access = access;
    this.limits = limits;
    this.log = log;
    this.ops = ops;
  }

  /** The console's pages from this template engine (a user's --templates directory first). */
  public HttpFront withPages(io.kickdrift.server.web.Pages pages) {
    this.pages = pages;
    return this;
  }

  /**
   * Serves the console and API over HTTPS too, on {@code port} of the same address, and sends plain
   * HTTP there (but for what firmware fetches and the probes). Call before {@link #start}.
   */
  public HttpFront withTls(Tls tls, int port) {
    this.tls = tls;
    this.httpsPort = port;
    return this;
  }

  /** The bound HTTPS address, null without TLS. */
  public InetSocketAddress httpsAddress() {
    return httpsAddress;
  }

  /**
   * Reads the certificate and key again (SIGHUP, reload: a renewed certificate); a pair that cannot
   * be served keeps the old one. Empty when done or without TLS, else why not.
   */
  public Optional<String> reloadTls() {
    if (tls == null) {
      return Optional.empty();
    }
    Tls fresh;
    try {
      fresh = Tls.load(tls.cert(), tls.key());
    } catch (Tls.TlsException e) {
      return Optional.of(e.getMessage() + "; still serving the certificate loaded before");
    }
    try {
      ssl.reload(f -> f.setKeyStore(fresh.store()));
    } catch (Exception e) {
      return Optional.of(
          tls.cert()
              + ": cannot be served: "
              + e
              + "; still serving the certificate loaded before");
    }
    tls = fresh;
    return Optional.empty();
  }

  /** Starts listening; returns the bound address (port 0 picks a free one). */
  public InetSocketAddress start(InetSocketAddress bind) throws Exception {
    threads = new QueuedThreadPool(limits.threads(), 4);
    threads.setName("http");
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    config.setRequestHeaderSize(limits.headerSize());
    config.setIdleTimeout(limits.idleTimeout().toMillis());
    // UEFI HTTP boot: shim asks for "//grubx64.efi" (its own path + "/" + the next loader), an
    // empty segment Jetty refuses by default; accept it, and CompactPath below collapses it.
    config.setUriCompliance(
        UriCompliance.DEFAULT.with("kickdrift", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(bind.getHostString());
    connector.setPort(bind.getPort());
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    server.addConnector(connector);
    ServerConnector secure = null;
    if (tls != null) {
      HttpConfiguration secureConfig = new HttpConfiguration(config);
      org.eclipse.jetty.server.SecureRequestCustomizer customizer =
          new org.eclipse.jetty.server.SecureRequestCustomizer();
      customizer.setSniHostCheck(false); // see Tls.jetty: clients reaching an IP send no SNI
      customizer.setStsMaxAge(0); // the router says Strict-Transport-Security itself
      secureConfig.addCustomizer(customizer);
      ssl = tls.jetty();
      secure =
          new ServerConnector(
              server,
              1,
              1,
              new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
              new HttpConnectionFactory(secureConfig));
      secure.setHost(bind.getHostString());
      secure.setPort(httpsPort);
      secure.setIdleTimeout(limits.idleTimeout().toMillis());
      server.addConnector(secure);
    }
    RootFiles files = new RootFiles(root, log);
    streams = new EventStreams(provisioner.state(), EventStreams.Settings.defaults(), log);
    router =
        new Router(
            new Routes(provisioner, files, log, ops, streams)
                .withConsole(new ConsoleRoutes(provisioner, ops, access, pages, log).table())
                .table(),
            access,
            java.time.Clock.systemUTC(),
            files,
            limits,
            log);
    server.setHandler(new CompactPath(router));
    server.setErrorHandler(new PlainErrors());
    CustomRequestLog access = new CustomRequestLog(log::accept, CustomRequestLog.NCSA_FORMAT);
    server.setRequestLog(
        (request, response) -> {
          try (LogFields f =
              LogFields.of(
                  "peer",
                  Request.getRemoteAddr(request),
                  "path",
                  LogText.of(request.getHttpURI().getPath()),
                  "status",
                  Integer.toString(response.getStatus()))) {
            access.log(request, response);
          }
          // Jetty's own refusals (400, 431) reach no route: "none"
          Object route = request.getAttribute(Router.ROUTE);
          ops.metrics()
              .http(
                  route == null ? "none" : route.toString(),
                  request.getMethod(),
                  response.getStatus(),
                  System.nanoTime() - request.getBeginNanoTime());
        });
    server.start();
    if (secure != null) {
      httpsAddress = new InetSocketAddress(bind.getAddress(), secure.getLocalPort());
      router.redirectPlainTo(secure.getLocalPort());
    }
    return new InetSocketAddress(bind.getAddress(), connector.getLocalPort());
  }

  /** Event streams open now. */
  int streams() {
    return streams.open();
  }

  /** The thread pool and connections now (for tests and, later, metrics). */
  public Stats stats() {
    return new Stats(
        threads.getThreads(),
        threads.getBusyThreads(),
        threads.getIdleThreads(),
        threads.getQueueSize(),
        connector.getConnectedEndPoints().size());
  }

  /** The route table being served, for the tests that must cover every route. */
  List<Route> routes() {
    return router.routes();
  }

  @Override
  public void close() throws Exception {
    if (streams != null) {
      streams.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  /** The built-in console pages, made when first needed. */
  private static final class BuiltInPages {
    static final io.kickdrift.server.web.Pages PAGES;

    static {
      try {
        PAGES = new io.kickdrift.server.web.Pages(new io.kickdrift.server.render.Templates(null));
      } catch (io.kickdrift.server.render.RenderException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /** Serves {@code //a//b} as {@code /a/b}: firmware joins paths with a slash too many. */
  static final class CompactPath extends Handler.Wrapper {
    CompactPath(Handler next) {
      super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = request.getHttpURI().getPath();
      if (path != null && path.contains("//")) {
        String compact = URIUtil.canonicalPath(path.replaceAll("/{2,}", "/"));
        if (compact == null) {
          Response.writeError(request, response, callback, 400, "path leaves the root");
          return true;
        }
        request =
            Request.serveAs(
                request, HttpURI.build(request.getHttpURI()).path(compact).asImmutable());
      }
      return super.handle(request, response, callback);
    }
  }

  /**
   * Jetty's own refusals (a malformed request line, headers too large, a path that leaves the root)
   * as one line of plain text, the status and its reason phrase: no HTML, no exception message, no
   * stack, and the headers every answer has.
   */
  static final class PlainErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus() >= 400 ? response.getStatus() : 500;
      if (request.getAttribute(ERROR_STATUS) instanceof Integer code) {
        status = code;
      }
      response.setStatus(status);
      HttpFields.Mutable headers = response.getHeaders();
      headers.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      headers.put(HttpHeader.CACHE_CONTROL, "no-store");
      Router.harden(headers, request.isSecure());
      Content.Sink.write(response, true, line(status), callback);
      return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      fields.put(HttpHeader.CACHE_CONTROL, "no-store");
      // no request here to ask whether it came over TLS: no HSTS on these few
      Router.harden(fields, false);
      return ByteBuffer.wrap(line(status).getBytes(StandardCharsets.UTF_8));
    }

    private static String line(int status) {
      return status + " " + HttpStatus.getMessage(status) + "\n";
    }
  }
}
