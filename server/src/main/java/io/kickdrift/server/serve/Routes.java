package io.kickdrift.server.serve;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.logs.LogFields;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.state.Event;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every HTTP route of {@code serve}, in one table ({@link #table}), and the actions behind them.
 * The router tries the patterns in this order; a test walks the same table, so a route added here
 * is probed with hostile bodies and headers without anyone remembering to.
 */
final class Routes {
  private static final String NETBOOT_BODY = "expected JSON {\"enabled\": true|false}";
  private static final JsonMapper STRICT_JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private final Provisioner provisioner;
  private final RootFiles files;
  private final Consumer<String> log;
  private final Operations ops;
  private final Api api;

  Routes(
      Provisioner provisioner,
      RootFiles files,
      Consumer<String> log,
      Operations ops,
      EventStreams streams) {
    this.provisioner = provisioner;
    this.files = files;
    this.log = log;
    this.ops = ops;
    this.api = new Api(provisioner, ops, streams);
  }

  private List<Route> console = List.of();

  /** With the console's pages ({@link ConsoleRoutes#table}). */
  Routes withConsole(List<Route> pages) {
    this.console = List.copyOf(pages);
    return this;
  }

  /** The route table: method, pattern, who may call it, body read, action. */
  List<Route> table() {
    List<Route> all = new java.util.ArrayList<>(serve());
    // the console's pages, before the API and the served files
    all.addAll(2, console);
    return List.copyOf(all);
  }

  private List<Route> serve() {
    return List.of(
        new Route(
            "GET", "/ks/{host}/{token}", Route.Need.FIRMWARE, Route.Body.NONE, this::kickstart),
        new Route(
            "POST",
            "/callback/{host}/{token}",
            Route.Need.FIRMWARE,
            Route.Body.NONE,
            this::callback),
        new Route("GET", "/", Route.Need.OPEN, Route.Body.NONE, call -> toConsole()),
        new Route("GET", "/api/v1/whoami", Route.Need.VIEWER, Route.Body.NONE, api::whoami),
        new Route("GET", "/api/v1/hosts", Route.Need.VIEWER, Route.Body.NONE, api::hosts),
        new Route("GET", "/api/v1/hosts/{host}", Route.Need.VIEWER, Route.Body.NONE, api::host),
        new Route(
            "GET",
            "/api/v1/hosts/{host}/kickstart",
            Route.Need.VIEWER,
            Route.Body.NONE,
            api::kickstart),
        new Route(
            "GET", "/api/v1/hosts/{host}/menu", Route.Need.VIEWER, Route.Body.NONE, api::menu),
        new Route(
            "POST",
            "/api/v1/hosts/{host}/netboot",
            Route.Need.OPERATOR,
            Route.Body.JSON,
            this::netboot),
        new Route(
            "POST",
            "/api/v1/hosts/{host}/rescan",
            Route.Need.OPERATOR,
            Route.Body.NONE,
            api::rescan),
        new Route(
            "GET",
            "/api/v1/hosts/{host}/drift",
            Route.Need.VIEWER,
            Route.Body.NONE,
            api::hostDrift),
        new Route(
            "GET",
            "/api/v1/hosts/{host}/drift/file",
            Route.Need.VIEWER,
            Route.Body.NONE,
            api::fileDiff),
        new Route("GET", "/api/v1/drift", Route.Need.VIEWER, Route.Body.NONE, api::fleetDrift),
        new Route(
            "GET", "/api/v1/drift/variants", Route.Need.VIEWER, Route.Body.NONE, api::variants),
        new Route("GET", "/api/v1/events", Route.Need.VIEWER, Route.Body.NONE, this::events),
        new Route("GET", "/api/v1/events/stream", Route.Need.VIEWER, Route.Body.NONE, api::stream),
        new Route("GET", "/api/v1/audit", Route.Need.ADMIN, Route.Body.NONE, api::audit),
        new Route("GET", "/api/v1/problems", Route.Need.VIEWER, Route.Body.NONE, api::problems),
        new Route("GET", "/api/v1/tokens", Route.Need.VIEWER, Route.Body.NONE, api::tokens),
        new Route("POST", "/api/v1/tokens", Route.Need.VIEWER, Route.Body.JSON, api::newToken),
        new Route(
            "DELETE", "/api/v1/tokens/{id}", Route.Need.VIEWER, Route.Body.NONE, api::revokeToken),
        new Route("GET", "/api/v1/users", Route.Need.ADMIN, Route.Body.NONE, api::users),
        new Route("POST", "/api/v1/users", Route.Need.ADMIN, Route.Body.JSON, api::newUser),
        new Route(
            "DELETE", "/api/v1/users/{name}", Route.Need.ADMIN, Route.Body.NONE, api::removeUser),
        new Route("POST", "/api/v1/reload", Route.Need.ADMIN, Route.Body.NONE, this::reload),
        new Route("GET", "/metrics", Route.Need.ADMIN, Route.Body.NONE, this::metrics),
        // what a supervisor or load balancer probes: ok or not, and reason words, nothing more
        new Route(
            "GET", "/healthz", Route.Need.OPEN, Route.Body.NONE, call -> Reply.text(200, "ok")),
        new Route("GET", "/readyz", Route.Need.OPEN, Route.Body.NONE, this::ready),
        // the rest of /api/ is no file: unknown there, and only the admin learns even that
        new Route(
            "*",
            "/api/**",
            Route.Need.VIEWER,
            Route.Body.NONE,
            call -> Reply.text(404, "no such API route")),
        new Route("GET", "/**", Route.Need.FIRMWARE, Route.Body.NONE, this::menuOrFile));
  }

  /** The host's kickstart; every refusal (and its status) is the provisioner's to decide. */
  private Reply kickstart(Route.Call call) throws RenderException {
    Provisioner.Answer a =
        provisioner.kickstart(call.param("host"), call.param("token"), call.address());
    return a.outcome() == Provisioner.Outcome.OK
        ? Reply.bytes(200, "text/plain; charset=utf-8", a.body())
        : refusal(a);
  }

  /** The install-finished callback; the provisioner decides, this only says it in HTTP. */
  private Reply callback(Route.Call call) {
    String host = call.param("host");
    Provisioner.Answer a = provisioner.installed(host, call.param("token"), call.address());
    String who = LogText.of(host, 100) + " from " + call.from();
    try (LogFields f = LogFields.of("host", LogText.of(host, 100), "peer", call.from())) {
      switch (a.outcome()) {
        case OK -> log.accept("install finished: " + who + "; netboot off");
        case UNKNOWN -> log.accept("callback refused: no install for that token, " + who);
        case REFUSED -> log.accept("callback refused: " + a.body().strip());
        case THROTTLED -> {
          // the access log has each 429; a line per request would flood the log as well
        }
      }
    }
    return a.outcome() == Provisioner.Outcome.OK ? Reply.text(200, a.body().strip()) : refusal(a);
  }

  /** A refused kickstart or callback: 404 (no such install), 403, or 429 with Retry-After. */
  private static Reply refusal(Provisioner.Answer a) {
    return switch (a.outcome()) {
      case OK -> throw new IllegalArgumentException("not a refusal");
      case UNKNOWN -> Reply.text(404, a.body().strip());
      case REFUSED -> Reply.text(403, a.body().strip());
      case THROTTLED ->
          Reply.text(429, a.body().strip())
              .with("Retry-After", Long.toString(a.retryAfterSeconds()));
    };
  }

  /** {@code GET /}: the console (which asks for a login first). */
  private static Reply toConsole() {
    return Reply.text(302, "the console is at /ui/").with("Location", "/ui/");
  }

  /** One page of events, newest first, with a {@code Link: rel="next"} while older ones remain. */
  private Reply events(Route.Call call) throws ClientError {
    EventsQuery query = EventsQuery.parse(call.request().getHttpURI().getQuery());
    // one more than asked for says whether a next page exists
    List<Event> events =
        provisioner.state().eventsBefore(query.host(), query.before(), query.limit() + 1);
    List<Event> page = events.subList(0, Math.min(events.size(), query.limit()));
    Reply.Answer answer = Reply.json(200, page.stream().map(Routes::eventJson).toList());
    if (events.size() > page.size()) {
      String next = "/api/v1/events?" + query.next(page.get(page.size() - 1).id());
      answer = answer.with("Link", "<" + next + ">; rel=\"next\"");
    }
    return answer;
  }

  private Reply netboot(Route.Call call) throws ClientError {
    Optional<Provisioner.HostStatus> host =
        switchNetboot(provisioner, log, call, enabled(call.body()));
    return host.isEmpty() ? Reply.text(404, "unknown host") : Reply.json(200, host.get().json());
  }

  /**
   * Netboot on or off for the call's {@code {host}}, as the API and the console's form do it: the
   * event's detail says who and from where (the audit log has it too), and a log line. Empty for an
   * unknown host.
   */
  static Optional<Provisioner.HostStatus> switchNetboot(
      Provisioner provisioner, Consumer<String> log, Route.Call call, boolean enabled) {
    String by = Api.by(call.who(), call.from());
    Optional<Provisioner.HostStatus> host = provisioner.setNetboot(call.param("host"), enabled, by);
    if (host.isEmpty()) {
      return host;
    }
    log.accept(
        "netboot "
            + (enabled ? "enabled" : "disabled")
            + ": "
            + host.get().host()
            + " ("
            + by
            + ")");
    return host;
  }

  /** Re-reads the inventory now: 200 with the hosts it has, or 422 with FILE:LINE problems. */
  private Reply reload(Route.Call call) {
    Provisioner.Reloaded r = ops.reload().apply("API from " + call.from());
    return Reply.text(r.ok() ? 200 : 422, r.detail());
  }

  private Reply metrics(Route.Call call) {
    return Reply.bytes(
        200,
        io.kickdrift.server.metrics.ServeMetrics.contentType(),
        ops.metrics().scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Reply ready(Route.Call call) {
    Optional<String> not = ops.notReady().get();
    return not.isEmpty() ? Reply.text(200, "ok") : Reply.text(503, "not ready: " + not.get());
  }

  /** {@code {"enabled": true|false}} and nothing else (no other key, no duplicate, no trailer). */
  static boolean enabled(String body) throws ClientError {
    JsonNode json;
    try {
      json = STRICT_JSON.readTree(body);
    } catch (IOException e) { // not JSON, nested too deep, a duplicate key, trailing text
      throw new ClientError(400, NETBOOT_BODY);
    }
    if (json == null || !json.isObject() || json.size() != 1 || !json.path("enabled").isBoolean()) {
      throw new ClientError(400, NETBOOT_BODY);
    }
    return json.get("enabled").booleanValue();
  }

  /** A boot menu rendered now, else a file under the served root. */
  private Reply menuOrFile(Route.Call call) throws RenderException, IOException {
    Optional<byte[]> menu = provisioner.menu(call.path(), "http " + call.from());
    if (menu.isPresent()) {
      return Reply.bytes(200, "text/plain; charset=utf-8", menu.get());
    }
    return files.lookup(call.path(), call.from());
  }

  /**
   * An event as the API shows it: {@code id}, {@code at}, {@code host}, {@code kind}, {@code
   * detail}.
   */
  static Map<String, Object> eventJson(Event e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", e.id());
    json.put("at", e.at().toString());
    json.put("host", e.host());
    json.put("kind", e.kind());
    json.put("detail", e.detail());
    return json;
  }
}
