package io.kickdrift.agent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Whether configured values are ones the options take: numbers for numbers, an enum's constants,
 * true or false, and whatever an option's own converter accepts (durations). Other types (paths,
 * names) are taken as written; picocli names the option if it refuses one later.
 */
final class Values {
  private Values() {}

  /** What is wrong with {@code values} for any of {@code options} (the same key); empty if fine. */
  static List<String> check(List<OptionSpec> options, List<String> values) {
    List<String> wrong = new ArrayList<>();
    for (OptionSpec o : options) {
      if (Map.class.isAssignableFrom(o.type())) {
        continue;
      }
      Class<?> type = o.isMultiValue() ? elementType(o) : o.type();
      for (String v : values) {
        String why = refusal(o, type, v.strip());
        if (why != null && !wrong.contains(why)) {
          wrong.add(why);
        }
      }
    }
    return wrong;
  }

  private static Class<?> elementType(OptionSpec o) {
    Class<?>[] aux = o.auxiliaryTypes();
    return aux.length > 0 ? aux[0] : String.class;
  }

  private static String refusal(OptionSpec o, Class<?> type, String v) {
    ITypeConverter<?>[] converters = o.converters();
    if (converters.length > 0) {
      try {
        converters[0].convert(v);
        return null;
      } catch (Exception e) {
        String why = e.getMessage();
        return "'" + v + "' is not valid" + (why == null ? "" : ": " + why);
      }
    }
    if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      for (Object c : constants) {
        if (((Enum<?>) c).name().equalsIgnoreCase(v)) {
          return null;
        }
      }
      return "'"
          + v
          + "' is not one of "
          + String.join(", ", Arrays.stream(constants).map(c -> c.toString()).toList());
    }
    try {
      if (type == int.class || type == Integer.class) {
        Integer.parseInt(v);
      } else if (type == long.class || type == Long.class) {
        Long.parseLong(v);
      } else if (type == double.class || type == Double.class) {
        Double.parseDouble(v);
      }
    } catch (NumberFormatException e) {
      return "'" + v + "' is not a number";
    }
    if ((type == boolean.class || type == Boolean.class)
        && !v.equalsIgnoreCase("true")
        && !v.equalsIgnoreCase("false")) {
      return "'" + v + "' is not true or false";
    }
    return null;
  }

  /** The known key nearest {@code key} by edits, when it is near enough to be a typo. */
  static Optional<String> closest(String key, Collection<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
