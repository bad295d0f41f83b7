package io.kickdrift.server.serve;

import io.kickdrift.server.access.Access;
import io.kickdrift.server.access.Login;
import io.kickdrift.server.access.Principal;
import io.kickdrift.server.access.Role;
import io.kickdrift.server.desired.VariantSource;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.state.Event;
import io.kickdrift.server.web.Pages;
import io.kickdrift.server.web.Shown;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/**
 * The console's pages under {@code /ui/} (docs/console.md): server-rendered HTML ({@link Pages})
 * from the same objects the API routes read — the provisioner's rows, {@link HostFilter}, {@link
 * SecretMask}, the drift and accounts of {@link Operations} — so the console and scripts never
 * diverge. Every value reaches a template through {@link #shown}: cut, invisibles written out, then
 * escaped by the template. Forms post {@link Route.Body#FORM} bodies, whose CSRF token the router
 * checks; the login form, made before any session, carries a double-submit token instead.
 */
final class ConsoleRoutes {
  /** The login form's double-submit cookie. */
  static final String LOGIN_COOKIE = "kd_login";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TIMELINE = 50;
  private static final int PAGE_LINES = 5000;

  private final Provisioner provisioner;
  private final Operations ops;
  private final Access access;
  private final Pages pages;
  private final Consumer<String> log;
  private final Clock clock;

  ConsoleRoutes(
      Provisioner provisioner, Operations ops, Access access, Pages pages, Consumer<String> log) {
    this.provisioner = provisioner;
    this.ops = ops;
    this.access = access;
    this.pages = pages;
    this.log = log;
    this.clock = Clock.systemUTC();
  }

  List<Route> table() {
    Route.Need v = Route.Need.VIEWER;
    Route.Need o = Route.Need.OPERATOR;
    Route.Body none = Route.Body.NONE;
    Route.Body form = Route.Body.FORM;
    return List.of(
        new Route("GET", "/ui/static/{name}", Route.Need.OPEN, none, this::staticFile),
        new Route("GET", "/ui/login", Route.Need.OPEN, none, this::loginPage),
        new Route("POST", "/ui/login", Route.Need.OPEN, form, this::login),
        new Route("POST", "/ui/logout", v, form, this::logout),
        new Route("GET", "/ui/", v, none, this::overview),
        new Route("GET", "/ui/hosts", v, none, this::hosts),
        new Route("GET", "/ui/hosts/{host}", v, none, this::host),
        new Route("GET", "/ui/hosts/{host}/live", v, none, this::hostLive),
        new Route("GET", "/ui/hosts/{host}/file", v, none, this::hostFile),
        new Route("POST", "/ui/hosts/{host}/netboot", o, form, this::netboot),
        new Route("POST", "/ui/hosts/{host}/rescan", o, form, this::rescan),
        new Route("GET", "/ui/drift", v, none, this::drift),
        new Route("GET", "/ui/drift/variants", v, none, this::variants),
        new Route("GET", "/ui/events", v, none, this::events),
        new Route("GET", "/ui/problems", v, none, this::problems),
        new Route("GET", "/ui/tokens", v, none, this::tokens),
        new Route("POST", "/ui/tokens", v, form, this::newToken),
        new Route("POST", "/ui/tokens/{id}/revoke", v, form, this::revokeToken),
        new Route("GET", "/ui/users", Route.Need.ADMIN, none, this::users));
  }

  // ---- login ------------------------------------------------------------------------------

  private Reply loginPage(Route.Call call) throws ClientError, RenderException {
    String next = local(call.query("next").get("next"));
    return loginForm(call, 200, next, "");
  }

  private Reply.Answer loginForm(Route.Call call, int status, String next, String error)
      throws RenderException {
    String token = random();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("csrf", token);
    model.put("next", next);
    model.put("error", error);
    model.put("plain", !call.request().isSecure() && !loopback(call));
    return html(status, pages.render("login", model))
        .with("Set-Cookie", cookie(LOGIN_COOKIE, token, Duration.ofMinutes(30)));
  }

  private Reply login(Route.Call call) throws ClientError, RenderException {
    Map<String, String> f = call.form();
    String next = local(f.get("next"));
    String sent = f.getOrDefault("csrf", "");
    String kept = cookie(call.request(), LOGIN_COOKIE).orElse("");
    if (sent.isEmpty()
        || !MessageDigest.isEqual(
            sent.getBytes(StandardCharsets.US_ASCII), kept.getBytes(StandardCharsets.US_ASCII))) {
      return Reply.text(403, "missing or wrong CSRF token: reload the login page");
    }
    String user = f.getOrDefault("user", "");
    char[] password = f.getOrDefault("password", "").toCharArray();
    Login outcome = access.login(user, password, call.from(), clock.instant());
    java.util.Arrays.fill(password, '\0');
    if (outcome instanceof Login.Ok ok) {
      return Reply.text(303, "logged in")
          .with("Location", next)
          .with("Set-Cookie", cookie(Router.SESSION_COOKIE, ok.session().id(), null));
    }
    if (outcome instanceof Login.Locked l) {
      return loginForm(
          call, 423, next, "account locked until " + l.until() + " (too many wrong passwords)");
    }
    if (outcome instanceof Login.Throttled t) {
      long seconds = Math.max(1, t.retryAfter().toSeconds());
      return loginForm(
              call,
              429,
              next,
              "too many attempts from your address; try again in " + seconds + " s")
          .with("Retry-After", Long.toString(seconds));
    }
    return loginForm(call, 401, next, "wrong user or password");
  }

  private Reply logout(Route.Call call) {
    cookie(call.request(), Router.SESSION_COOKIE).ifPresent(access::logout);
    return Reply.text(303, "logged out")
        .with("Location", "/ui/login")
        .with("Set-Cookie", cookie(Router.SESSION_COOKIE, "", Duration.ZERO));
  }

  // ---- pages ------------------------------------------------------------------------------

  private Reply overview(Route.Call call) throws ClientError, RenderException, IOException {
    call.query();
    Map<String, Integer> byState = new TreeMap<>();
    List<Map<String, Object>> running = new ArrayList<>();
    List<Map<String, Object>> stuck = new ArrayList<>();
    for (Provisioner.Row r : provisioner.rows()) {
      Provisioner.HostStatus s = r.status();
      byState.merge(s.state(), 1, Integer::sum);
      if (s.state().equals("install-pending") && running.size() < 50) {
        running.add(
            Map.of(
                "host", s.host(),
                "expires", s.installExpires() == null ? "" : s.installExpires().toString(),
                "left",
                    s.installExpires() == null
                        ? ""
                        : minutes(clock.instant(), s.installExpires())));
      } else if (s.state().equals("install-expired") && stuck.size() < 50) {
        stuck.add(Map.of("host", s.host(), "state", s.state()));
      }
    }
    List<Map<String, Object>> states = new ArrayList<>();
    byState.forEach((state, n) -> states.add(Map.of("state", state, "count", n)));
    Map<String, Object> model = base(call, "overview");
    model.put("states", states);
    model.put("running", running);
    model.put("stuck", stuck);
    model.put("events", events(provisioner.state().events(null, 15)));
    Map<String, Object> drift = new LinkedHashMap<>();
    if (ops.drift().isPresent()) {
      Map<String, Boolean> hosts = ops.drift().get().hosts();
      drift.put("scanned", hosts.size());
      drift.put("drifted", hosts.values().stream().filter(b -> b).count());
    }
    model.put("drift", drift);
    return page("overview", model);
  }

  private Reply hosts(Route.Call call) throws ClientError, RenderException, IOException {
    Query q = call.query(HostFilter.PARAMETERS.toArray(String[]::new));
    HostFilter filter = HostFilter.parse(q);
    Map<String, Boolean> drifted = ops.drift().isEmpty() ? null : ops.drift().get().hosts();
    HostFilter.Page page =
        filter.apply(
            provisioner.rows(),
            provisioner.inventory(),
            filter.drift() == null && drifted == null ? Map.of() : drifted);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Provisioner.Row r : page.rows()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", r.status().host());
      row.put("macs", String.join(" ", r.status().macs()));
      row.put("profile", r.status().profile());
      row.put("state", r.status().state());
      row.put("netboot", r.status().netboot() ? "on" : "off");
      Boolean d = drifted == null ? null : drifted.get(r.status().host());
      row.put("drift", d == null ? "not scanned" : d ? "drift" : "clean");
      rows.add(row);
    }
    Map<String, Object> model = base(call, "hosts");
    Map<String, Object> filled = new LinkedHashMap<>();
    for (String name : List.of("q", "profile", "state", "subnet", "drift")) {
      filled.put(name, q.get(name) == null ? "" : q.get(name));
    }
    model.put("filter", filled);
    model.put("rows", rows);
    model.put("total", page.total());
    model.put("first", page.total() == 0 ? 0 : filter.offset() + 1);
    model.put("last", filter.offset() + page.rows().size());
    model.put(
        "next",
        (long) filter.offset() + page.rows().size() < page.total()
            ? "/ui/hosts?" + filter.next()
            : "");
    model.put("prev", filter.offset() > 0 ? "/ui/hosts?" + filter.previous() : "");
    return page("hosts", model);
  }

  private Reply host(Route.Call call) throws ClientError, RenderException, IOException {
    call.query();
    Provisioner.Row row = row(call);
    Map<String, Object> model = base(call, "hosts");
    model.put("host", row.status().host());
    model.put("profile", row.status().profile());
    model.put("macs", row.status().macs());
    List<Map<String, Object>> vars = new ArrayList<>();
    SecretMask.variables(provisioner.inventory().variables(row.host()))
        .forEach((k, val) -> vars.add(Map.of("key", k, "value", val == null ? "" : val)));
    model.put("variables", vars);
    Map<String, String> files =
        provisioner.preview(row.status().host(), SecretMask.MASK).orElse(Map.of());
    model.put(
        "kickstart",
        Shown.lines(
            SecretMask.text("/root/anaconda-ks.cfg", files.getOrDefault("kickstart", "")),
            PAGE_LINES));
    StringBuilder menu = new StringBuilder();
    for (Map.Entry<String, String> f : files.entrySet()) {
      if (!f.getKey().equals("kickstart")) {
        menu.append("==> ").append(f.getKey()).append(" <==\n");
        menu.append(SecretMask.text("/" + f.getKey(), f.getValue())).append('\n');
      }
    }
    model.put("menu", Shown.lines(menu.toString(), PAGE_LINES));
    model.put("live", live(row));
    model.put("drift", hostDrift(row.status().host()));
    return page("host", model);
  }

  private Reply hostLive(Route.Call call) throws ClientError, RenderException {
    call.query();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("live", live(row(call)));
    return html(200, pages.render("host-live", shown(model)));
  }

  private Map<String, Object> live(Provisioner.Row row) {
    Map<String, Object> live = new LinkedHashMap<>();
    live.put("state", row.status().state());
    live.put("netboot", row.status().netboot() ? "on" : "off");
    live.put(
        "installed", row.status().installed() == null ? "" : row.status().installed().toString());
    live.put("timeline", events(provisioner.state().events(row.status().host(), TIMELINE)));
    return live;
  }

  private Map<String, Object> hostDrift(String host) throws IOException {
    Map<String, Object> drift = new LinkedHashMap<>();
    if (ops.drift().isEmpty()) {
      drift.put("none", Api.NO_REPO);
      return drift;
    }
    Optional<Object> found = ops.drift().get().host(host);
    if (found.isEmpty()) {
      drift.put("none", "not scanned yet");
      return drift;
    }
    drift.putAll(asMap(found.get()));
    return drift;
  }

  private Reply hostFile(Route.Call call) throws ClientError, RenderException, IOException {
    String path = call.query("path").get("path");
    if (path == null || path.isEmpty()) {
      throw new ClientError(400, "path: expected the file's absolute path");
    }
    Provisioner.Row row = row(call);
    if (ops.drift().isEmpty()) {
      throw new ClientError(404, Api.NO_REPO);
    }
    Map<String, Object> model = base(call, "hosts");
    model.put("host", row.status().host());
    model.put("path", path);
    for (DriftSource.Against against : DriftSource.Against.values()) {
      Optional<Object> diff;
      try {
        diff = ops.drift().get().fileDiff(row.status().host(), path, against);
      } catch (IllegalArgumentException e) {
        throw new ClientError(400, e.getMessage());
      }
      model.put(
          against == DriftSource.Against.PACKAGED ? "packaged" : "previous",
          diff.map(ConsoleRoutes::asMap)
              .orElse(Map.of("none", "no such file in this host's scans")));
    }
    return page("host-file", model);
  }

  private Reply netboot(Route.Call call) throws ClientError {
    String enabled = call.form().get("enabled");
    if (!"true".equals(enabled) && !"false".equals(enabled)) {
      throw new ClientError(400, "enabled: expected true or false");
    }
    if (Routes.switchNetboot(provisioner, log, call, enabled.equals("true")).isEmpty()) {
      throw new ClientError(404, "unknown host");
    }
    return back(call);
  }

  private Reply rescan(Route.Call call) throws ClientError {
    Optional<Operations.Rescan> rescan = ops.rescan().get();
    if (rescan.isEmpty()) {
      throw new ClientError(409, "no configuration scans: serve has no --scan-repo");
    }
    rescan.get().now(row(call).status().host());
    return back(call);
  }

  private Reply drift(Route.Call call) throws ClientError, RenderException, IOException {
    call.query();
    Map<String, Object> model = base(call, "drift");
    if (ops.drift().isEmpty()) {
      model.put("none", Api.NO_REPO);
      model.put("paths", List.of());
    } else {
      model.put("none", "");
      model.put("paths", ops.drift().get().fleet());
    }
    return page("drift", model);
  }

  /** Per path of a profile's hosts, the distinct contents and who holds each (`drift variants`). */
  private Reply variants(Route.Call call) throws ClientError, RenderException, IOException {
    String profile = call.query("profile").get("profile");
    Map<String, Object> model = base(call, "drift");
    // the profiles that have hosts, in the inventory's order
    List<String> profiles = VariantSource.profiles(provisioner.inventory(), null);
    model.put("profiles", profiles);
    String chosen = profile != null ? profile : profiles.isEmpty() ? null : profiles.get(0);
    model.put("profile", chosen == null ? "" : chosen);
    if (ops.drift().isEmpty()) {
      model.put("none", Api.NO_REPO);
      model.put("results", List.of());
    } else {
      model.put("none", "");
      model.put(
          "results",
          chosen == null
              ? List.of()
              : Api.variants(ops.drift().get(), provisioner.inventory(), chosen));
    }
    return page("variants", model);
  }

  private Reply events(Route.Call call) throws ClientError, RenderException {
    EventsQuery query = EventsQuery.parse(call.request().getHttpURI().getQuery());
    Map<String, Object> model = base(call, "events");
    model.put(
        "events",
        events(provisioner.state().eventsBefore(query.host(), query.before(), query.limit())));
    List<Map<String, Object>> audit = new ArrayList<>();
    if (call.who().may(Role.ADMIN) && ops.accounts().isPresent()) {
      for (AccountAdmin.AuditEntry a : ops.accounts().get().audit(Long.MAX_VALUE, 100)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", a.at().toString());
        m.put("actor", a.actor());
        m.put("via", a.via());
        m.put("action", a.action());
        m.put("target", a.target());
        m.put("origin", a.origin());
        m.put("detail", a.detail());
        audit.add(m);
      }
    }
    model.put("audit", audit);
    return page("events", model);
  }

  private Reply problems(Route.Call call) throws ClientError, RenderException {
    call.query();
    Map<String, Object> model = base(call, "problems");
    model.put("problems", provisioner.problems());
    return page("problems", model);
  }

  private Reply tokens(Route.Call call) throws ClientError, RenderException {
    call.query();
    return tokensPage(call, "");
  }

  private Reply tokensPage(Route.Call call, String fresh) throws RenderException {
    Map<String, Object> model = base(call, "tokens");
    List<Map<String, Object>> list = new ArrayList<>();
    ops.accounts()
        .ifPresent(
            a -> {
              for (AccountAdmin.Token t : a.tokens(call.who())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t.id());
                m.put("user", t.user());
                m.put("name", t.name());
                m.put("scope", t.scope().word());
                m.put("created", text(t.created()));
                m.put("expires", t.expires() == null ? "never" : t.expires().toString());
                m.put("revoked", text(t.revoked()));
                m.put("used", text(t.lastUsed()));
                list.add(m);
              }
            });
    model.put("accounts", ops.accounts().isPresent());
    model.put("tokens", list);
    model.put("fresh", fresh);
    return page("tokens", model);
  }

  private Reply newToken(Route.Call call) throws ClientError, RenderException {
    AccountAdmin accounts = ops.accounts().orElseThrow(() -> new ClientError(404, "no accounts"));
    Map<String, String> f = call.form();
    Role scope;
    try {
      scope = Role.of(f.getOrDefault("scope", "viewer"));
    } catch (IllegalArgumentException e) {
      throw new ClientError(400, e.getMessage());
    }
    int days;
    try {
      days = Integer.parseInt(f.getOrDefault("days", "90"));
    } catch (NumberFormatException e) {
      throw new ClientError(400, "days: expected a whole number");
    }
    if (days < 1 || days > 3650) {
      throw new ClientError(400, "days: expected 1 to 3650");
    }
    Instant now = clock.instant();
    try {
      AccountAdmin.NewToken t =
          accounts.createToken(
              call.who(), f.getOrDefault("name", ""), scope, now.plus(Duration.ofDays(days)), now);
      return tokensPage(call, t.secret());
    } catch (IllegalArgumentException e) {
      throw new ClientError(400, e.getMessage());
    }
  }

  private Reply revokeToken(Route.Call call) throws ClientError {
    AccountAdmin accounts = ops.accounts().orElseThrow(() -> new ClientError(404, "no accounts"));
    if (!accounts.revokeToken(call.who(), call.param("id"), clock.instant())) {
      throw new ClientError(404, "no such token");
    }
    return Reply.text(303, "revoked").with("Location", "/ui/tokens");
  }

  private Reply users(Route.Call call) throws ClientError, RenderException {
    call.query();
    Map<String, Object> model = base(call, "users");
    List<Map<String, Object>> list = new ArrayList<>();
    ops.accounts()
        .ifPresent(
            a ->
                a.users()
                    .forEach(u -> list.add(Map.of("name", u.name(), "role", u.role().word()))));
    model.put("users", list);
    return page("users", model);
  }

  private Reply staticFile(Route.Call call) throws ClientError, IOException {
    call.query();
    Optional<Map.Entry<String, String>> file = pages.staticFile(call.param("name"));
    if (file.isEmpty()) {
      throw new ClientError(404, "not found");
    }
    return Reply.bytes(200, file.get().getKey(), file.get().getValue())
        .with("Cache-Control", "max-age=86400");
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** What every page's layout needs: who, the CSRF token, the current nav item. */
  private Map<String, Object> base(Route.Call call, String nav) {
    Principal who = call.who();
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("user", who.user());
    me.put("role", who.role().word());
    me.put("operator", who.may(Role.OPERATOR));
    me.put("admin", who.may(Role.ADMIN));
    me.put("session", call.csrf() != null);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("me", me);
    model.put("csrf", call.csrf() == null ? "" : call.csrf());
    model.put("nav", nav);
    return model;
  }

  private Reply page(String name, Map<String, Object> model) throws RenderException {
    return html(200, pages.render(name, shown(model)));
  }

  private static Reply.Answer html(int status, String html) {
    return Reply.bytes(status, "text/html; charset=utf-8", html);
  }

  private Provisioner.Row row(Route.Call call) throws ClientError {
    return provisioner
        .row(call.param("host"))
        .orElseThrow(() -> new ClientError(404, "unknown host"));
  }

  private static Reply back(Route.Call call) {
    return Reply.text(303, "done")
        .with(
            "Location",
            "/ui/hosts/" + URLEncoder.encode(call.param("host"), StandardCharsets.UTF_8));
  }

  private static List<Map<String, Object>> events(List<Event> events) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Event e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("at", e.at().toString());
      m.put("host", e.host() == null ? "" : e.host());
      m.put("kind", e.kind());
      m.put("detail", e.detail() == null ? "" : e.detail());
      list.add(m);
    }
    return list;
  }

  /**
   * The model as a page may show it: strings {@link Shown} (cut, invisibles written out), nulls as
   * "", maps and lists walked; numbers and booleans as they are.
   */
  static Object shown(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String s) {
      return Shown.text(s);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), shown(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(shown(v)));
      return out;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return Shown.text(value.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> shown(Map<String, Object> model) {
    return (Map<String, Object>) shown((Object) model);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object json) {
    return json instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("value", json);
  }

  private static String text(Instant at) {
    return at == null ? "" : at.toString();
  }

  private static String minutes(Instant now, Instant until) {
    long m = Duration.between(now, until).toMinutes();
    return m >= 0 ? m + " min left" : "closed";
  }

  /** {@code next} when it is a page of this console, else the overview: no open redirect. */
  static String local(String next) {
    if (next == null
        || !next.startsWith("/ui/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      return "/ui/";
    }
    return next;
  }

  private static boolean loopback(Route.Call call) {
    try {
      return call.address().isLoopbackAddress();
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static String random() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * A cookie for the whole console: HttpOnly, Secure (Chromium and curl keep Secure cookies of
   * http://127.0.0.1 and localhost too), SameSite=Strict; {@code maxAge} null for a session cookie,
   * zero to delete it.
   */
  static String cookie(String name, String value, Duration maxAge) {
    return name
        + "="
        + value
        + "; Path=/; HttpOnly; Secure; SameSite=Strict"
        + (maxAge == null ? "" : "; Max-Age=" + maxAge.toSeconds());
  }

  static Optional<String> cookie(Request request, String name) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(name)) {
        return Optional.of(c.getValue());
      }
    }
    return Optional.empty();
  }
}
