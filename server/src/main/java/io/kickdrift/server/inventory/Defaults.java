package io.kickdrift.server.inventory;

import java.util.Map;

/** Site-wide settings: variables every host starts from. */
public record Defaults(Map<String, String> variables) {
  public static final Defaults NONE = new Defaults(Map.of());

  public Defaults {
    variables = Copies.map(variables);
  }
}
