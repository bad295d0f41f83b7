package io.kickdrift.server.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * One line of the HTTP route table ({@link Routes#table}): a method ({@code GET} also answers
 * {@code HEAD}; {@code *} any method), a path pattern, who may call it ({@link Need}), the body it
 * reads ({@link Body}), and the action that answers.
 *
 * <p>A pattern is literal segments, {@code {name}} for exactly one segment (which may be empty),
 * and at the end {@code **} for any rest: {@code /api/v1/hosts/{host}/netboot}, {@code /**}.
 */
record Route(String method, String pattern, Need need, Body body, Action action) {
  /**
   * Who may call a route. {@code FIRMWARE}: machines being installed (boot files, menus, kickstart
   * and callback, which carry their own per-install tokens); {@code OPEN}: anyone (the login page,
   * the console's static files, health probes); the roles: a session or bearer token whose role
   * covers it. Without credentials a console page ({@code /ui/}) redirects to the login, anything
   * else is a 401; with too small a role, 403.
   */
  enum Need {
    FIRMWARE,
    OPEN,
    VIEWER,
    OPERATOR,
    ADMIN;

    /** The role needed, empty for {@code FIRMWARE} and {@code OPEN}. */
    java.util.Optional<io.kickdrift.server.access.Role> role() {
      return switch (this) {
        case FIRMWARE, OPEN -> java.util.Optional.empty();
        case VIEWER -> java.util.Optional.of(io.kickdrift.server.access.Role.VIEWER);
        case OPERATOR -> java.util.Optional.of(io.kickdrift.server.access.Role.OPERATOR);
        case ADMIN -> java.util.Optional.of(io.kickdrift.server.access.Role.ADMIN);
      };
    }
  }

  /** The request body a route reads before its action runs. */
  enum Body {
    NONE,
    /** JSON, bounded ({@link BodyReader#read}). */
    JSON,
    /** {@code application/x-www-form-urlencoded} from a console form, bounded the same way. */
    FORM
  }

  /** What answers a route: a reply, or an exception, which the client sees as a bare 500. */
  @FunctionalInterface
  interface Action {
    Reply answer(Call call) throws Exception;
  }

  /**
   * One request to a route: its path parameters, its body (null for routes without one), the
   * client's address, who it is (null on {@code FIRMWARE} and {@code OPEN} routes), and the CSRF
   * token of its session (null unless it came with the console's session cookie), which a page
   * embeds in its forms.
   */
  record Call(
      Request request,
      String path,
      Map<String, String> params,
      String body,
      String from,
      io.kickdrift.server.access.Principal who,
      String csrf) {
    String param(String name) {
      return params.get(name);
    }

    /** The fields of a {@link Body#FORM} body ({@link Form#parse}). */
    Map<String, String> form() throws ClientError {
      return Form.parse(body);
    }

    /** The request's query, read strictly: only the {@code known} parameters, once each. */
    Query query(String... known) throws ClientError {
      return Query.parse(request.getHttpURI().getQuery(), java.util.List.of(known));
    }

    /** The client's address as the connection has it (no name lookup). */
    java.net.InetAddress address() {
      if (request.getConnectionMetaData().getRemoteSocketAddress()
              instanceof java.net.InetSocketAddress a
          && a.getAddress() != null) {
        return a.getAddress();
      }
      throw new IllegalStateException("no client address for " + from);
    }
  }

  private static final String REST = "**";

  /** Each pattern's segments, split once: every request tries the patterns in turn. */
  private static final Map<String, String[]> SEGMENTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The pattern's parameters when {@code path} matches it, else empty. */
  Optional<Map<String, String>> match(String path) {
    return match(segments(path));
  }

  /** {@code path} as {@link #match(String[])} takes it. */
  static String[] segments(String path) {
    return path.split("/", -1);
  }

  /** The pattern's parameters when the path of {@code got} ({@link #segments}) matches it. */
  Optional<Map<String, String>> match(String[] got) {
    String[] want = SEGMENTS.computeIfAbsent(pattern, Route::segments);
    Map<String, String> params = null;
    for (int i = 0; i < want.length; i++) {
      if (want[i].equals(REST) && i == want.length - 1) {
        return Optional.of(params == null ? Map.of() : params);
      }
      if (i >= got.length) {
        return Optional.empty();
      }
      if (want[i].startsWith("{") && want[i].endsWith("}")) {
        if (params == null) {
          params = new LinkedHashMap<>();
        }
        params.put(want[i].substring(1, want[i].length() - 1), got[i]);
      } else if (!want[i].equals(got[i])) {
        return Optional.empty();
      }
    }
    if (want.length != got.length) {
      return Optional.empty();
    }
    return Optional.of(params == null ? Map.of() : params);
  }

  /** Whether this route answers {@code requestMethod}. */
  boolean answers(String requestMethod) {
    return method.equals("*")
        || method.equals(requestMethod)
        || (method.equals("GET") && requestMethod.equals("HEAD"));
  }

  /** The methods for an {@code Allow} header. */
  String allow() {
    return method.equals("GET") ? "GET, HEAD" : method;
  }
}
