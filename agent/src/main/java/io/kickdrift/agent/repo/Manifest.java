package io.kickdrift.agent.repo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code hosts/<host>/manifest.json}: per absolute path, what the last scan found. Sorted by path
 * and pretty-printed so that its diffs read well and an unchanged scan writes the same bytes.
 */
@JsonPropertyOrder({"schema", "host", "files"})
record Manifest(int schema, String host, SortedMap<String, ManifestEntry> files) {
  static final int SCHEMA = 1;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  Manifest {
    files = new TreeMap<>(files == null ? Map.of() : files);
  }

  static Manifest empty(String host) {
    return new Manifest(SCHEMA, host, new TreeMap<>());
  }

  byte[] toJson() {
    try {
      return (MAPPER.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("manifest not serialisable", e);
    }
  }

  /**
   * @param where names the file in errors, e.g. {@code repo:hosts/web01/manifest.json}
   * @throws ManifestException naming {@code where} and what was wrong
   */
  static Manifest parse(String where, byte[] json) throws ManifestException {
    Manifest m;
    try {
      m = MAPPER.readValue(json, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new ManifestException(where + ": not a kickdrift manifest: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new ManifestException(where + ": cannot read: " + e.getMessage());
    }
    if (m.schema() != SCHEMA) {
      throw new ManifestException(
          where + ": manifest schema " + m.schema() + ", this agent reads " + SCHEMA);
    }
    return m;
  }

  /** A manifest that cannot be read; the message names the file. */
  static final class ManifestException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    ManifestException(String message) {
      super(message);
    }
  }
}
