package io.kickdrift.server.inventory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.kickdrift.server.guard.Invisibles;
import io.kickdrift.server.guard.LogText;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each node of a parsed document starts, by field path ({@code hosts[1].interfaces[0].mac}).
 * A field's position is that of its key; a list entry's is that of its first token. While reading,
 * it also finds what no key or value may be, whatever its field: given twice in one mapping, longer
 * than {@link ReadLimits#scalarChars} (reading stops there), or holding an {@link Invisibles
 * invisible character} (a line break only where a key is documented as multi-line).
 *
 * <p>Reading keeps only each token's line and column: the paths, a string for every node of the
 * document, are made the first time a position is asked for (a problem or a warning to place), from
 * the copy of the tokens the caller keeps. A good inventory of 10,000 hosts never pays for them
 * (they were a quarter of serve's reload).
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

  /** The one key whose value may span lines: storage commands, one per line. */
  private static final String MULTI_LINE_KEY = "partitioning";

  private static final String MULTI_LINE_LIST = "profiles";

  private final TokenBuffer tokens;

  /** Token {@code i}'s line at {@code [2i]}, its column at {@code [2i + 1]}. */
  private final int[] at;

  private final List<String> problems;
  private volatile Map<String, Position> positions;

  private SourceLines(TokenBuffer tokens, int[] at, List<String> problems) {
    this.tokens = tokens;
    this.at = at;
    this.problems = List.copyOf(problems);
  }

  /**
   * Keys given twice, over-long and invisible-character keys and values, as {@code line:column:
   * path: message}, in file order; when not empty, the document must not be used.
   */
  List<String> problems() {
    return problems;
  }

  /**
   * Reads every token of {@code parser}, which the caller closes, copying each into {@code copy} so
   * the document is parsed once for positions and values both; stops at the first key or value
   * longer than {@code scalarChars}.
   */
  static SourceLines read(JsonParser parser, TokenBuffer copy, int scalarChars) throws IOException {
    int[] at = new int[1024];
    int count = 0;
    List<String> problems = new ArrayList<>();
    Frame top = null;
    try {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (2 * count + 2 > at.length) {
          at = Arrays.copyOf(at, at.length * 2);
        }
        Position here = position(parser.currentTokenLocation());
        int index = count++;
        at[2 * index] = here.line();
        at[2 * index + 1] = here.column();
        if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
          String text = parser.getText();
          boolean key = token == JsonToken.FIELD_NAME;
          if (text.length() > scalarChars) {
            problems.add(
                problem(
                    key ? top.keyAt(text, here, at) : valueAt(top, here, at),
                    key ? top.keyPath(text) : valuePath(top),
                    (key ? "a key of " : "")
                        + text.length()
                        + " characters; expected at most "
                        + scalarChars));
            break;
          }
          boolean multiLine = !key && top != null && top.multiLine();
          int bad = Invisibles.find(text, multiLine);
          if (bad >= 0) {
            problems.add(
                problem(
                    key ? top.keyAt(text, here, at) : valueAt(top, here, at),
                    key ? top.keyPath(text) : valuePath(top),
                    (key ? "the key has " : "has ")
                        + Invisibles.describe(text.codePointAt(bad))
                        + " at character "
                        + (text.codePointCount(0, bad) + 1)
                        + "; expected "
                        + (multiLine ? "lines" : "one line")
                        + " of text without control or format characters"));
          }
        }
        copy.copyCurrentEvent(parser);
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          top = top.parent;
          continue;
        }
        if (token == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          Integer first = top.key(name, index);
          top.field = name;
          top.fieldToken = index;
          if (first != null) {
            problems.add(
                problem(here, top.keyPath(name), "duplicate key; first at line " + at[2 * first]));
          }
          continue;
        }
        if (top != null && top.array) {
          top.index++;
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          top = new Frame(top, token == JsonToken.START_ARRAY);
        }
      }
    } catch (StreamConstraintsException e) {
      // JSON's parser enforces the same limit itself, reading no further than it
      String path =
          top == null
              ? "(top level)"
              : top.array || top.field == null ? top.path() : top.keyPath(top.field);
      problems.add(
          problem(
              position(parser.currentTokenLocation()),
              path.isEmpty() ? "(top level)" : path,
              "over " + scalarChars + " characters; expected at most " + scalarChars));
    }
    return new SourceLines(copy, Arrays.copyOf(at, 2 * count), problems);
  }

  /** Where a value's problem is placed: its key's position in a mapping, else its own. */
  private static Position valueAt(Frame top, Position here, int[] at) {
    return top == null || top.array
        ? here
        : new Position(at[2 * top.fieldToken], at[2 * top.fieldToken + 1]);
  }

  /** The path of the value token now read, before the frame counts it. */
  private static String valuePath(Frame top) {
    if (top == null) {
      return "";
    }
    return top.array ? top.path() + "[" + (top.index + 1) + "]" : top.keyPath(top.field);
  }

  /** A problem as {@link #problems} lists it: {@code line:column: path: message}. */
  private static String problem(Position at, String path, String message) {
    return at + ": " + LogText.of(path) + ": " + message;
  }

  /** The position of {@code path}, or of its nearest enclosing node, or 1:1. */
  Position of(String path) {
    Map<String, Position> known = positions();
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Position found = known.get(p);
      if (found != null) {
        return found;
      }
    }
    return START;
  }

  /** Every node's position by path, made from the tokens once, when first asked. */
  private Map<String, Position> positions() {
    Map<String, Position> known = positions;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (positions == null) {
        positions = paths();
      }
      return positions;
    }
  }

  private Map<String, Position> paths() {
    Map<String, Position> out = new HashMap<>();
    Deque<Walk> walks = new ArrayDeque<>();
    int i = 0;
    try (JsonParser replay = tokens.asParser()) {
      for (JsonToken token = replay.nextToken();
          token != null && 2 * i < at.length;
          token = replay.nextToken(), i++) {
        Walk top = walks.peek();
        Position here = new Position(at[2 * i], at[2 * i + 1]);
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          walks.pop();
          continue;
        }
        if (token == JsonToken.FIELD_NAME) {
          top.field = replay.currentName();
          out.putIfAbsent(top.child(), here);
          continue;
        }
        String path = "";
        if (top != null) {
          if (top.array) {
            top.index++;
          }
          path = top.child();
          out.putIfAbsent(path, here);
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          walks.push(new Walk(path, token == JsonToken.START_ARRAY));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a TokenBuffer in memory does not fail
    }
    return out;
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

  /** A mapping or list being read: its path is made only when a problem names it. */
  private static final class Frame {
    final Frame parent;
    final boolean array;

    /** Its key in the parent mapping, or its index in the parent list. */
    final String key;

    final int slot;

    String field;
    int fieldToken;
    int index = -1;
    private Map<String, Integer> keys;

    Frame(Frame parent, boolean array) {
      this.parent = parent;
      this.array = array;
      this.key = parent == null || parent.array ? null : parent.field;
      this.slot = parent == null ? -1 : parent.index;
    }

    /** Notes key {@code name} at token {@code token}; the token of its first use if not new. */
    Integer key(String name, int token) {
      if (keys == null) {
        keys = new HashMap<>();
      }
      return keys.putIfAbsent(name, token);
    }

    /** Where a problem of key {@code name} is placed: its first use in this mapping, or here. */
    Position keyAt(String name, Position here, int[] at) {
      Integer first = keys == null ? null : keys.get(name);
      return first == null ? here : new Position(at[2 * first], at[2 * first + 1]);
    }

    String path() {
      if (parent == null) {
        return "";
      }
      return parent.array ? parent.path() + "[" + slot + "]" : parent.keyPath(key);
    }

    String keyPath(String name) {
      String p = path();
      return p.isEmpty() ? name : p + "." + name;
    }

    /** Whether this is a mapping in the top-level list {@code profiles}, at its multi-line key. */
    boolean multiLine() {
      return !array
          && MULTI_LINE_KEY.equals(field)
          && parent != null
          && parent.array
          && MULTI_LINE_LIST.equals(parent.key)
          && parent.parent != null
          && parent.parent.parent == null;
    }
  }

  /** A mapping or list being walked for {@link #paths}, as the reading once did. */
  private static final class Walk {
    final String path;
    final boolean array;
    String field;
    int index = -1;

    Walk(String path, boolean array) {
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
