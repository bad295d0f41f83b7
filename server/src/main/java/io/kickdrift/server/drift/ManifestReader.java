package io.kickdrift.server.drift;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code hosts/<host>/manifest.json} (docs/config-repo.md, "manifest.json") into the entries
 * a page shows. The agent's own reader is package-private to its writer; this one reads only, takes
 * the fields the view needs, and turns a manifest it cannot read into a problem naming it rather
 * than an exception, so that one broken host does not hide the others.
 */
final class ManifestReader {
  /** The schema the agent writes (agent's {@code Manifest.SCHEMA}). */
  static final int SCHEMA = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A host's manifest as read.
   *
   * @param files by path, sorted as the manifest is
   * @param problem why it could not be read, naming it; {@code null} when it could
   */
  record Parsed(List<DriftFile> files, String problem) {
    Parsed {
      files = List.copyOf(files);
    }

    int count(String status) {
      int n = 0;
      for (DriftFile f : files) {
        if (status.equals(f.status())) {
          n++;
        }
      }
      return n;
    }
  }

  private ManifestReader() {}

  /**
   * @param where names the manifest in problems, {@code <repo>@<commit>:hosts/<host>/manifest.json}
   */
  static Parsed parse(String where, String host, byte[] json) {
    // streamed, not a tree: a fleet's manifests are read at once, and a tree of each costs
    // several times the memory and time
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return problem(where + ": not a kickdrift manifest: expected a JSON object");
      }
      String schema = null;
      String named = null;
      List<DriftFile> out = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "schema" -> schema = t.isScalarValue() ? p.getText() : t.asString();
          case "host" -> named = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "files" -> {
            if (t != JsonToken.START_OBJECT) {
              return problem(where + ": field files: expected an object of paths");
            }
            out = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String path = p.currentName();
              if (p.nextToken() != JsonToken.START_OBJECT) {
                return problem(where + ": " + path + ": field status: expected a word");
              }
              DriftFile f = file(p, path);
              if (f == null) {
                return problem(where + ": " + path + ": field status: expected a word");
              }
              out.add(f);
            }
          }
          default -> p.skipChildren();
        }
      }
      if (!Integer.toString(SCHEMA).equals(schema)) {
        return problem(
            where
                + ": manifest schema "
                + (schema == null ? "" : schema)
                + ", this server reads "
                + SCHEMA);
      }
      if (!host.equals(named)) {
        return problem(
            where
                + ": field host is "
                + (named == null ? "" : "\"" + named + "\"")
                + ", expected '"
                + host
                + "'");
      }
      if (out == null) {
        return problem(where + ": field files: expected an object of paths");
      }
      return new Parsed(out, null);
    } catch (JsonProcessingException e) {
      return problem(where + ": not a kickdrift manifest: " + e.getOriginalMessage());
    } catch (IOException e) {
      return problem(where + ": cannot read: " + e.getMessage());
    }
  }

  /** One entry, the parser at its START_OBJECT; null when its status is not a word. */
  private static DriftFile file(JsonParser p, String path) throws IOException {
    Map<String, String> v = new java.util.HashMap<>(16);
    boolean stored = false;
    boolean statusWord = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else if (k.equals("stored")) {
        stored = t == JsonToken.VALUE_TRUE;
      } else if (t != JsonToken.VALUE_NULL) {
        if (k.equals("status")) {
          statusWord = t == JsonToken.VALUE_STRING;
        }
        v.put(k, p.getText());
      }
    }
    if (!statusWord) {
      return null;
    }
    return new DriftFile(
        path,
        v.get("status"),
        v.get("package"),
        v.get("version"),
        v.get("type"),
        v.get("mode"),
        v.get("user"),
        v.get("group"),
        v.get("linkTarget"),
        v.get("digest"),
        v.get("packagedDigest"),
        v.get("secret"),
        stored,
        v.get("note"));
  }

  private static Parsed problem(String text) {
    return new Parsed(List.of(), text);
  }
}
