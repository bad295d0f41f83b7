package io.kickdrift.server.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.state.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of {@code serve}, on Jetty 12 (core handlers, no servlets):
 *
 * <pre>
 * GET  /ks/HOST/TOKEN                  the host's kickstart, rendered now, for the token of its
 *                                      open install window (404 otherwise; 403 from an address
 *                                      not the host's or after the window expired; 429 throttled)
 * GET  /ipxe/…, /pxelinux.cfg/…, /grub/…   boot menus and iPXE scripts, rendered now
 * POST /callback/HOST/TOKEN            install finished: netboot off (answered like /ks/)
 * GET  /api/v1/hosts                   hosts with install state (JSON)
 * POST /api/v1/hosts/HOST/netboot      {"enabled": true|false}; needs "Authorization: Bearer ADMIN"
 * GET  /api/v1/events[?host=H&amp;limit=N] newest first (JSON)
 * GET  anything else                   a file under the served root (kernels, initrds; Range)
 * </pre>
 *
 * Every request is logged in the NCSA common format.
 */
public final class HttpFront implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Provisioner provisioner;
  private final Path root;
  private final byte[] adminToken;
  private final Consumer<String> log;
  private Server server;

  public HttpFront(Provisioner provisioner, Path root, byte[] adminToken, Consumer<String> log) {
    this.provisioner = provisioner;
    this.root = root;
    this.adminToken = adminToken.clone();
    this.log = log;
  }

  /** Starts listening; returns the bound address (port 0 picks a free one). */
  public InetSocketAddress start(InetSocketAddress bind) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("http");
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(bind.getHostString());
    connector.setPort(bind.getPort());
    // UEFI HTTP boot: shim asks for "//grubx64.efi" (its own path + "/" + the next loader), an
    // empty segment Jetty refuses by default; accept it, and CompactPath below collapses it.
    connector
        .getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class)
        .getHttpConfiguration()
        .setUriCompliance(
            org.eclipse.jetty.http.UriCompliance.DEFAULT.with(
                "kickdrift",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
    server.addConnector(connector);
    ResourceHandler files = new ResourceHandler();
    files.setBaseResource(ResourceFactory.of(files).newResource(root.toRealPath()));
    files.setDirAllowed(false);
    files.setAcceptRanges(true);
    files.setEtags(true);
    server.setHandler(new CompactPath(new Handler.Sequence(new Api(), files)));
    server.setRequestLog(new CustomRequestLog(log::accept, CustomRequestLog.NCSA_FORMAT));
    server.start();
    return new InetSocketAddress(bind.getAddress(), connector.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.stop();
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
        String compact =
            org.eclipse.jetty.util.URIUtil.canonicalPath(path.replaceAll("/{2,}", "/"));
        if (compact == null) {
          Response.writeError(request, response, callback, 400, "path leaves the root");
          return true;
        }
        request =
            Request.serveAs(
                request,
                org.eclipse.jetty.http.HttpURI.build(request.getHttpURI())
                    .path(compact)
                    .asImmutable());
      }
      return super.handle(request, response, callback);
    }
  }

  private final class Api extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      try {
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length == 3 && parts[0].equals("ks") && isRead(method)) {
          return answer(
              response, callback, provisioner.kickstart(parts[1], parts[2], from(request)));
        }
        if (parts.length == 3 && parts[0].equals("callback")) {
          if (!method.equals("POST")) {
            return text(response, callback, 405, "POST the install callback\n");
          }
          return callback(request, response, callback, parts[1], parts[2]);
        }
        if (path.startsWith("/api/v1/")) {
          return api(request, response, callback, method, path.substring("/api/v1/".length()));
        }
        if (isRead(method)) {
          Optional<byte[]> menu = provisioner.menu(path, "http " + Request.getRemoteAddr(request));
          if (menu.isPresent()) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, java.nio.ByteBuffer.wrap(menu.get()), callback);
            return true;
          }
        }
        return false; // a file under the root, or 404
      } catch (RenderException e) {
        log.accept("http " + path + ": " + e.getMessage());
        return text(response, callback, 500, "render failed: " + e.getMessage() + "\n");
      } catch (RuntimeException | IOException e) {
        log.accept("http " + path + ": " + e);
        return text(response, callback, 500, "server error: " + e.getMessage() + "\n");
      }
    }

    private boolean callback(
        Request request, Response response, Callback callback, String host, String token) {
      InetAddress from = from(request);
      Provisioner.Answer answer = provisioner.installed(host, token, from);
      String who = LogText.of(host, 100) + " from " + from.getHostAddress();
      switch (answer.outcome()) {
        case OK -> log.accept("install finished: " + who + "; netboot off");
        case UNKNOWN -> log.accept("callback refused: no install for that token, " + who);
        case REFUSED -> log.accept("callback refused: " + answer.body().strip());
        case THROTTLED -> {
          // the access log has each 429; a line per request would flood the log as well
        }
      }
      return answer(response, callback, answer);
    }

    private boolean api(
        Request request, Response response, Callback callback, String method, String rest)
        throws IOException {
      String[] parts = rest.split("/", -1);
      if (rest.equals("hosts") && isRead(method)) {
        List<Map<String, Object>> hosts =
            provisioner.hosts().stream().map(HttpFront::hostJson).toList();
        return json(response, callback, 200, hosts);
      }
      if (rest.equals("events") && isRead(method)) {
        Fields query = Request.extractQueryParameters(request);
        String host = query.getValue("host");
        int limit = parseLimit(query.getValue("limit"));
        List<Map<String, Object>> events =
            provisioner.state().events(host, limit).stream().map(HttpFront::eventJson).toList();
        return json(response, callback, 200, events);
      }
      if (parts.length == 3 && parts[0].equals("hosts") && parts[2].equals("netboot")) {
        if (!method.equals("POST")) {
          return text(response, callback, 405, "POST {\"enabled\": true|false}\n");
        }
        if (!authorised(request)) {
          return text(response, callback, 401, "needs Authorization: Bearer ADMIN-TOKEN\n");
        }
        JsonNode body;
        try {
          body = JSON.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
        } catch (IOException e) {
          return text(response, callback, 400, "expected JSON {\"enabled\": true|false}\n");
        }
        if (body == null || !body.path("enabled").isBoolean()) {
          return text(response, callback, 400, "expected JSON {\"enabled\": true|false}\n");
        }
        boolean enabled = body.get("enabled").asBoolean();
        String by = "API from " + Request.getRemoteAddr(request);
        return provisioner
            .setNetboot(parts[1], enabled, by)
            .map(
                h -> {
                  log.accept(
                      "netboot "
                          + (enabled ? "enabled" : "disabled")
                          + ": "
                          + h.host()
                          + " ("
                          + by
                          + ")");
                  return json(response, callback, 200, hostJson(h));
                })
            .orElseGet(() -> text(response, callback, 404, "unknown host " + parts[1] + "\n"));
      }
      return text(response, callback, 404, "no such API: " + rest + "\n");
    }

    private boolean authorised(Request request) {
      String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
      if (header == null || !header.startsWith("Bearer ")) {
        return false;
      }
      byte[] given =
          header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.US_ASCII);
      byte[] expected =
          java.util.HexFormat.of().formatHex(adminToken).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(given, expected);
    }
  }

  /** The client's address, as the connection has it. */
  private static InetAddress from(Request request) {
    if (request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
        && a.getAddress() != null) {
      return a.getAddress();
    }
    try {
      return InetAddress.getByName(Request.getRemoteAddr(request)); // a literal: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("no client address: " + e.getMessage(), e);
    }
  }

  /** A kickstart or callback answer: 200, 404, 403, or 429 with Retry-After. */
  private static boolean answer(Response response, Callback callback, Provisioner.Answer a) {
    int status =
        switch (a.outcome()) {
          case OK -> 200;
          case UNKNOWN -> 404;
          case REFUSED -> 403;
          case THROTTLED -> 429;
        };
    if (a.outcome() == Provisioner.Outcome.THROTTLED) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(a.retryAfterSeconds()));
    }
    return text(response, callback, status, a.body());
  }

  private static int parseLimit(String value) {
    try {
      return value == null ? 100 : Math.max(1, Math.min(10_000, Integer.parseInt(value)));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  private static boolean isRead(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  static Map<String, Object> hostJson(Provisioner.HostStatus h) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("host", h.host());
    json.put("profile", h.profile());
    json.put("macs", h.macs());
    json.put("netboot", h.netboot());
    json.put("state", h.state());
    json.put("installed", h.installed() == null ? null : h.installed().toString());
    return json;
  }

  private static Map<String, Object> eventJson(Event e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", e.id());
    json.put("at", e.at().toString());
    json.put("host", e.host());
    json.put("kind", e.kind());
    json.put("detail", e.detail());
    return json;
  }

  private static boolean text(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, body, callback);
    return true;
  }

  private static boolean json(Response response, Callback callback, int status, Object value) {
    try {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      Content.Sink.write(response, true, JSON.writeValueAsString(value) + "\n", callback);
      return true;
    } catch (IOException e) {
      return text(response, callback, 500, "cannot write JSON: " + e.getMessage() + "\n");
    }
  }
}
