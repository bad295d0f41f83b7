package io.kickdrift.server.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A console form's body ({@code application/x-www-form-urlencoded}) as names and values. A name
 * given twice, or a pair that is not {@code name=value}, is a 400: which one would count is not the
 * client's to guess.
 */
final class Form {
  private Form() {}

  /** The fields of {@code body} (UTF-8, already bounded by the body reader). */
  static Map<String, String> parse(String body) throws ClientError {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ClientError(400, "form field without a name=value");
      }
      String name;
      String value;
      try {
        name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) { // a bad %-escape
        throw new ClientError(400, "form field badly escaped");
      }
      if (fields.putIfAbsent(name, value) != null) {
        throw new ClientError(400, "form field \"" + name + "\" given twice");
      }
    }
    return fields;
  }
}
