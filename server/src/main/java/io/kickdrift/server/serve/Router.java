package io.kickdrift.server.serve;

import io.kickdrift.server.access.Access;
import io.kickdrift.server.access.Principal;
import io.kickdrift.server.access.Session;
import io.kickdrift.server.guard.LogText;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Dispatches each request through the route table: the first pattern that matches the path names
 * the resource (none: 404); a method it has no route for is a 405 with {@code Allow}; a route that
 * needs a role ({@link Route.Need}) asks {@link Access} who the request is (a bearer token, else
 * the session cookie): nobody is a 401 (a console page: a redirect to the login), too small a role
 * a 403; a request that changes something with the session cookie must carry the session's CSRF
 * token ({@code X-CSRF-Token}, or a form's {@code csrf} field), else 403; a body is read by {@link
 * BodyReader} before the action runs. An action's {@link ClientError} is answered with its status
 * and message; any other exception with a bare 500 "internal error", its cause going to the log
 * only. Every change a principal makes (a route other than GET answered below 400) is written to
 * the audit log here, so a new route cannot forget it. Every answer carries the security headers
 * ({@link #harden}).
 */
final class Router extends Handler.Abstract {
  static final String NOSNIFF = "nosniff";

  /**
   * The console's Content-Security-Policy: its own scripts, styles and images only, no inline
   * script, no framing, forms only to itself.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /**
   * The headers every answer carries, encoded once: Jetty copies a pre-encoded field's bytes
   * instead of checking and encoding its name and value on every response.
   */
  private static final List<HttpField> HARDENING =
      List.of(
          new PreEncodedHttpField("X-Content-Type-Options", NOSNIFF),
          new PreEncodedHttpField("Content-Security-Policy", CSP),
          new PreEncodedHttpField("X-Frame-Options", "DENY"),
          new PreEncodedHttpField("Referrer-Policy", "no-referrer"));

  private static final HttpField HSTS =
      new PreEncodedHttpField(HttpHeader.STRICT_TRANSPORT_SECURITY, "max-age=31536000");

  private static final HttpField NO_STORE =
      new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

  /** The header a script or console.js sends the session's CSRF token in. */
  static final String CSRF_HEADER = "X-CSRF-Token";

  /** The form field a console form sends it in. */
  static final String CSRF_FIELD = "csrf";

  /** The request attribute naming the route pattern that answered. */
  static final String ROUTE = "kickdrift.route";

  /** Which route took each request: {@code --log-level http=debug}. */
  private static final org.slf4j.Logger DEBUG =
      org.slf4j.LoggerFactory.getLogger(io.kickdrift.server.logs.Component.HTTP.logger());

  /** The console's session cookie. */
  static final String SESSION_COOKIE = "kd_session";

  private final List<Route> routes;
  private final Access access;
  private final Clock clock;
  private final RootFiles files;
  private final HttpFront.Limits limits;
  private final Consumer<String> log;

  Router(
      List<Route> routes,
      Access access,
      Clock clock,
      RootFiles files,
      HttpFront.Limits limits,
      Consumer<String> log) {
    this.routes = List.copyOf(routes);
    this.access = access;
    this.clock = clock;
    this.files = files;
    this.limits = limits;
    this.log = log;
  }

  /** Routes that stay on plain HTTP when TLS is on: what firmware fetches, and health probes. */
  private static final java.util.Set<String> PROBES = java.util.Set.of("/healthz", "/readyz");

  /** The HTTPS port plain-HTTP console and API requests are sent to; 0: no TLS, no redirect. */
  private volatile int httpsPort;

  /**
   * With TLS on, every route but the firmware's and the probes answers plain HTTP with a redirect
   * to the same path on {@code port}: passwords, sessions and tokens never cross the network in
   * clear text. Decided by the route's {@link Route.Need}, so a route added later is covered.
   */
  void redirectPlainTo(int port) {
    this.httpsPort = port;
  }

  private static boolean plainAllowed(Route route) {
    return route.need() == Route.Need.FIRMWARE || PROBES.contains(route.pattern());
  }

  /** 308 (the method and body are kept) to the same host, the HTTPS port, path and query. */
  private Reply toHttps(Request request, String path) {
    String host = Request.getServerName(request);
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]"; // an IPv6 literal
    }
    String query = request.getHttpURI().getQuery();
    String target = "https://" + host + ":" + httpsPort + path + (query == null ? "" : "?" + query);
    return Reply.text(308, "use HTTPS: " + target).with("Location", target);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    harden(response.getHeaders(), request.isSecure());
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    String pattern = null;
    Map<String, String> params = Map.of();
    Route route = null;
    String[] segments = Route.segments(path);
    for (Route r : routes) {
      if (pattern == null) {
        Optional<Map<String, String>> match = r.match(segments);
        if (match.isEmpty()) {
          continue;
        }
        pattern = r.pattern();
        params = match.get();
      }
      if (r.pattern().equals(pattern) && r.answers(method)) {
        route = r;
        break;
      }
    }
    if (route == null) {
      send(
          request,
          response,
          callback,
          unread(request, pattern == null ? notFound() : notAllowed(pattern)));
      return true;
    }
    if (httpsPort > 0 && !request.isSecure() && !plainAllowed(route)) {
      send(request, response, callback, unread(request, toHttps(request, path)));
      return true;
    }
    // the metrics' route label: the pattern, never the path (one series per route, not per host)
    request.setAttribute(ROUTE, route.pattern());
    if (DEBUG.isDebugEnabled()) {
      DEBUG.debug(
          "http {} {} {}: route {}",
          Request.getRemoteAddr(request),
          method,
          LogText.of(path),
          route.pattern());
    }
    Principal who = null;
    Session session = null;
    if (route.need().role().isPresent()) {
      Who found = authenticate(request);
      if (found.refusal() != null) {
        send(request, response, callback, unread(request, found.refusal()));
        return true;
      }
      if (found.principal() == null) {
        send(request, response, callback, unread(request, unauthenticated(request, path)));
        return true;
      }
      if (!found.principal().may(route.need().role().get())) {
        send(
            request,
            response,
            callback,
            unread(
                request,
                Reply.text(403, "needs the " + route.need().role().get().word() + " role")));
        return true;
      }
      who = found.principal();
      session = found.session();
    }
    String from = Request.getRemoteAddr(request);
    Route chosen = route;
    Map<String, String> found = params;
    Principal caller = who;
    Session by = session;
    if (route.body() == Route.Body.NONE) {
      checkedAnswer(
          chosen,
          new Route.Call(request, path, found, null, from, caller, csrf(by)),
          by,
          response,
          callback);
      return true;
    }
    BodyReader.read(
            request,
            route.body(),
            limits.jsonBody(),
            limits.bodyDeadline(),
            request.getComponents().getScheduler())
        .whenCompleteAsync(
            (body, failure) -> {
              if (failure == null) {
                checkedAnswer(
                    chosen,
                    new Route.Call(request, path, found, body, from, caller, csrf(by)),
                    by,
                    response,
                    callback);
              } else {
                send(request, response, callback, refusedBody(failure, request, from));
              }
            },
            request.getComponents().getExecutor());
    return true;
  }

  /**
   * A refusal sent before the request's body is read: when there is a body, the connection closes
   * after the answer (Jetty will not wait for the rest), and {@code Connection: close} says so, so
   * a client does not send its next request on a connection that is going away.
   */
  private static Reply unread(Request request, Reply reply) {
    boolean body =
        request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    return body && reply instanceof Reply.Answer a ? a.with("Connection", "close") : reply;
  }

  /**
   * The security headers of every answer: CSP, no framing, no referrer, no sniffing; HSTS on TLS
   * only (over plain HTTP it would mean nothing, and a browser ignores it there anyway).
   */
  static void harden(HttpFields.Mutable headers, boolean tls) {
    for (HttpField h : HARDENING) {
      headers.put(h);
    }
    if (tls) {
      headers.put(HSTS);
    }
  }

  private static String csrf(Session session) {
    return session == null ? null : session.csrf();
  }

  /** The CSRF check, then the action. */
  private void checkedAnswer(
      Route route, Route.Call call, Session session, Response response, Callback callback) {
    Reply refused;
    try {
      refused = csrfRefusal(call, session);
    } catch (ClientError e) {
      refused = Reply.text(e.status(), e.getMessage());
    }
    if (refused != null) {
      send(call.request(), response, callback, refused);
      return;
    }
    answer(route, call, response, callback);
  }

  /**
   * Null when the request may go on: it reads only, or came with a bearer token (which no other
   * site's page can make a browser send), or carries its session's CSRF token; else the 403.
   */
  private static Reply csrfRefusal(Route.Call call, Session session) throws ClientError {
    if (session == null || reads(call.request().getMethod())) {
      return null;
    }
    List<String> headers = call.request().getHeaders().getValuesList(CSRF_HEADER);
    String given = headers.size() == 1 ? headers.get(0) : null;
    if (headers.isEmpty() && call.body() != null && isForm(call.request())) {
      given = call.form().get(CSRF_FIELD);
    }
    if (given == null
        || !java.security.MessageDigest.isEqual(
            given.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            session.csrf().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      return Reply.text(403, "missing or wrong CSRF token");
    }
    return null;
  }

  private static boolean isForm(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    return type != null
        && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  private static boolean reads(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /** The table, for the tests that must cover every route. */
  List<Route> routes() {
    return routes;
  }

  /** {@code http METHOD PATH from PEER: WHY}, for a request that could not be answered. */
  private static String failed(Route.Call call, String why) {
    return "http "
        + call.request().getMethod()
        + " "
        + LogText.of(call.path())
        + " from "
        + call.from()
        + ": "
        + LogText.of(why, 1000);
  }

  private void answer(Route route, Route.Call call, Response response, Callback callback) {
    Reply reply;
    try {
      reply = route.action().answer(call);
    } catch (ClientError e) {
      reply = Reply.text(e.status(), e.getMessage());
    } catch (io.kickdrift.server.state.StateException e) {
      // the database is away: nothing was recorded, and a client that retries (the installer's
      // callback does) delivers it once the pool has reconnected
      log.accept(failed(call, "503, the state database is unavailable: " + e.getMessage()));
      reply =
          Reply.text(503, "the state database is unavailable; nothing was recorded, try again")
              .with("Retry-After", "10");
    } catch (Exception | StackOverflowError e) {
      log.accept(failed(call, "internal error: " + e));
      reply = Reply.text(500, "internal error");
    }
    audit(route, call, reply);
    send(call.request(), response, callback, reply);
  }

  /**
   * A change made by a principal, in the audit log: {@code POST /api/v1/hosts/{host}/netboot} on
   * {@code web01.example.com} (the path's parameters; the path itself when it has none).
   */
  private void audit(Route route, Route.Call call, Reply reply) {
    if (call.who() == null
        || reads(call.request().getMethod())
        || reply instanceof Reply.Answer a && a.status() >= 400) {
      return;
    }
    String target =
        call.params().isEmpty() ? call.path() : String.join(" ", call.params().values());
    try {
      access.audit(
          call.who(),
          call.request().getMethod() + " " + route.pattern(),
          target,
          call.from(),
          clock.instant());
    } catch (RuntimeException e) {
      // the change is made; the log says the audit line is missing
      log.accept(
          "audit of "
              + call.request().getMethod()
              + " "
              + LogText.of(call.path())
              + " by "
              + LogText.of(call.who().user(), 100)
              + " not written: "
              + LogText.of(String.valueOf(e), 1000));
    }
  }

  /** A body refused: the status the reader chose; the rest of the body is not waited for. */
  private Reply refusedBody(Throwable failure, Request request, String from) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof ClientError e) {
      return Reply.text(e.status(), e.getMessage()).with("Connection", "close");
    }
    log.accept(
        "http "
            + LogText.of(Request.getPathInContext(request))
            + " from "
            + from
            + ": reading the body failed: "
            + LogText.of(String.valueOf(cause), 1000));
    return Reply.text(500, "internal error").with("Connection", "close");
  }

  private static Reply notFound() {
    return Reply.text(404, "not found");
  }

  private Reply notAllowed(String pattern) {
    String allow =
        routes.stream()
            .filter(r -> r.pattern().equals(pattern))
            .map(Route::allow)
            .distinct()
            .collect(Collectors.joining(", "));
    return Reply.text(405, "method not allowed; allowed: " + allow).with("Allow", allow);
  }

  /**
   * Who sent a request: a principal, nobody (both null), or a refusal (several Authorization
   * headers: which one would count is not the client's to guess).
   */
  private record Who(Principal principal, Session session, Reply refusal) {}

  /**
   * A bearer token first ({@code Authorization: Bearer TOKEN}: a personal API token or the admin
   * token), else the session cookie. A bearer token that is wrong is nobody, even with a cookie.
   */
  private Who authenticate(Request request) {
    List<String> values = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
    if (values.size() > 1) {
      return new Who(null, null, Reply.text(400, "send one Authorization header"));
    }
    String scheme = "Bearer ";
    if (values.size() == 1) {
      String header = values.get(0);
      if (!header.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return new Who(null, null, null);
      }
      return new Who(
          access.bearer(header.substring(scheme.length()), clock.instant()).orElse(null),
          null,
          null);
    }
    for (org.eclipse.jetty.http.HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(SESSION_COOKIE)) {
        Optional<Session> session = access.session(c.getValue(), clock.instant());
        if (session.isPresent()) {
          return new Who(session.get().principal(), session.get(), null);
        }
      }
    }
    return new Who(null, null, null);
  }

  /** Nobody: a console page redirects to the login (coming back here after), the rest is 401. */
  private static Reply unauthenticated(Request request, String path) {
    if (path.startsWith("/ui/")) {
      String query = request.getHttpURI().getQuery();
      String back = query == null ? path : path + "?" + query;
      return Reply.text(303, "log in first")
          .with(
              "Location",
              "/ui/login?next="
                  + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8));
    }
    return Reply.text(401, "needs a login: Authorization: Bearer TOKEN (or the console's session)")
        .with("WWW-Authenticate", "Bearer realm=\"kickdrift\"");
  }

  private void send(Request request, Response response, Callback callback, Reply reply) {
    if (reply instanceof Reply.File file) {
      files.send(request, response, callback, file.real());
      return;
    }
    if (reply instanceof Reply.Stream stream) {
      stream.sender().start(request, response, callback);
      return;
    }
    Reply.Answer answer = (Reply.Answer) reply;
    response.setStatus(answer.status());
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
    headers.put(NO_STORE);
    answer.headers().forEach(headers::put);
    headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }
}
