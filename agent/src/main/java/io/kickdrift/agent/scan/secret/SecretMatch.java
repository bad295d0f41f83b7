package io.kickdrift.agent.scan.secret;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One secret value inside a file's content: where it is and which rule found it, never the value.
 *
 * @param rule the rule's name, e.g. {@code kv-password}, {@code github-token}, {@code
 *     pem-private-key}
 * @param line 1-based line of the value's first byte
 * @param key the key the value belongs to ({@code db_password}, {@code [client] password}), or
 *     {@code null} for a value found by its shape alone
 * @param start offset of the value's first byte in the content
 * @param end offset just past the value's last byte
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretMatch(
    String rule, int line, String key, @JsonIgnore int start, @JsonIgnore int end) {
  public SecretMatch {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad span " + start + ".." + end + " for rule " + rule);
    }
  }
}
