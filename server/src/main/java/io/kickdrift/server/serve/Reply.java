package io.kickdrift.server.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: bytes made now ({@link Answer}), a file under the served root, or a stream
 * that goes on after the action returns ({@link Stream}: server-sent events).
 */
sealed interface Reply {
  /** A whole answer; sent with {@code Cache-Control: no-store}, as it may change any moment. */
  record Answer(int status, String contentType, byte[] body, Map<String, String> headers)
      implements Reply {
    /** The same answer with one more header. */
    Answer with(String header, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(header, value);
      return new Answer(status, contentType, body, Map.copyOf(more));
    }
  }

  /** A regular file, its real path as {@link io.kickdrift.server.guard.ServedRoot} resolved it. */
  record File(Path real) implements Reply {}

  /**
   * An answer the sender writes itself, on its own time: it keeps the response and completes the
   * callback when the stream ends, holding no thread meanwhile.
   */
  record Stream(Sender sender) implements Reply {
    /** Starts the answer; from here on the response and callback are the sender's. */
    @FunctionalInterface
    interface Sender {
      void start(
          org.eclipse.jetty.server.Request request,
          org.eclipse.jetty.server.Response response,
          org.eclipse.jetty.util.Callback callback);
    }
  }

  ObjectMapper JSON = new ObjectMapper();

  /** A line of plain text; a newline is added. */
  static Answer text(int status, String line) {
    return bytes(status, "text/plain; charset=utf-8", line + "\n");
  }

  /** A value as JSON, with a newline after it. */
  static Answer json(int status, Object value) {
    try {
      return bytes(status, "application/json", JSON.writeValueAsString(value) + "\n");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // maps and lists of plain values always serialise
    }
  }

  static Answer bytes(int status, String contentType, String body) {
    return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static Answer bytes(int status, String contentType, byte[] body) {
    return new Answer(status, contentType, body, Map.of());
  }
}
