package io.kickdrift.server.serve;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kickdrift.server.access.Principal;
import io.kickdrift.server.access.Role;
import io.kickdrift.server.guard.LogText;
import io.kickdrift.server.inventory.DurationText;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.RenderException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's API actions ({@code /api/v1/…} beyond the first few in {@link Routes}): who am I,
 * hosts filtered and paged, a host with its secrets masked, its kickstart and menus, rescans,
 * inventory problems, the live event stream, drift, tokens, users and the audit log. Every page of
 * the console has its route here, so scripts and pages never diverge.
 */
final class Api {
  private static final JsonMapper STRICT_JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  static final String NO_REPO = "no config repository (serve --scan-repo)";
  private static final String NO_ACCOUNTS = "no user accounts in this serve";

  private final Provisioner provisioner;
  private final Operations ops;
  private final EventStreams streams;

  Api(Provisioner provisioner, Operations ops, EventStreams streams) {
    this.provisioner = provisioner;
    this.ops = ops;
    this.streams = streams;
  }

  Reply whoami(Route.Call call) throws ClientError {
    call.query();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("user", call.who().user());
    json.put("role", call.who().role().word());
    json.put("via", call.who().via());
    return Reply.json(200, json);
  }

  /** A page of hosts, {@link HostFilter}'s query; {@code Link: rel="next"} while more match. */
  Reply hosts(Route.Call call) throws ClientError, IOException {
    HostFilter filter = HostFilter.parse(call.query(HostFilter.PARAMETERS.toArray(String[]::new)));
    Map<String, Boolean> drifted =
        filter.drift() == null
            ? Map.of()
            : ops.drift().isEmpty() ? null : ops.drift().get().hosts();
    HostFilter.Page page = filter.apply(provisioner.rows(), provisioner.inventory(), drifted);
    Reply.Answer answer =
        Reply.json(200, page.rows().stream().map(r -> r.status().json()).toList())
            .with("X-Total-Count", Integer.toString(page.total()));
    if ((long) filter.offset() + page.rows().size() < page.total()) {
      answer = answer.with("Link", "</api/v1/hosts?" + filter.next() + ">; rel=\"next\"");
    }
    return answer;
  }

  /** A host: its state, profile, interfaces and variables (secrets masked), drift when known. */
  Reply host(Route.Call call) throws ClientError, IOException {
    call.query();
    Provisioner.Row row = row(call);
    Map<String, Object> json = new LinkedHashMap<>(row.status().json());
    List<Map<String, Object>> nics = new ArrayList<>();
    for (Interface nic : row.host().interfaces()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("name", nic.name());
      n.put("mac", nic.mac());
      n.put("ip", nic.ip());
      n.put("ip6", nic.ip6());
      nics.add(n);
    }
    json.put("interfaces", nics);
    json.put("variables", SecretMask.variables(provisioner.inventory().variables(row.host())));
    json.put(
        "drift", ops.drift().isEmpty() ? null : ops.drift().get().hosts().get(row.host().name()));
    return Reply.json(200, json);
  }

  /** The kickstart the host would get now, its secrets and install token masked. */
  Reply kickstart(Route.Call call) throws ClientError, RenderException {
    call.query();
    Map<String, String> files = preview(call);
    return Reply.bytes(
        200,
        "text/plain; charset=utf-8",
        SecretMask.text("/root/anaconda-ks.cfg", files.get("kickstart")));
  }

  /** Each boot loader's menu for each of the host's interfaces, as {@code ==> PATH <==} blocks. */
  Reply menu(Route.Call call) throws ClientError, RenderException {
    call.query();
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> f : preview(call).entrySet()) {
      if (!f.getKey().equals("kickstart")) {
        text.append(text.isEmpty() ? "" : "\n")
            .append("==> ")
            .append(f.getKey())
            .append(" <==\n")
            .append(SecretMask.text("/" + f.getKey(), f.getValue()));
      }
    }
    return Reply.bytes(200, "text/plain; charset=utf-8", text.toString());
  }

  private Map<String, String> preview(Route.Call call) throws ClientError, RenderException {
    return provisioner
        .preview(call.param("host"), SecretMask.MASK)
        .orElseThrow(() -> new ClientError(404, "unknown host"));
  }

  /** A configuration scan of the host now: 202, or 409 when serve has no config repository. */
  Reply rescan(Route.Call call) throws ClientError {
    call.query();
    Provisioner.Row row = row(call);
    Optional<Operations.Rescan> rescan = ops.rescan().get();
    if (rescan.isEmpty()) {
      throw new ClientError(409, NO_REPO + ": nothing to scan into");
    }
    boolean started = rescan.get().now(row.host().name());
    return Reply.json(
        202,
        Map.of(
            "host",
            row.host().name(),
            "scan",
            started ? "started" : "already waiting",
            "see",
            "/api/v1/events?host=" + row.host().name()));
  }

  /** What was wrong with the inventory file when it was last read; empty when it loaded. */
  Reply problems(Route.Call call) throws ClientError {
    call.query();
    return Reply.json(200, provisioner.problems());
  }

  /** The live event log ({@link EventStreams}), resuming after {@code Last-Event-ID}. */
  Reply stream(Route.Call call) throws ClientError {
    Query q = call.query("host");
    String host = q.get("host") == null ? null : EventsQuery.host(q.get("host"));
    List<String> last = call.request().getHeaders().getValuesList("Last-Event-ID");
    Long after = null;
    if (!last.isEmpty()) {
      if (last.size() > 1 || !last.get(0).strip().matches("[0-9]{1,18}")) {
        throw new ClientError(400, "Last-Event-ID: expected one event id (a whole number)");
      }
      after = Long.parseLong(last.get(0).strip());
    }
    if (call.request().getMethod().equals("HEAD")) {
      return Reply.bytes(200, "text/event-stream; charset=utf-8", "");
    }
    return streams.open(host, after);
  }

  Reply hostDrift(Route.Call call) throws ClientError, IOException {
    call.query();
    Provisioner.Row row = row(call);
    return Reply.json(
        200,
        drift()
            .host(row.host().name())
            .orElseThrow(() -> new ClientError(404, "no scan of that host in the repository")));
  }

  Reply fileDiff(Route.Call call) throws ClientError, IOException {
    Query q = call.query("path", "against");
    Provisioner.Row row = row(call);
    String path = q.get("path");
    if (path == null || !path.startsWith("/") || path.length() > 4096) {
      throw new ClientError(
          400, "path: expected a file's absolute path, e.g. /etc/ssh/sshd_config");
    }
    String against = q.get("against") == null ? "packaged" : q.get("against");
    DriftSource.Against side =
        switch (against) {
          case "packaged" -> DriftSource.Against.PACKAGED;
          case "previous" -> DriftSource.Against.PREVIOUS;
          default -> throw new ClientError(400, "against: expected packaged or previous");
        };
    return Reply.json(
        200,
        drift()
            .fileDiff(row.host().name(), path, side)
            .orElseThrow(() -> new ClientError(404, "no such file in the host's scans")));
  }

  Reply fleetDrift(Route.Call call) throws ClientError, IOException {
    call.query();
    return Reply.json(200, drift().fleet());
  }

  Reply variants(Route.Call call) throws ClientError, IOException {
    Query q = call.query("profile");
    return Reply.json(200, variants(drift(), provisioner.inventory(), q.get("profile")));
  }

  /** A source's variants; an unknown profile is a 400 naming the profiles there are. */
  static Object variants(DriftSource source, Inventory inventory, String profile)
      throws ClientError, IOException {
    try {
      return source.variants(inventory, profile);
    } catch (IllegalArgumentException e) {
      throw new ClientError(400, e.getMessage());
    }
  }

  private DriftSource drift() throws ClientError {
    return ops.drift().orElseThrow(() -> new ClientError(404, NO_REPO));
  }

  Reply audit(Route.Call call) throws ClientError {
    EventsQuery page = EventsQuery.parse(call.request().getHttpURI().getQuery());
    if (page.host() != null) {
      throw new ClientError(400, "unknown parameter host (expected limit, before)");
    }
    List<AccountAdmin.AuditEntry> entries =
        accounts().audit(page.before(), page.limit() + 1); // one more says a next page exists
    List<AccountAdmin.AuditEntry> shown =
        entries.subList(0, Math.min(entries.size(), page.limit()));
    List<Map<String, Object>> json = new ArrayList<>();
    for (AccountAdmin.AuditEntry e : shown) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("at", text(e.at()));
      m.put("actor", e.actor());
      m.put("via", e.via());
      m.put("action", e.action());
      m.put("target", e.target());
      m.put("origin", e.origin());
      m.put("detail", e.detail());
      json.add(m);
    }
    Reply.Answer answer = Reply.json(200, json);
    if (entries.size() > shown.size()) {
      answer =
          answer.with(
              "Link",
              "</api/v1/audit?" + page.next(shown.get(shown.size() - 1).id()) + ">; rel=\"next\"");
    }
    return answer;
  }

  Reply tokens(Route.Call call) throws ClientError {
    call.query();
    return Reply.json(200, accounts().tokens(call.who()).stream().map(Api::tokenJson).toList());
  }

  /** {@code {"name": N, "scope": viewer|operator|admin, "expires": "30d"|INSTANT|null}}. */
  Reply newToken(Route.Call call) throws ClientError {
    call.query();
    JsonNode body =
        object(call.body(), Set.of("name", "scope", "expires"), Set.of("name", "scope"));
    String name = string(body, "name");
    Role scope = role(string(body, "scope"));
    Instant now = Instant.now();
    Instant expires = expires(body.get("expires"), now);
    AccountAdmin.NewToken made =
        refusing(() -> accounts().createToken(call.who(), name, scope, expires, now));
    Map<String, Object> json = tokenJson(made.token());
    json.put("token", made.secret());
    return Reply.json(201, json);
  }

  Reply revokeToken(Route.Call call) throws ClientError {
    call.query();
    boolean revoked =
        refusing(() -> accounts().revokeToken(call.who(), call.param("id"), Instant.now()));
    if (!revoked) {
      throw new ClientError(404, "no such token");
    }
    return Reply.text(200, "revoked");
  }

  Reply users(Route.Call call) throws ClientError {
    call.query();
    List<Map<String, Object>> json = new ArrayList<>();
    for (AccountAdmin.User u : accounts().users()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", u.name());
      m.put("role", u.role().word());
      json.add(m);
    }
    return Reply.json(200, json);
  }

  /** {@code {"name": N, "role": viewer|operator|admin, "password": P}}. */
  Reply newUser(Route.Call call) throws ClientError {
    call.query();
    JsonNode body =
        object(call.body(), Set.of("name", "role", "password"), Set.of("name", "role", "password"));
    String name = string(body, "name");
    Role role = role(string(body, "role"));
    char[] password = string(body, "password").toCharArray();
    refusing(
        () -> {
          accounts().addUser(name, role, password);
          return null;
        });
    return Reply.json(201, Map.of("name", name, "role", role.word()));
  }

  Reply removeUser(Route.Call call) throws ClientError {
    call.query();
    if (!refusing(() -> accounts().removeUser(call.param("name")))) {
      throw new ClientError(404, "no such user");
    }
    return Reply.text(200, "removed");
  }

  private AccountAdmin accounts() throws ClientError {
    return ops.accounts().orElseThrow(() -> new ClientError(404, NO_ACCOUNTS));
  }

  private Provisioner.Row row(Route.Call call) throws ClientError {
    return provisioner
        .row(call.param("host"))
        .orElseThrow(() -> new ClientError(404, "unknown host"));
  }

  private interface Admin<T> {
    T call() throws ClientError;
  }

  /** The accounts' refusals as the client's errors: 400 for a bad request, 409 for a conflict. */
  private static <T> T refusing(Admin<T> call) throws ClientError {
    try {
      return call.call();
    } catch (IllegalArgumentException e) {
      throw new ClientError(400, LogText.of(String.valueOf(e.getMessage()), 500));
    } catch (IllegalStateException e) {
      throw new ClientError(409, LogText.of(String.valueOf(e.getMessage()), 500));
    }
  }

  private static Map<String, Object> tokenJson(AccountAdmin.Token t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("user", t.user());
    m.put("name", t.name());
    m.put("scope", t.scope().word());
    m.put("created", text(t.created()));
    m.put("expires", text(t.expires()));
    m.put("revoked", text(t.revoked()));
    m.put("last-used", text(t.lastUsed()));
    return m;
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  /**
   * A JSON object with only the {@code allowed} keys, the {@code required} ones among them, no key
   * twice and nothing after it: what the netboot body is held to, for every body.
   */
  static JsonNode object(String body, Set<String> allowed, Set<String> required)
      throws ClientError {
    String expected =
        "expected a JSON object with " + String.join(", ", new java.util.TreeSet<>(allowed));
    JsonNode json;
    try {
      json = STRICT_JSON.readTree(body);
    } catch (IOException e) { // not JSON, nested too deep, a duplicate key, trailing text
      throw new ClientError(400, expected);
    }
    if (json == null || !json.isObject()) {
      throw new ClientError(400, expected);
    }
    for (var names = json.fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new ClientError(400, "unknown key " + LogText.of(n, 40) + "; " + expected);
      }
    }
    for (String r : required) {
      if (!json.has(r)) {
        throw new ClientError(400, "missing key " + r + "; " + expected);
      }
    }
    return json;
  }

  private static String string(JsonNode body, String key) throws ClientError {
    JsonNode v = body.get(key);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new ClientError(400, key + ": expected a non-empty string");
    }
    return v.textValue();
  }

  private static Role role(String word) throws ClientError {
    try {
      return Role.of(word);
    } catch (IllegalArgumentException e) {
      throw new ClientError(400, LogText.of(e.getMessage(), 200));
    }
  }

  /** {@code null}/absent: never; a duration ({@code 90d}) from now; or an instant. */
  private static Instant expires(JsonNode v, Instant now) throws ClientError {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      String text = v.textValue();
      try {
        return text.matches("[0-9.]+[a-z]*")
            ? now.plus(DurationText.parse(text))
            : Instant.parse(text);
      } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
        // a message below
      }
    }
    throw new ClientError(
        400,
        "expires: expected null, a duration such as 90d, or an instant such as 2030-01-01T00:00:00Z");
  }

  /** Who did it, for an event's detail: {@code alice (session) from 192.0.2.7}. */
  static String by(Principal who, String from) {
    return who.user() + " (" + who.via() + ") from " + from;
  }
}
