package io.kickdrift.server.inventory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each node of a parsed document starts, by field path ({@code hosts[1].interfaces[0].mac}).
 * A field's position is that of its key; a list entry's is that of its first token.
 */
final class SourceLines {
  /** A 1-based line and column. */
  record Position(int line, int column) {
    @Override
    public String toString() {
      return line + ":" + column;
    }
  }

  private static final Position START = new Position(1, 1);

  private final Map<String, Position> positions;
  private final List<String> duplicates;

  private SourceLines(Map<String, Position> positions, List<String> duplicates) {
    this.positions = positions;
    this.duplicates = List.copyOf(duplicates);
  }

  /** Keys given twice in one mapping, as {@code line:column: path: message}, in file order. */
  List<String> duplicates() {
    return duplicates;
  }

  /**
   * Reads every token of {@code parser}, which the caller closes, copying each into {@code copy}
   * (when not null) so the document is parsed once for positions and values both.
   */
  static SourceLines read(JsonParser parser, TokenBuffer copy) throws IOException {
    Map<String, Position> positions = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    Deque<Frame> frames = new ArrayDeque<>();
    for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
      if (copy != null) {
        copy.copyCurrentEvent(parser);
      }
      Frame top = frames.peek();
      if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        frames.pop();
        continue;
      }
      if (token == JsonToken.FIELD_NAME) {
        top.field = parser.currentName();
        Position here = position(parser.currentTokenLocation());
        Position first = positions.putIfAbsent(top.child(), here);
        if (first != null) {
          duplicates.add(
              here + ": " + top.child() + ": duplicate key; first at line " + first.line());
        }
        continue;
      }
      String path = "";
      if (top != null) {
        if (top.array) {
          top.index++;
        }
        path = top.child();
        positions.putIfAbsent(path, position(parser.currentTokenLocation()));
      }
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        frames.push(new Frame(path, token == JsonToken.START_ARRAY));
      }
    }
    return new SourceLines(positions, duplicates);
  }

  /** The position of {@code path}, or of its nearest enclosing node, or 1:1. */
  Position of(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Position found = positions.get(p);
      if (found != null) {
        return found;
      }
    }
    return START;
  }

  static Position position(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return START;
    }
    return new Position(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  private static final class Frame {
    final String path;
    final boolean array;
    String field;
    int index = -1;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String child() {
      if (array) {
        return path + "[" + index + "]";
      }
      return path.isEmpty() ? field : path + "." + field;
    }
  }
}
