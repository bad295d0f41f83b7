package io.kickdrift.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration file as nested maps, lists and scalars, each with the line it starts on: what
 * errors name. Jackson's YAML token stream is read directly (no data binding) so the file is walked
 * once and cheaply.
 */
final class YamlTree {
  private YamlTree() {}

  /** A value in the file and the line where it is. */
  sealed interface Node {
    int line();
  }

  /** A single value: a string, a number, a boolean, as written (YAML's null is absent). */
  record Scalar(String text, int line) implements Node {}

  /** A YAML list. */
  record Items(List<Node> items, int line) implements Node {}

  /** A YAML map, in the file's order; each entry's line is its key's. */
  record Entries(Map<String, Node> entries, Map<String, Integer> keyLines, int line)
      implements Node {}

  /** The top-level map of {@code file} (empty when the file holds only comments). */
  static Entries read(Path file) throws ConfigException {
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new Entries(Map.of(), Map.of(), 1);
      }
      Node top = node(file, p);
      if (!(top instanceof Entries e)) {
        throw new ConfigException(file + ":" + top.line() + ": expected a map of keys");
      }
      return e;
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().get();
      if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
          && j.getLocation() != null) {
        throw new ConfigException(
            file + ":" + j.getLocation().getLineNr() + ": not YAML: " + j.getOriginalMessage());
      }
      throw new ConfigException(file + ": cannot read: " + why);
    }
  }

  private static Node node(Path file, JsonParser p) throws IOException, ConfigException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, Node> entries = new LinkedHashMap<>();
      Map<String, Integer> lines = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int keyLine = p.currentTokenLocation().getLineNr();
        if (lines.containsKey(name)) {
          throw new ConfigException(
              file
                  + ":"
                  + keyLine
                  + ": "
                  + name
                  + " again (first on line "
                  + lines.get(name)
                  + ")");
        }
        lines.put(name, keyLine);
        p.nextToken();
        if (p.currentToken() != JsonToken.VALUE_NULL) {
          entries.put(name, node(file, p));
        }
      }
      return new Entries(entries, lines, line);
    }
    if (t == JsonToken.START_ARRAY) {
      List<Node> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(node(file, p));
      }
      return new Items(items, line);
    }
    return new Scalar(p.getText(), line);
  }
}
