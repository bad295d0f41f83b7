package io.kickdrift.server.cli;

import io.kickdrift.server.state.Database;
import io.kickdrift.server.state.DatabaseUrl;
import io.kickdrift.server.state.StateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --database URL} and {@code --database-password-file FILE} ({@code state.database}, {@code
 * state.database-password-file}): the shared PostgreSQL state several servers use; without them,
 * SQLite in the state directory (docs/scale.md).
 */
final class DatabaseOption {
  @Option(
      names = "--database",
      paramLabel = "URL",
      description =
          "The state on PostgreSQL, shared by several servers:"
              + " postgresql://USER@HOST[:PORT]/DATABASE (default: SQLite in the state directory;"
              + " docs/scale.md).")
  String url;

  @Option(
      names = "--database-password-file",
      paramLabel = "FILE",
      description = "The file whose first line is the database password (not in the URL).")
  Path passwordFile;

  /** The shared database named, or null for SQLite in the state directory. */
  DatabaseUrl url() throws IOException {
    return url == null || url.isBlank() ? null : parse(url, passwordFile, "--database");
  }

  /**
   * {@code text} read as a database URL, the password from the first line of {@code passwordFile}
   * (may be null) when the URL has none; errors name {@code option}.
   */
  static DatabaseUrl parse(String text, Path passwordFile, String option) throws IOException {
    try {
      return DatabaseUrl.parse(text, password(passwordFile));
    } catch (IllegalArgumentException e) {
      throw new StateException(option + ": " + e.getMessage(), e);
    }
  }

  /** The database named, else SQLite in {@code stateDir}; its schema current. */
  Database open(Path stateDir) throws IOException {
    return Database.open(url(), stateDir);
  }

  private static String password(Path passwordFile) throws IOException {
    if (passwordFile == null) {
      return null;
    }
    try {
      String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      return (end < 0 ? text : text.substring(0, end)).strip();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(passwordFile + ": no such file (--database-password-file)");
    }
  }
}
