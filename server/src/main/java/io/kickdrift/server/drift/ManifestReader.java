package io.kickdrift.server.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return problem(where + ": not a kickdrift manifest: " + e.getOriginalMessage());
    } catch (IOException e) {
      return problem(where + ": cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return problem(where + ": not a kickdrift manifest: expected a JSON object");
    }
    if (root.path("schema").asInt(-1) != SCHEMA) {
      return problem(
          where + ": manifest schema " + root.path("schema") + ", this server reads " + SCHEMA);
    }
    if (!host.equals(root.path("host").asText(null))) {
      return problem(where + ": field host is " + root.path("host") + ", expected '" + host + "'");
    }
    JsonNode files = root.path("files");
    if (!files.isObject()) {
      return problem(where + ": field files: expected an object of paths");
    }
    List<DriftFile> out = new ArrayList<>(files.size());
    for (Map.Entry<String, JsonNode> e : files.properties()) {
      JsonNode f = e.getValue();
      if (!f.isObject() || !f.path("status").isTextual()) {
        return problem(where + ": " + e.getKey() + ": field status: expected a word");
      }
      out.add(
          new DriftFile(
              e.getKey(),
              text(f, "status"),
              text(f, "package"),
              text(f, "version"),
              text(f, "type"),
              text(f, "mode"),
              text(f, "user"),
              text(f, "group"),
              text(f, "linkTarget"),
              text(f, "digest"),
              text(f, "packagedDigest"),
              text(f, "secret"),
              f.path("stored").asBoolean(false),
              text(f, "note")));
    }
    return new Parsed(out, null);
  }

  private static String text(JsonNode entry, String field) {
    JsonNode v = entry.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Parsed problem(String text) {
    return new Parsed(List.of(), text);
  }
}
