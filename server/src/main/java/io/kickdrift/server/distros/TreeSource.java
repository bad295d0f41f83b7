package io.kickdrift.server.distros;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;

/** Where an install tree's files come from: a directory (a mounted ISO) or an HTTP(S) mirror. */
public interface TreeSource {
  /** The file's URL or path, for messages and for the inventory. */
  String location(String path);

  /** The text of a small file of the tree, or empty when the tree has none. */
  Optional<String> readText(String path) throws IOException;

  /** Whether the tree has the file. */
  boolean exists(String path) throws IOException;

  /**
   * Writes the file to {@code part}, resuming after the bytes already there when the source can,
   * else from the start.
   *
   * @throws ImportException when the tree has no such file
   */
  void fetch(String path, Path part, Progress progress) throws IOException, ImportException;

  /** An {@code http://} or {@code https://} URL as a mirror, anything else as a directory. */
  static TreeSource of(String from, HttpClient client) {
    if (isUrl(from)) {
      return new HttpSource(URI.create(from.endsWith("/") ? from : from + "/"), client);
    }
    return new DirSource(Path.of(from));
  }

  /** Whether {@code from} names a mirror rather than a directory. */
  static boolean isUrl(String from) {
    return from.startsWith("http://") || from.startsWith("https://");
  }
}
