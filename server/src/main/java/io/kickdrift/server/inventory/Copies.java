package io.kickdrift.server.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies that turn an absent collection into an empty one and refuse null entries. */
final class Copies {
  private Copies() {}

  static <T> List<T> list(List<T> list) {
    if (list == null) {
      return List.of();
    }
    for (T t : list) {
      if (t == null) {
        throw new IllegalArgumentException("an empty list entry; expected a value");
      }
    }
    return List.copyOf(list);
  }

  /** Keeps the file's order, so that rendered output is stable. */
  static Map<String, String> map(Map<String, String> map) {
    if (map == null) {
      return Map.of();
    }
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException(
            "variable '" + e.getKey() + "' has no value; expected a string");
      }
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static <T> List<T> mutable(List<T> list) {
    return new ArrayList<>(list);
  }
}
