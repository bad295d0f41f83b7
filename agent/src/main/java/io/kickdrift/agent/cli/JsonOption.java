package io.kickdrift.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Option;

/**
 * {@code --json}, for every command that prints a result: one JSON document on stdout instead of
 * the text; warnings and errors still go to stderr, and the exit status is the same. Each command's
 * page in docs/ lists its fields.
 */
public final class JsonOption {
  /**
   * Made on first use: Jackson is some 400 classes, a third of what a plain text scan loads, so
   * building it when picocli instantiates the option would cost every command its start-up time.
   */
  private static final class Pretty {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Option(
      names = "--json",
      description = "Print the result as one JSON document instead of text (fields: docs/).")
  boolean json;

  /** Whether the result is wanted as JSON. */
  public boolean on() {
    return json;
  }

  /**
   * {@code doc} (records, maps, lists, strings, numbers) as one indented JSON document, the form
   * every {@code --json} prints.
   */
  public static String text(Object doc) {
    try {
      return Pretty.MAPPER.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a document of plain values did not serialize", e);
    }
  }
}
